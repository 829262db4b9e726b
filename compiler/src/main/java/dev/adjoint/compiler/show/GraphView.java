package dev.adjoint.compiler.show;

import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.NodeNames;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code show} prints of one stage's graph: the nodes its roots need, in schedule order, each with the
 * graph's one naming scheme ({@link NodeNames}, the same names as the generated Java), and where it comes
 * from in the model.
 */
final class GraphView {
    final Graph graph;
    /** The nodes shown, in schedule order. */
    final List<Node> nodes = new ArrayList<>();
    /** Named results: outputs and loss, then one gradient per param / input grad. */
    final Map<String, Node> results = new LinkedHashMap<>();
    private final NodeNames names;
    private final BitSet forward;

    GraphView(Graph graph) {
        this.graph = graph;
        this.names = new NodeNames(graph);
        for (Graph.Output o : graph.outputs()) {
            results.put("output " + o.name(), o.node());
        }
        if (graph.hasLoss()) {
            results.put("loss " + graph.loss().name(), graph.loss().node());
        }
        for (Graph.Gradient d : graph.gradients()) {
            results.put("gradient " + d.name(), d.adjoint());
        }
        BitSet shown = reachable(graph.roots());
        for (int id = shown.nextSetBit(0); id >= 0; id = shown.nextSetBit(id + 1)) {
            nodes.add(graph.nodes().get(id));
        }
        forward = reachable(graph.forwardRoots());
    }

    String name(Node n) {
        return names.of(n);
    }

    /**
     * {@code model:line:col} where the node comes from; for an adjoint, which value it is the adjoint of; for
     * another value of the backward pass, the line whose derivative built it.
     */
    String origin(Node n) {
        Span s = graph.spans().get(n);
        Node of = graph.adjointOf().get(n);
        if (of != null) {
            Span f = graph.spans().get(of);
            return "adjoint of " + names.of(of) + (f == null ? "" : ", " + f.where());
        }
        if (s == null) {
            return "";
        }
        return forward.get(n.id()) ? s.where() : "backward, " + s.where();
    }

    boolean isAdjoint(Node n) {
        return graph.adjointOf().containsKey(n);
    }

    private static BitSet reachable(List<Node> roots) {
        BitSet seen = new BitSet();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!seen.get(n.id())) {
                seen.set(n.id());
                stack.addAll(n.inputs());
            }
        }
        return seen;
    }
}
