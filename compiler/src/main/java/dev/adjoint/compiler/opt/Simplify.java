package dev.adjoint.compiler.opt;

import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.ArangeOp;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.DimValueOp;
import dev.adjoint.compiler.ops.ElementwiseOp;
import dev.adjoint.compiler.ops.LabelCheckOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Algebraic simplification: a table of named rules, each commented with what it rewrites and why it is exact.
 *
 * <p><b>NaN and infinity policy.</b> A rule never turns a NaN or an infinity into a number. So {@code x * 0} becomes
 * {@code 0} only when {@code x} is finite whatever the inputs are (a constant, a count, a mask or label cast to a
 * number), never for a computed float; {@code x - x} is left alone. The stability rules ({@code log-of-softmax},
 * {@code log-of-sigmoid}) go the other way: they give a finite result where the literal formula would overflow
 * to an infinity or underflow to {@code log(0)}, and agree with it (to rounding) wherever it is finite.
 *
 * <p><b>Rounding.</b> Every rule is exact (the same bits) except {@code sum-of-broadcast} (a sum of {@code n}
 * equal values becomes one product, which rounds once instead of {@code n} times) and the stability rules.
 */
public final class Simplify extends RulePass {

    public static final List<Rule> RULES = List.of(
            // a scalar of constants is the constant the op's own evaluation gives (rounded as the code would)
            new Rule("constant-fold", (g, n) -> {
                Double v = ConstantFold.fold(n, n.inputs());
                return v == null ? null : g.constant(v, n.dtype());
            }),
            // x * 1 = x and 1 * x = x, when the product has x's shape (else the 1 broadcasts x and must stay)
            new Rule("mul-by-one", (g, n) -> binaryIdentity(n, BinaryFn.MUL, 1, true)),
            // x + 0 = x and 0 + x = x, when the sum has x's shape (see binaryIdentity for the sign of zero)
            new Rule("add-zero", (g, n) -> binaryIdentity(n, BinaryFn.ADD, 0, true)),
            // x - 0 = x
            new Rule("sub-zero", (g, n) -> binaryIdentity(n, BinaryFn.SUB, 0, false)),
            // x / 1 = x
            new Rule("div-by-one", (g, n) -> binaryIdentity(n, BinaryFn.DIV, 1, false)),
            // -(-x) = x
            new Rule("neg-neg", (g, n) -> isUnary(n, UnaryFn.NEG) && isUnary(n.input(0), UnaryFn.NEG)
                    ? n.input(0).input(0) : null),
            // where(m, x, x) = x (when the mask does not widen x)
            new Rule("where-same-branches", (g, n) -> n.op() instanceof WhereOp && n.input(1) == n.input(2)
                    && n.input(1).type().equals(n.type()) ? n.input(1) : null),
            // x * 0 = 0 only for an x that is finite whatever the inputs are (the NaN policy above)
            new Rule("mul-by-zero-finite", Simplify::mulByZero),
            // transpose(transpose(x, p), q) = transpose(x, p∘q), and a transpose by the identity is x
            new Rule("transpose-of-transpose", Simplify::transposeOfTranspose),
            new Rule("transpose-identity", (g, n) -> n.op() instanceof TransposeOp t && isIdentity(t.perm())
                    ? n.input(0) : null),
            // reshape(reshape(x)) = reshape(x); a reshape to the shape x has is x
            new Rule("reshape-of-reshape", (g, n) -> n.op() instanceof ReshapeOp r && n.input(0).op() instanceof ReshapeOp
                    ? g.reshape(n.input(0).input(0), r.to()) : null),
            new Rule("reshape-identity", (g, n) -> n.op() instanceof ReshapeOp && n.input(0).shape().equals(n.shape())
                    ? n.input(0) : null),
            // broadcast(broadcast(x)) = broadcast(x); a broadcast to the shape x has is x
            new Rule("broadcast-of-broadcast", (g, n) -> n.op() instanceof BroadcastOp b
                    && n.input(0).op() instanceof BroadcastOp ? g.broadcastTo(n.input(0).input(0), b.to()) : null),
            new Rule("broadcast-identity", (g, n) -> n.op() instanceof BroadcastOp && n.input(0).shape().equals(n.shape())
                    ? n.input(0) : null),
            // reshape(broadcast(s)) of a one-element s is a broadcast of s to the new shape (one value everywhere)
            new Rule("reshape-of-scalar-broadcast", (g, n) -> n.op() instanceof ReshapeOp r
                    && n.input(0).op() instanceof BroadcastOp && n.input(0).input(0).shape().numel().isOne()
                    ? g.broadcastTo(g.reshape(n.input(0).input(0), Shape.SCALAR), r.to()) : null),
            // sum over the axes a broadcast created = the value times their size; mean = the value (rounds once)
            new Rule("sum-of-broadcast", Simplify::reductionOfBroadcast),
            // log(softmax(x)) = log_softmax(x): finite where softmax underflows to 0 (stability)
            new Rule("log-of-softmax", (g, n) -> isUnary(n, UnaryFn.LOG) && n.input(0).op() instanceof SoftmaxOp s
                    ? g.op(new LogSoftmaxOp(s.axis()), n.input(0).input(0)) : null),
            // log(sigmoid(x)) = -softplus(-x): finite where sigmoid underflows to 0 (stability)
            new Rule("log-of-sigmoid", (g, n) -> isUnary(n, UnaryFn.LOG) && isUnary(n.input(0), UnaryFn.SIGMOID)
                    ? g.neg(g.unary(UnaryFn.SOFTPLUS, g.neg(n.input(0).input(0)))) : null),
            // x ^ 2 = x * x: pow's own special case (fdlibm, and the JIT's intrinsic, return x * x for an exponent of 2),
            // written as the product so that no call to Math.pow is left in a loop
            new Rule("pow-two-as-square", (g, n) -> n.op() instanceof BinaryOp b && b.fn() == BinaryFn.POW
                    && isConstant(n.input(1), 2) && n.input(0).type().equals(n.type()) ? g.square(n.input(0)) : null),
            // f(broadcast(a), b) = broadcast(f(a, b)) when no operand has the full shape: computed once on the small
            // shape (a constant when the operands are, as the adjoint seeds of a loss are), then read by index
            new Rule("elementwise-of-broadcasts", Simplify::elementwiseOfBroadcasts),
            // one_hot(y, n) = cast(check_labels(reshape(y, [..., 1])) == arange(n)): a comparison read by index,
            // never a dense array of zeros; the 1.0 and 0.0 are exact, and out-of-range labels still throw
            new Rule("one-hot-as-comparison", Simplify::oneHotAsComparison));

    /** The rules that make a result finite where the literal formula is not (the audit trail names them). */
    public static final java.util.Set<String> STABILITY = java.util.Set.of("log-of-softmax", "log-of-sigmoid");

    public Simplify() {
        this("simplify");
    }

    /** The same rules under another pass name (the pipeline runs them again after layout folding). */
    public Simplify(String name) {
        super(name, RULES);
    }

    static boolean isUnary(Node n, UnaryFn fn) {
        return n.op() instanceof UnaryOp u && u.fn() == fn;
    }

    static boolean isConstant(Node n, double v) {
        return n.op() instanceof ConstantOp c && c.value() == v;
    }

    /**
     * {@code x op c -> x} (and {@code c op x -> x} when {@code commutes}), when the result has x's type. For
     * {@code add}, {@code x + 0} is {@code x} except that {@code -0.0 + 0.0} is {@code +0.0}: the sign of a zero
     * gradient is not observable through any op of the language except division by it, so the rule is applied
     * (PyTorch's and JAX's simplifiers do the same).
     */
    private static Node binaryIdentity(Node n, BinaryFn fn, double identity, boolean commutes) {
        if (!(n.op() instanceof BinaryOp b) || b.fn() != fn) {
            return null;
        }
        if (isConstant(n.input(1), identity) && n.input(0).type().equals(n.type())) {
            return n.input(0);
        }
        if (commutes && isConstant(n.input(0), identity) && n.input(1).type().equals(n.type())) {
            return n.input(1);
        }
        return null;
    }

    /** Values finite whatever the inputs: constants that are, counts, and masks or labels cast to a number. */
    static boolean alwaysFinite(Node n) {
        if (n.op() instanceof ConstantOp c) {
            return Double.isFinite(c.value());
        }
        if (n.op() instanceof DimValueOp || n.op() instanceof ArangeOp || n.op() instanceof OneHotOp) {
            return true;
        }
        if (n.op() instanceof CastOp) {
            return !n.input(0).dtype().isFloat();                // from bool or i32
        }
        if (n.op() instanceof BroadcastOp || n.op() instanceof ReshapeOp) {
            return alwaysFinite(n.input(0));
        }
        return false;
    }

    private static Node mulByZero(GradBuilder g, Node n) {
        if (!(n.op() instanceof BinaryOp b) || b.fn() != BinaryFn.MUL || !n.dtype().isFloat()) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            Node zero = n.input(i);
            Node other = n.input(1 - i);
            if (zero.op() instanceof ConstantOp c && c.value() == 0 && alwaysFinite(other)) {
                return g.broadcastTo(g.constant(0, n.dtype()), n.shape());
            }
        }
        return null;
    }

    private static Node elementwiseOfBroadcasts(GradBuilder g, Node n) {
        if (!(n.op() instanceof ElementwiseOp)) {
            return null;
        }
        List<Node> small = new ArrayList<>();
        List<TensorType> types = new ArrayList<>();
        boolean any = false;
        for (Node in : n.inputs()) {
            Node s = in.op() instanceof BroadcastOp ? in.input(0) : in;
            any |= s != in;
            small.add(s);
            types.add(s.type());
        }
        if (!any) {
            return null;
        }
        try {
            TensorType t = n.op().infer(types);
            if (t.shape().equals(n.shape()) || !new BroadcastOp(n.shape()).infer(List.of(t)).equals(n.type())) {
                return null;                       // an operand has the full shape: broadcast-into-elementwise's case
            }
        } catch (ShapeException e) {
            return null;
        }
        return g.broadcastTo(g.op(n.op(), small.toArray(new Node[0])), n.shape());
    }

    private static boolean isIdentity(List<Integer> perm) {
        for (int i = 0; i < perm.size(); i++) {
            if (perm.get(i) != i) {
                return false;
            }
        }
        return true;
    }

    private static Node transposeOfTranspose(GradBuilder g, Node n) {
        if (!(n.op() instanceof TransposeOp outer) || !(n.input(0).op() instanceof TransposeOp inner)) {
            return null;
        }
        // axis i of the result is axis outer[i] of the inner result, which is axis inner[outer[i]] of x
        List<Integer> composed = new ArrayList<>();
        for (int a : outer.perm()) {
            composed.add(inner.perm().get(a));
        }
        Node x = n.input(0).input(0);
        return isIdentity(composed) ? x : g.transpose(x, composed);
    }

    /**
     * {@code sum(broadcast(x, to), axes)} when every summed axis is one the broadcast added or stretched: the
     * same value counted {@code n} times, so {@code x * n} ({@code mean}: {@code x}), shaped as the result.
     */
    private static Node reductionOfBroadcast(GradBuilder g, Node n) {
        if (!(n.op() instanceof ReduceOp r) || !(n.input(0).op() instanceof BroadcastOp)
                || r.fn() != ReduceFn.SUM && r.fn() != ReduceFn.MEAN || r.axes().isEmpty()) {
            return null;
        }
        Node x = n.input(0).input(0);
        Shape to = n.input(0).shape();
        Shape from = x.shape();
        int lead = to.rank() - from.rank();
        // x's shape aligned with the broadcast's (missing leading axes as 1s)
        List<Dim> aligned = new ArrayList<>();
        for (int a = 0; a < to.rank(); a++) {
            aligned.add(a < lead ? Dim.of(1) : from.dim(a - lead));
        }
        List<Dim> counted = new ArrayList<>();
        for (int axis : r.axes()) {
            if (!aligned.get(axis).isOne() || to.dim(axis).isOne()) {
                return null;                                    // an axis x really has: a true sum
            }
            counted.add(to.dim(axis));
        }
        List<Dim> kept = new ArrayList<>();
        for (int a = 0; a < to.rank(); a++) {
            if (!r.axes().contains(a)) {
                kept.add(aligned.get(a));
            } else if (r.keepdims()) {
                kept.add(Dim.of(1));
            }
        }
        Node shaped = g.broadcastTo(g.reshape(x, new Shape(kept)), n.shape());
        return r.fn() == ReduceFn.MEAN ? shaped : g.mul(shaped, g.count(counted, n.dtype()));
    }

    private static Node oneHotAsComparison(GradBuilder g, Node n) {
        if (!(n.op() instanceof OneHotOp oh)) {
            return null;
        }
        Node labels = n.input(0);
        List<Dim> column = new ArrayList<>(labels.shape().dims());
        column.add(Dim.of(1));
        Node checked = g.op(new LabelCheckOp(oh.n(), "one_hot"), g.reshape(labels, new Shape(column)));
        Node mask = g.compare(CompareFn.EQ, checked, g.op(new ArangeOp(Dim.of(oh.n()), DType.I32)));
        return g.op(new CastOp(oh.dtype()), mask);
    }
}
