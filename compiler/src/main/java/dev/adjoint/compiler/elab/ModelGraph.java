package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.TakeOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One elaborated model: its shape-checked forward {@link Graph} (the first stage of the compiler's pipeline)
 * and the named values {@code check} prints. The accessors below read the graph.
 *
 * @param graph the forward graph: declarations, outputs, the loss, and the side tables (spans, names)
 * @param bindings every named value as {@code check} prints it, in declaration order
 */
public record ModelGraph(Graph graph, List<Binding> bindings) {

    /**
     * A named value as {@code check} prints it: what kind of declaration, its name and type or value, and how
     * many times the statement bound it (more than once in an unrolled loop).
     */
    public record Binding(String kind, String name, String detail, Span span, int count) {
        public Binding(String kind, String name, String detail, Span span) {
            this(kind, name, detail, span, 1);
        }
    }

    public ModelGraph {
        bindings = List.copyOf(bindings);
    }

    public String name() {
        return graph.model();
    }

    public Span span() {
        return graph.span();
    }

    public List<String> dims() {
        return graph.dims();
    }

    public List<Graph.Input> inputs() {
        return graph.inputs();
    }

    public List<Graph.Param> params() {
        return graph.params();
    }

    public List<Graph.Output> outputs() {
        return graph.outputs();
    }

    /** The loss, or null. */
    public Graph.Output loss() {
        return graph.loss();
    }

    public boolean hasLoss() {
        return graph.hasLoss();
    }

    public Map<Node, Span> spans() {
        return graph.spans();
    }

    public Map<Node, String> names() {
        return graph.names();
    }

    /** Every node of the forward graph, in schedule order. */
    public List<Node> nodes() {
        return graph.nodes();
    }

    /** The model's name for a node, or null when it was never bound to one. */
    public String nameOf(Node node) {
        return graph.nameOf(node);
    }

    /**
     * For i32 inputs used as class labels (by {@code cross_entropy} over a fixed class axis, or by
     * {@code one_hot}) or as row numbers (by {@code take} from a table of fixed rows): the number of classes
     * (rows), the smallest over their uses. Sorted by input name;
     * {@code gradcheck}, {@code train} and the generated gradient tests draw or check labels with it.
     */
    public Map<String, Integer> labelClassCounts() {
        Map<Node, String> inputNames = new HashMap<>();
        inputs().forEach(in -> inputNames.put(in.node(), in.name()));
        Map<String, Integer> out = new TreeMap<>();
        for (Node n : nodes()) {
            Node labels = null;
            long count = 0;
            if (n.op() instanceof CrossEntropyOp && n.input(0).shape().rank() > 0) {
                labels = n.input(1);
                var last = n.input(0).shape().dim(n.input(0).shape().rank() - 1);
                count = last.isFixed() ? last.size() : 0;
            } else if (n.op() instanceof OneHotOp oh) {
                labels = n.input(0);
                count = oh.n();
            } else if (n.op() instanceof TakeOp && n.input(0).shape().dim(0).isFixed()) {
                labels = n.input(1);
                count = n.input(0).shape().dim(0).size();
            }
            if (labels != null && count > 0 && inputNames.containsKey(labels)) {
                out.merge(inputNames.get(labels), (int) count, Math::min);
            }
        }
        return out;
    }
}
