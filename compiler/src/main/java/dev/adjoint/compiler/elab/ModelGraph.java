package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.OneHotOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One elaborated model: a shape-checked static graph with its interface. Everything is in declaration
 * order. {@code builder} holds the graph ({@link #nodes()}, in topological order); passes such as
 * differentiation add their nodes to the same IR through it. Source spans live in the side table
 * {@code spans} (the first place that built each node), so that identical subexpressions from different
 * lines still share one node. {@code names} is a second side table: the first model-level name each node
 * was bound to ({@code h}, {@code logits}, inputs, params, outputs), for dumps and generated code; a name
 * rebound in a loop names several nodes.
 */
public record ModelGraph(
        String name,
        Span span,
        List<String> dims,
        List<InputDecl> inputs,
        List<ParamDecl> params,
        List<OutputDecl> outputs,
        OutputDecl loss,
        Map<Node, Span> spans,
        List<Binding> bindings,
        Map<Node, String> names,
        GraphBuilder builder) {

    /** {@code input [grad] name : type}. */
    public record InputDecl(String name, Node node, boolean grad, Span span) {
    }

    /**
     * {@code param name : type = init}. Elements of a param array have names {@code W[0]}, {@code W[1]}...,
     * {@code array} set to {@code W} and their {@code index}; plain params have {@code array == null}.
     */
    public record ParamDecl(String name, Node node, InitSpec init, String array, int index, Span span) {
    }

    /** An {@code output} or the {@code loss}: a name and the node computing it. */
    public record OutputDecl(String name, Node node, Span span) {
    }

    /**
     * A named value as {@code check} prints it: what kind of declaration, its name and type or value, and how
     * many times the statement bound it (more than once in an unrolled loop).
     */
    public record Binding(String kind, String name, String detail, Span span, int count) {
        public Binding(String kind, String name, String detail, Span span) {
            this(kind, name, detail, span, 1);
        }
    }

    /** Every node of the graph, in creation (topological) order, including any a later pass added. */
    public List<Node> nodes() {
        return builder.nodes();
    }

    /** The model's name for a node, or null when it was never bound to one. */
    public String nameOf(Node node) {
        return names.get(node);
    }

    /**
     * For i32 inputs used as class labels (by {@code cross_entropy} over a fixed class axis, or by
     * {@code one_hot}): the number of classes, the smallest over their uses. Sorted by input name;
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
            }
            if (labels != null && count > 0 && inputNames.containsKey(labels)) {
                out.merge(inputNames.get(labels), (int) count, Math::min);
            }
        }
        return out;
    }

    public boolean hasLoss() {
        return loss != null;
    }
}
