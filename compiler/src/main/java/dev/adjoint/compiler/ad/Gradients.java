package dev.adjoint.compiler.ad;

import dev.adjoint.compiler.ir.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link Autodiff#differentiate}: adjoint nodes, built in the same graph as the forward pass.
 * A zero gradient is symbolic: the node has no entry, and {@link #of} returns null. Nothing is ever
 * zero-filled.
 *
 * @param loss the node that was differentiated
 * @param wrt the requested variables, in the order given
 * @param adjoints the adjoint of every forward node that received a nonzero one (the requested variables
 *     and the intermediates on the way to them, which an emitter names {@code dh}, {@code dlogits}...), in
 *     the order the backward pass reached them: decreasing forward id, the loss first
 * @param origin for every node the backward pass built, the forward node whose derivative rule built it (so
 *     that each backward step can be traced to the model line of its forward value)
 */
public record Gradients(Node loss, List<Node> wrt, Map<Node, Node> adjoints, Map<Node, Node> origin) {

    public Gradients {
        wrt = List.copyOf(wrt);
        adjoints = Collections.unmodifiableMap(new LinkedHashMap<>(adjoints));
        origin = Collections.unmodifiableMap(new IdentityHashMap<>(origin));
    }

    /** The adjoint of {@code x} (a requested variable or any forward node on the way), or null for zero. */
    public Node of(Node x) {
        return adjoints.get(x);
    }

    /** True when the gradient of the loss with respect to {@code x} is symbolically zero. */
    public boolean isZero(Node x) {
        return !adjoints.containsKey(x);
    }

    /** The adjoint of each requested variable, in {@link #wrt} order; an entry is null where it is zero. */
    public List<Node> ofWrt() {
        List<Node> out = new ArrayList<>(wrt.size());
        for (Node x : wrt) {
            out.add(adjoints.get(x));
        }
        return Collections.unmodifiableList(out);
    }
}
