package dev.adjoint.compiler.ir;

import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one naming scheme of a graph's values, shared by {@code show} and the generated Java: inputs and params
 * by their declared names ({@code x}, {@code W[0]}); values the model names by that name ({@code h},
 * {@code logits}), later bindings of the same name, such as the iterations of an unrolled loop, as {@code h_2},
 * {@code h_3}...; the adjoint of a value {@code v} as {@code dv} ({@code dh}, {@code dW1}, {@code dt7}); every
 * other value {@code t<id>}. Names are unique within the graph and assigned in a fixed order (declarations,
 * then named values, then adjoints, in schedule order), so they are deterministic.
 */
public final class NodeNames {
    private final Map<Node, String> names = new IdentityHashMap<>();
    private final Set<String> taken = new HashSet<>();
    /** The next suffix to try for a wanted name (so a name bound n times costs n tries, not n squared). */
    private final java.util.Map<String, Integer> nextSuffix = new java.util.HashMap<>();

    public NodeNames(Graph g) {
        for (Graph.Input in : g.inputs()) {
            assign(in.node(), in.name());
        }
        for (Graph.Param p : g.params()) {
            assign(p.node(), p.name());
        }
        for (Graph.Output o : g.outputs()) {
            assign(o.node(), o.name());
        }
        if (g.loss() != null) {
            assign(g.loss().node(), g.loss().name());
        }
        for (Node n : g.nodes()) {
            String name = g.nameOf(n);
            if (name != null) {
                assign(n, name);
            }
        }
        for (Graph.Gradient d : g.gradients()) {
            if (d.adjoint() != null && g.adjointOf().get(d.adjoint()) == d.wrt()) {
                assign(d.adjoint(), "d" + d.name());
            }
        }
        for (Node n : g.nodes()) {
            Node of = g.adjointOf().get(n);
            if (of != null) {
                assign(n, "d" + of(of));
            }
        }
    }

    private void assign(Node n, String wanted) {
        if (n == null || names.containsKey(n)) {
            return;
        }
        boolean leaf = n.op() instanceof InputOp || n.op() instanceof ParamOp;
        String name = leaf ? wanted : unique(wanted);
        taken.add(name);
        names.put(n, name);
    }

    /** {@code wanted}, or {@code wanted_2}, {@code wanted_3}... the first not taken. */
    private String unique(String wanted) {
        if (!taken.contains(wanted)) {
            return wanted;
        }
        int k = nextSuffix.getOrDefault(wanted, 2);
        while (taken.contains(wanted + "_" + k)) {
            k++;
        }
        nextSuffix.put(wanted, k + 1);
        return wanted + "_" + k;
    }

    /** The name of {@code n}: assigned above, else {@code t<id>} (made unique if a model name took it). */
    public String of(Node n) {
        String name = names.get(n);
        if (name == null) {
            name = unique("t" + n.id());
            taken.add(name);
            names.put(n, name);
        }
        return name;
    }

    /** True when the model (or the differentiator, for an adjoint) named {@code n}, rather than {@code t<id>}. */
    public boolean isNamed(Node n) {
        String name = names.get(n);
        return name != null && !name.equals("t" + n.id());
    }
}
