package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.CompareFn.EQ;

import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The reductions, as a table: each row carries the name, the derivative (the adjoint, with the reduced axes
 * restored as 1s, spreads back over them), the runtime kernel and the textbook rule. {@code LOGSUMEXP} has
 * its own rule because the composite would overflow.
 */
public enum ReduceFn {
    SUM("sum", true, "sum",
            (g, v) -> v.each(() -> g.broadcastTo(kept(g, v, v.dy()), v.shape(0))),
            "d sum(u)/du = 1, broadcast back"),
    /** The count is a constant, or a DimValue when a reduced dim is symbolic (bound at call time). */
    MEAN("mean", false, "mean",
            (g, v) -> v.each(() -> g.broadcastTo(
                    g.div(kept(g, v, v.dy()), g.count(reducedDims(v), v.dy().dtype())), v.shape(0))),
            "d mean(u)/du = 1/n, broadcast back"),
    /**
     * The adjoint goes to the elements equal to the maximum, split evenly among ties (PyTorch's amax
     * convention): {@code where(x == y, dy / count, 0)}.
     */
    MAX("max", true, "max", ReduceFn::max,
            "d max(u)/du = [u is the max]"),
    /** d logsumexp = softmax over the reduced axes = exp(x - y); {@code x - y <= 0}, so it cannot overflow. */
    LOGSUMEXP("logsumexp", false, "logsumexp",
            (g, v) -> v.each(() -> g.mul(kept(g, v, v.dy()), g.exp(g.sub(v.x(0), kept(g, v, v.y()))))),
            "d logsumexp(u)/du = softmax(u)");

    @FunctionalInterface
    interface Derivative {
        Node[] vjp(GradBuilder g, Vjp v);
    }

    private final String text;
    private final boolean acceptsI32;
    private final String kernel;
    private final Derivative derivative;
    private final String rule;

    ReduceFn(String text, boolean acceptsI32, String kernel, Derivative derivative, String rule) {
        this.text = text;
        this.acceptsI32 = acceptsI32;
        this.kernel = kernel;
        this.derivative = derivative;
        this.rule = rule;
    }

    /** The name as written in a model ({@code sum}). */
    public String text() {
        return text;
    }

    /** True when {@code i32} input is allowed (the result stays exact). */
    public boolean acceptsI32() {
        return acceptsI32;
    }

    /** The method of the runtime's {@code Reductions} that computes it. */
    String kernel() {
        return kernel;
    }

    Node[] vjp(GradBuilder g, Vjp v) {
        return derivative.vjp(g, v);
    }

    String rule() {
        return rule;
    }

    private static Node[] max(GradBuilder g, Vjp v) {
        ReduceOp r = v.op(ReduceOp.class);
        return v.each(() -> {
            Node x = v.x(0);
            Node isMax = g.compare(EQ, x, kept(g, v, v.y()));
            Node count = g.sum(g.cast(isMax, x.dtype()), r.axes(), true);
            return g.where(isMax, g.div(kept(g, v, v.dy()), count), g.constant(0, x));
        });
    }

    /**
     * {@code t} (shaped like the reduction's result) with the reduced axes restored as 1s, so it broadcasts
     * against the input. Leading reduced axes need no reshape: broadcasting aligns shapes on the right.
     */
    private static Node kept(GradBuilder g, Vjp v, Node t) {
        ReduceOp r = v.op(ReduceOp.class);
        List<Integer> axes = r.axes();
        if (r.keepdims() || axes.get(axes.size() - 1) == axes.size() - 1) {
            return t;
        }
        List<Dim> dims = new ArrayList<>(v.shape(0).dims());
        for (int axis : axes) {
            dims.set(axis, Dim.of(1));
        }
        return g.reshape(t, new Shape(dims));
    }

    private static List<Dim> reducedDims(Vjp v) {
        List<Dim> dims = new ArrayList<>();
        for (int axis : v.op(ReduceOp.class).axes()) {
            dims.add(v.shape(0).dim(axis));
        }
        return dims;
    }
}
