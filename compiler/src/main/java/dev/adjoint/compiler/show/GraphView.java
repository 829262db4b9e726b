package dev.adjoint.compiler.show;

import dev.adjoint.compiler.ad.Autodiff;
import dev.adjoint.compiler.ad.Gradients;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a model's graph one stage shows, with a readable, unique name for every node: the model's
 * own names ({@code h}, {@code logits}), {@code d}+name for adjoints ({@code dh}, {@code dW1}), and
 * {@code %id} for unnamed intermediates. A name bound several times (in an unrolled loop) is numbered
 * {@code h#2}, {@code h#3}, ... in graph order.
 */
final class GraphView {
    /** What to show. */
    enum Stage {
        FORWARD, GRADIENT
    }

    final ModelGraph model;
    final Stage stage;
    /** The nodes shown, in topological (id) order. */
    final List<Node> nodes;
    /** Named results: outputs and loss, and for the gradient stage one gradient per param / input grad. */
    final Map<String, Node> results = new LinkedHashMap<>();
    private final Map<Node, String> names = new IdentityHashMap<>();
    /** For adjoint nodes: the forward node whose adjoint they are. */
    private final Map<Node, Node> adjointOf = new IdentityHashMap<>();

    GraphView(ModelGraph model, Stage stage) {
        this.model = model;
        this.stage = stage;
        List<Node> roots = new ArrayList<>();
        for (ModelGraph.OutputDecl o : model.outputs()) {
            results.put("output " + o.name(), o.node());
            roots.add(o.node());
        }
        if (model.hasLoss()) {
            results.put("loss " + model.loss().name(), model.loss().node());
            roots.add(model.loss().node());
        }
        if (stage == Stage.GRADIENT) {
            Gradients g = Autodiff.of(model);
            for (Map.Entry<Node, Node> e : g.adjoints().entrySet()) {
                adjointOf.putIfAbsent(e.getValue(), e.getKey());
            }
            for (Node x : g.wrt()) {
                Node dx = g.of(x);
                String name = model.nameOf(x);
                results.put("gradient " + name, dx);
                if (dx != null) {
                    roots.add(dx);
                }
            }
        }
        nodes = reachable(roots);
        name();
    }

    String name(Node n) {
        return names.get(n);
    }

    /** {@code model:line} where the node comes from, or for an adjoint, the line of its forward node. */
    String origin(Node n) {
        Span s = model.spans().get(n);
        Node forward = adjointOf.get(n);
        if (s == null && forward != null) {
            Span f = model.spans().get(forward);
            return "adjoint of " + names.get(forward) + (f == null ? "" : ", " + f.where());
        }
        return s == null ? "" : s.where();
    }

    boolean isAdjoint(Node n) {
        return adjointOf.containsKey(n) && model.spans().get(n) == null;
    }

    private static List<Node> reachable(List<Node> roots) {
        Set<Node> seen = new HashSet<>();
        Deque<Node> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (seen.add(n)) {
                todo.addAll(n.inputs());
            }
        }
        List<Node> out = new ArrayList<>(seen);
        out.sort(Comparator.comparingInt(Node::id));
        return out;
    }

    private void name() {
        Map<String, Integer> used = new HashMap<>();
        // Forward names first, so that a node that is both (hash-consed) keeps its model name.
        for (Node n : nodes) {
            String base = model.nameOf(n);
            if (base != null && !isAdjoint(n)) {
                names.put(n, unique(base, used));
            }
        }
        for (Node n : nodes) {
            if (names.containsKey(n)) {
                continue;
            }
            Node forward = adjointOf.get(n);
            String base = forward != null && names.get(forward) != null
                    ? "d" + names.get(forward).replace("#", "_") : "%" + n.id();
            names.put(n, unique(base, used));
        }
    }

    private static String unique(String base, Map<String, Integer> used) {
        int k = used.merge(base, 1, Integer::sum);
        return k == 1 ? base : base + "#" + k;
    }
}
