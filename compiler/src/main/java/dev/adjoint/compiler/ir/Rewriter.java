package dev.adjoint.compiler.ir;

import dev.adjoint.compiler.diag.Span;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a graph node by node through a fresh {@link GraphBuilder}, in schedule order, letting a rule
 * replace each node; roots, declarations and side tables follow the replacement. Because the builder
 * hash-conses, nodes that become equal merge. A node keeps the first span, name and adjoint-of entry among
 * the old nodes that map to it.
 */
public final class Rewriter {

    /** The replacement of one node, given its inputs' replacements: by default the same op on them. */
    @FunctionalInterface
    public interface Rule {
        Node rewrite(GraphBuilder b, Node old, List<Node> inputs);
    }

    /** Re-adds every node unchanged. */
    public static final Rule COPY = (b, old, inputs) -> b.add(old.op(), inputs);

    private Rewriter() {
    }

    /** {@code g} rebuilt with {@code rule} applied to every node. */
    public static Graph rebuild(Graph g, Rule rule) {
        BitSet all = new BitSet();
        all.set(0, g.size());
        return rebuild(g, rule, all);
    }

    /**
     * {@code g} rebuilt with {@code rule} applied to the nodes in {@code keep} (by id), which must include every
     * input of a kept node and every root and declared leaf.
     */
    public static Graph rebuild(Graph g, Rule rule, BitSet keep) {
        GraphBuilder b = new GraphBuilder();
        Node[] map = new Node[g.size()];
        for (Node old : g.nodes()) {
            if (!keep.get(old.id())) {
                continue;
            }
            List<Node> inputs = new ArrayList<>(old.inputs().size());
            for (Node in : old.inputs()) {
                Node m = map[in.id()];
                if (m == null) {
                    throw new IllegalStateException("rewrite: input " + in + " of kept node " + old + " was dropped");
                }
                inputs.add(m);
            }
            Node replacement = rule.rewrite(b, old, inputs);
            if (!replacement.type().equals(old.type())) {
                throw new IllegalStateException("rewrite: " + old + " was replaced by " + replacement
                        + " of another type");
            }
            map[old.id()] = replacement;
        }
        Map<Node, Span> spans = new IdentityHashMap<>();
        Map<Node, String> names = new IdentityHashMap<>();
        Map<Node, Node> adjointOf = new IdentityHashMap<>();
        for (Node old : g.nodes()) {
            Node m = map[old.id()];
            if (m == null) {
                continue;
            }
            Span s = g.spans().get(old);
            if (s != null) {
                spans.putIfAbsent(m, s);
            }
            String name = g.names().get(old);
            if (name != null) {
                names.putIfAbsent(m, name);
            }
            Node of = g.adjointOf().get(old);
            if (of != null && map[of.id()] != null) {
                adjointOf.putIfAbsent(m, map[of.id()]);
            }
        }
        List<Graph.Input> inputs = new ArrayList<>();
        for (Graph.Input in : g.inputs()) {
            inputs.add(new Graph.Input(in.name(), mapped(map, in.node()), in.grad(), in.span()));
        }
        List<Graph.Param> params = new ArrayList<>();
        for (Graph.Param p : g.params()) {
            params.add(new Graph.Param(p.name(), mapped(map, p.node()), p.init(), p.array(), p.index(), p.span()));
        }
        List<Graph.Output> outputs = new ArrayList<>();
        for (Graph.Output o : g.outputs()) {
            outputs.add(new Graph.Output(o.name(), mapped(map, o.node()), o.span()));
        }
        Graph.Output loss = g.loss() == null ? null
                : new Graph.Output(g.loss().name(), mapped(map, g.loss().node()), g.loss().span());
        List<Graph.Gradient> gradients = new ArrayList<>();
        for (Graph.Gradient d : g.gradients()) {
            gradients.add(new Graph.Gradient(d.name(), mapped(map, d.wrt()),
                    d.adjoint() == null ? null : mapped(map, d.adjoint())));
        }
        return g.with(inputs, params, outputs, loss, gradients, b.nodes(), spans, names, adjointOf);
    }

    private static Node mapped(Node[] map, Node old) {
        Node m = map[old.id()];
        if (m == null) {
            throw new IllegalStateException("rewrite: root or declared node " + old + " was dropped");
        }
        return m;
    }
}
