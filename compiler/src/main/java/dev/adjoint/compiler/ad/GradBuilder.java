package dev.adjoint.compiler.ad;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.Broadcasting;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.DimValueOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The little DSL the derivative rules are written in: one method per primitive, each a call to
 * {@link GraphBuilder#add}, so adjoints hash-cons with the forward graph. It folds only what a rule would
 * otherwise spell out by hand ({@code x * 1}, {@code x + 0}, {@code x ^ 1}, reshapes and broadcasts to the
 * shape a value already has), keeping the gradient graph free of no-ops without a separate pass.
 */
public final class GradBuilder {
    private final GraphBuilder b;

    public GradBuilder(GraphBuilder b) {
        this.b = b;
    }

    // ---- leaves ----

    public Node constant(double v, DType dtype) {
        return b.add(new ConstantOp(v, dtype));
    }

    /** The scalar {@code v} in the element type of {@code like}. */
    public Node constant(double v, Node like) {
        return constant(v, like.dtype());
    }

    /** The product of {@code dims} as a scalar: a constant when fixed, else a {@link DimValueOp} bound at run time. */
    public Node count(List<Dim> dims, DType dtype) {
        Dim n = Dim.of(1);
        for (Dim d : dims) {
            n = n.times(d);
        }
        return n.isFixed() ? constant(n.size(), dtype) : b.add(new DimValueOp(n, dtype));
    }

    // ---- elementwise arithmetic ----

    public Node add(Node x, Node y) {
        if (isConstant(y, 0) && sameShapeAsResult(x, y)) {
            return x;
        }
        if (isConstant(x, 0) && sameShapeAsResult(y, x)) {
            return y;
        }
        return binary(BinaryFn.ADD, x, y);
    }

    public Node sub(Node x, Node y) {
        if (isConstant(y, 0) && sameShapeAsResult(x, y)) {
            return x;
        }
        return binary(BinaryFn.SUB, x, y);
    }

    public Node mul(Node x, Node y) {
        if (isConstant(y, 1) && sameShapeAsResult(x, y)) {
            return x;
        }
        if (isConstant(x, 1) && sameShapeAsResult(y, x)) {
            return y;
        }
        return binary(BinaryFn.MUL, x, y);
    }

    public Node mul(Node x, double c) {
        return mul(x, constant(c, x));
    }

    public Node div(Node x, Node y) {
        if (isConstant(y, 1) && sameShapeAsResult(x, y)) {
            return x;
        }
        return binary(BinaryFn.DIV, x, y);
    }

    public Node pow(Node x, Node y) {
        if (isConstant(y, 1) && sameShapeAsResult(x, y)) {
            return x;
        }
        return binary(BinaryFn.POW, x, y);
    }

    public Node binary(BinaryFn fn, Node x, Node y) {
        return b.add(new BinaryOp(fn), x, y);
    }

    public Node neg(Node x) {
        return unary(UnaryFn.NEG, x);
    }

    public Node exp(Node x) {
        return unary(UnaryFn.EXP, x);
    }

    public Node log(Node x) {
        return unary(UnaryFn.LOG, x);
    }

    public Node square(Node x) {
        return unary(UnaryFn.SQUARE, x);
    }

    public Node unary(UnaryFn fn, Node x) {
        return b.add(new UnaryOp(fn), x);
    }

    // ---- masks and selection ----

    public Node compare(CompareFn fn, Node x, Node y) {
        return b.add(new CompareOp(fn), x, y);
    }

    /** {@code x > c} for a scalar {@code c} in x's type. */
    public Node compare(CompareFn fn, Node x, double c) {
        return compare(fn, x, constant(c, x));
    }

    public Node where(Node mask, Node a, Node b2) {
        return b.add(new WhereOp(), mask, a, b2);
    }

    public Node cast(Node x, DType to) {
        return x.dtype() == to ? x : b.add(new CastOp(to), x);
    }

    // ---- reductions and shapes ----

    /** {@code x} summed over {@code axes} (normalized, increasing); no axes is {@code x} itself. */
    public Node sum(Node x, List<Integer> axes, boolean keepdims) {
        return reduce(ReduceFn.SUM, x, axes, keepdims);
    }

    public Node mean(Node x, List<Integer> axes, boolean keepdims) {
        return reduce(ReduceFn.MEAN, x, axes, keepdims);
    }

    public Node reduce(ReduceFn fn, Node x, List<Integer> axes, boolean keepdims) {
        return axes.isEmpty() ? x : b.add(new ReduceOp(fn, axes, keepdims), x);
    }

    /** Every axis of {@code x} except {@code keep}. */
    public static List<Integer> allAxesBut(Node x, int keep) {
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < x.shape().rank(); i++) {
            if (i != keep) {
                axes.add(i);
            }
        }
        return axes;
    }

    public Node reshape(Node x, Shape to) {
        return x.shape().equals(to) ? x : b.add(new ReshapeOp(to), x);
    }

    public Node broadcastTo(Node x, Shape to) {
        return x.shape().equals(to) ? x : b.add(new BroadcastOp(to), x);
    }

    /**
     * The adjoint of broadcasting {@code to} up to {@code g}'s shape: {@code g} summed over the axes that
     * broadcasting added (on the left) or stretched (a 1 in {@code to}), then reshaped to {@code to}. Only
     * the fixed 1s of {@code to} are looked at, so symbolic dims pass through untouched.
     */
    public Node sumTo(Node g, Shape to) {
        Shape from = g.shape();
        if (from.equals(to)) {
            return g;
        }
        int lead = from.rank() - to.rank();
        if (lead < 0) {
            throw new IllegalStateException("sumTo: " + from + " is smaller than " + to);
        }
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < from.rank(); i++) {
            if (i < lead || to.dim(i - lead).isOne() && !from.dim(i).isOne()) {
                axes.add(i);
            }
        }
        return reshape(sum(g, axes, false), to);
    }

    public Node transpose(Node x, List<Integer> perm) {
        return b.add(new TransposeOp(perm), x);
    }

    public Node matmul(Node x, Node y) {
        return b.add(new MatMulOp(), x, y);
    }

    /** Any other op, for the rules that need one once ({@code pad}, {@code slice}, {@code one_hot}...). */
    public Node op(Op op, Node... inputs) {
        return b.add(op, inputs);
    }

    // ---- folding helpers ----

    public static boolean isConstant(Node n, double v) {
        return n.op() instanceof ConstantOp c && c.value() == v;
    }

    /** True when {@code x op scalarLike} would have exactly {@code x}'s shape, so the op can be dropped. */
    private static boolean sameShapeAsResult(Node x, Node other) {
        return other.shape().rank() <= x.shape().rank()
                && Broadcasting.broadcastsTo(other.shape(), x.shape());
    }
}
