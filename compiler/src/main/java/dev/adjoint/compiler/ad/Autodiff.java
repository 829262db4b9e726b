package dev.adjoint.compiler.ad;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation as a graph-to-graph function. One generic driver walks the forward nodes in
 * reverse topological order (node ids are topological), asks each node's op ({@link dev.adjoint.compiler.ir.Op#vjp}) for the adjoints of
 * its inputs, and sums contributions at fan-out. Only nodes on a path from the loss to a requested
 * variable are visited; {@code i32} values and {@code bool} masks carry no gradient. The adjoints are new
 * nodes of the same {@link GraphBuilder}, so they hash-cons with the forward graph and can be inspected,
 * optimized and differentiated again.
 */
public final class Autodiff {

    private Autodiff() {
    }

    /**
     * The gradients of a model's loss with respect to every {@code param} and every {@code input grad}, built in
     * a builder that extends {@code g} (which is not changed).
     */
    public static Gradients of(Graph g) {
        return of(GraphBuilder.extend(g), g);
    }

    /** As {@link #of(Graph)}, adding to {@code b}, which must hold {@code g}'s nodes (see {@link GraphBuilder#extend}). */
    public static Gradients of(GraphBuilder b, Graph g) {
        return differentiate(b, lossOf(g), wrtOf(g));
    }

    static Node lossOf(Graph g) {
        if (!g.hasLoss()) {
            throw new IllegalArgumentException("model " + g.model() + " has no loss to differentiate");
        }
        return g.loss().node();
    }

    /** Every param, then every {@code input grad}, in declaration order. */
    static List<Node> wrtOf(Graph g) {
        List<Node> wrt = new ArrayList<>();
        for (Graph.Param p : g.params()) {
            wrt.add(p.node());
        }
        for (Graph.Input in : g.inputs()) {
            if (in.grad()) {
                wrt.add(in.node());
            }
        }
        return wrt;
    }

    /**
     * The adjoints of {@code loss} with respect to {@code wrt}, added to {@code b}. The loss's adjoint is the
     * constant 1 of its element type; a non-scalar loss is treated as its sum (its adjoint is all ones).
     *
     * @throws IllegalArgumentException if the loss is not a float value of {@code b}
     * @throws UnsupportedOperationException naming the op, if a node on the path has no derivative rule
     */
    public static Gradients differentiate(GraphBuilder b, Node loss, List<Node> wrt) {
        int n = loss.id() + 1;
        if (b.size() < n || b.nodes().get(loss.id()) != loss) {
            throw new IllegalArgumentException("the loss " + loss + " is not a node of this graph");
        }
        if (!loss.dtype().isFloat()) {
            throw new IllegalArgumentException("the loss must be f32 or f64 to be differentiated, got " + loss.type());
        }
        List<Node> forward = List.copyOf(b.nodes().subList(0, n));
        boolean[] needed = onPath(forward, loss, wrt);

        GradBuilder g = new GradBuilder(b);
        Node[] adjoint = new Node[n];
        adjoint[loss.id()] = g.broadcastTo(g.constant(1, loss.dtype()), loss.shape());
        Map<Node, Node> computed = new LinkedHashMap<>();
        Map<Node, Node> origin = new IdentityHashMap<>();
        for (int id = loss.id(); id >= 0; id--) {
            Node y = forward.get(id);
            if (!needed[id] || adjoint[id] == null) {
                continue;                                  // off the path, or a symbolic zero
            }
            computed.put(y, adjoint[id]);
            boolean[] needs = new boolean[y.inputs().size()];
            boolean any = false;
            for (int i = 0; i < needs.length; i++) {
                needs[i] = needed[y.input(i).id()];
                any |= needs[i];
            }
            if (!any) {
                continue;                                  // a leaf, or a variable whose inputs lead nowhere
            }
            int before = b.size();
            Node[] vjps = y.op().vjp(g, new Vjp(y, adjoint[id], needs));
            for (int i = 0; i < needs.length; i++) {
                if (needs[i] && vjps[i] != null) {
                    Node x = y.input(i);
                    check(y, i, x, vjps[i]);
                    adjoint[x.id()] = adjoint[x.id()] == null ? vjps[i] : g.add(adjoint[x.id()], vjps[i]);
                }
            }
            for (int k = before; k < b.size(); k++) {
                origin.put(b.nodes().get(k), y);             // built by y's rule (or summing into its inputs)
            }
        }
        return new Gradients(loss, wrt, computed, origin);
    }

    /**
     * Which forward nodes lie on a path from the loss to a requested variable: float nodes that the loss
     * depends on and that are, or depend on, one of {@code wrt}.
     */
    private static boolean[] onPath(List<Node> forward, Node loss, List<Node> wrt) {
        int n = forward.size();
        boolean[] fromLoss = new boolean[n];
        fromLoss[loss.id()] = true;
        for (int id = n - 1; id >= 0; id--) {
            if (fromLoss[id]) {
                for (Node in : forward.get(id).inputs()) {
                    fromLoss[in.id()] = true;
                }
            }
        }
        Set<Node> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        targets.addAll(wrt);
        boolean[] needed = new boolean[n];
        for (int id = 0; id < n; id++) {
            Node node = forward.get(id);
            if (!fromLoss[id] || !node.dtype().isFloat()) {
                continue;
            }
            boolean on = targets.contains(node);
            for (Node in : node.inputs()) {
                on |= needed[in.id()];
            }
            needed[id] = on;
        }
        return needed;
    }

    /** A rule must return an adjoint of exactly its input's type; anything else is a bug in the rule. */
    private static void check(Node y, int i, Node x, Node dx) {
        if (!dx.type().equals(x.type())) {
            throw new IllegalStateException(y.op().name() + ": derivative rule gave " + dx.type() + " for input " + i
                    + " of type " + x.type() + " (node " + y + ")");
        }
    }
}
