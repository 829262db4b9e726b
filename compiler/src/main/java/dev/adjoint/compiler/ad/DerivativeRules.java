package dev.adjoint.compiler.ad;

import static dev.adjoint.compiler.ops.CompareFn.EQ;
import static dev.adjoint.compiler.ops.CompareFn.GE;
import static dev.adjoint.compiler.ops.CompareFn.GT;
import static dev.adjoint.compiler.ops.CompareFn.LT;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.BatchNormOp;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.ConcatOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.DimValueOp;
import dev.adjoint.compiler.ops.GeluGradOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.LayerNormOp;
import dev.adjoint.compiler.ops.LeakyReluOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.PadOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.WhereOp;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The derivative of every op, as a table: one row per op, each giving the vector–Jacobian products (the
 * adjoint of each input, given the adjoint {@code dy} of the output {@code y}). A {@code null} adjoint is a
 * symbolic zero. Rules are written with {@link GradBuilder}, so their results are ordinary graph nodes.
 *
 * <p>Conventions at kinks and ties follow PyTorch: relu'(0) = 0, abs'(0) = sign(0) = 0, leaky_relu'(0) =
 * alpha, elementwise max/min ties give half to each side, a max reduction splits its adjoint evenly among
 * tied maxima (like {@code torch.amax}). Masked derivatives always select with {@code where}, never multiply
 * by a mask, so an Inf or NaN in the branch not taken reaches no gradient. The longer rules live in
 * {@link ShapeRules} and {@link NeuralRules}; this table names them.
 */
final class DerivativeRules {

    /** The adjoints of {@code v.y()}'s inputs, in input order. */
    @FunctionalInterface
    interface Rule {
        Node[] vjp(GradBuilder g, Vjp v);
    }

    /** An elementwise function of one argument: {@code dx} from {@code x}, {@code y = f(x)} and {@code dy}. */
    @FunctionalInterface
    private interface UnaryRule {
        Node vjp(GradBuilder g, Node x, Node y, Node dy);
    }

    private static final Map<Class<? extends Op>, Rule> OPS = new HashMap<>();
    private static final Map<UnaryFn, UnaryRule> UNARY = new EnumMap<>(UnaryFn.class);
    private static final Map<BinaryFn, Rule> BINARY = new EnumMap<>(BinaryFn.class);
    private static final Map<ReduceFn, Rule> REDUCE = new EnumMap<>(ReduceFn.class);

    static {
        // ---- elementwise, one argument: y = f(x) ----
        UNARY.put(UnaryFn.NEG, (g, x, y, dy) -> g.neg(dy));
        UNARY.put(UnaryFn.EXP, (g, x, y, dy) -> g.mul(dy, y));                               // exp' = exp = y
        UNARY.put(UnaryFn.LOG, (g, x, y, dy) -> g.div(dy, x));
        UNARY.put(UnaryFn.LOG1P, (g, x, y, dy) -> g.div(dy, g.add(g.constant(1, x), x)));
        UNARY.put(UnaryFn.SQRT, (g, x, y, dy) -> g.div(g.mul(dy, 0.5), y));                   // dy * 0.5 / sqrt(x)
        UNARY.put(UnaryFn.SQUARE, (g, x, y, dy) -> g.mul(dy, g.mul(x, 2)));
        UNARY.put(UnaryFn.ABS, (g, x, y, dy) -> g.mul(dy, g.unary(UnaryFn.SIGN, x)));         // abs'(0) = sign(0) = 0
        UNARY.put(UnaryFn.SIN, (g, x, y, dy) -> g.mul(dy, g.unary(UnaryFn.COS, x)));
        UNARY.put(UnaryFn.COS, (g, x, y, dy) -> g.mul(dy, g.neg(g.unary(UnaryFn.SIN, x))));
        UNARY.put(UnaryFn.TANH, (g, x, y, dy) -> g.mul(dy, g.sub(g.constant(1, y), g.square(y))));   // 1 - y^2
        UNARY.put(UnaryFn.SIGMOID, (g, x, y, dy) -> g.mul(dy, g.mul(y, g.sub(g.constant(1, y), y)))); // y (1 - y)
        UNARY.put(UnaryFn.RELU, (g, x, y, dy) -> g.where(g.compare(GT, x, 0), dy, g.constant(0, dy))); // relu'(0) = 0
        UNARY.put(UnaryFn.SOFTPLUS, (g, x, y, dy) -> g.mul(dy, g.unary(UnaryFn.SIGMOID, x)));
        UNARY.put(UnaryFn.GELU, (g, x, y, dy) -> g.op(new GeluGradOp(), x, dy));                // one fused op
        UNARY.put(UnaryFn.SIGN, (g, x, y, dy) -> null);                                        // piecewise constant

        // ---- elementwise, two arguments with broadcasting: each adjoint is summed back to its input's shape ----
        BINARY.put(BinaryFn.ADD, (g, v) -> v.each(
                () -> g.sumTo(v.dy(), v.shape(0)),
                () -> g.sumTo(v.dy(), v.shape(1))));
        BINARY.put(BinaryFn.SUB, (g, v) -> v.each(
                () -> g.sumTo(v.dy(), v.shape(0)),
                () -> g.sumTo(g.neg(v.dy()), v.shape(1))));
        BINARY.put(BinaryFn.MUL, (g, v) -> v.each(
                () -> g.sumTo(g.mul(v.dy(), v.x(1)), v.shape(0)),
                () -> g.sumTo(g.mul(v.dy(), v.x(0)), v.shape(1))));
        // d(a/b) = dy/b and -(dy/b) * y: one division shared by both sides, no b^2 to overflow
        BINARY.put(BinaryFn.DIV, (g, v) -> v.each(
                () -> g.sumTo(g.div(v.dy(), v.x(1)), v.shape(0)),
                () -> g.sumTo(g.neg(g.mul(g.div(v.dy(), v.x(1)), v.y())), v.shape(1))));
        BINARY.put(BinaryFn.POW, DerivativeRules::pow);
        // ties (a == b) give half of dy to each side, like torch.maximum / torch.minimum
        BINARY.put(BinaryFn.MAX, (g, v) -> minMax(g, v, GT));
        BINARY.put(BinaryFn.MIN, (g, v) -> minMax(g, v, LT));

        // ---- reductions: the adjoint, with the reduced axes restored as 1s, spreads back over them ----
        REDUCE.put(ReduceFn.SUM, (g, v) -> v.each(() -> g.broadcastTo(kept(g, v, v.dy()), v.shape(0))));
        // the count is a constant, or a DimValueOp when a reduced dim is symbolic (bound at call time)
        REDUCE.put(ReduceFn.MEAN, (g, v) -> v.each(() -> g.broadcastTo(
                g.div(kept(g, v, v.dy()), g.count(reducedDims(v), v.dy().dtype())), v.shape(0))));
        REDUCE.put(ReduceFn.MAX, DerivativeRules::reduceMax);
        // d logsumexp = softmax over the reduced axes = exp(x - y); x - y <= 0, so it cannot overflow
        REDUCE.put(ReduceFn.LOGSUMEXP, (g, v) -> v.each(() -> g.mul(kept(g, v, v.dy()),
                g.exp(g.sub(v.x(0), kept(g, v, v.y()))))));

        // ---- the ops themselves ----
        OPS.put(UnaryOp.class, (g, v) -> v.each(() -> UNARY.get(v.op(UnaryOp.class).fn()).vjp(g, v.x(0), v.y(), v.dy())));
        OPS.put(BinaryOp.class, (g, v) -> BINARY.get(v.op(BinaryOp.class).fn()).vjp(g, v));
        OPS.put(ReduceOp.class, (g, v) -> v.op(ReduceOp.class).axes().isEmpty()
                ? v.each(v::dy)                                        // reducing over no axes is the identity
                : REDUCE.get(v.op(ReduceOp.class).fn()).vjp(g, v));
        // leaky_relu'(x) = 1 for x > 0, else alpha (also at 0, as PyTorch's leaky_relu_backward)
        OPS.put(LeakyReluOp.class, (g, v) -> v.each(() -> g.where(g.compare(GT, v.x(0), 0), v.dy(),
                g.mul(v.dy(), v.op(LeakyReluOp.class).alpha()))));
        // a cast between floats casts the adjoint back; i32 and bool sources carry no gradient
        OPS.put(CastOp.class, (g, v) -> v.each(() -> v.x(0).dtype().isFloat()
                ? g.cast(v.dy(), v.x(0).dtype())
                : null));
        // select, never multiply by the mask: the branch not taken gets an exact 0 even where it is Inf/NaN
        OPS.put(WhereOp.class, (g, v) -> v.each(
                null,
                () -> g.sumTo(g.where(v.x(0), v.dy(), g.constant(0, v.dy())), v.shape(1)),
                () -> g.sumTo(g.where(v.x(0), g.constant(0, v.dy()), v.dy()), v.shape(2))));
        OPS.put(MatMulOp.class, ShapeRules::matmul);
        OPS.put(TransposeOp.class, ShapeRules::transpose);
        OPS.put(ReshapeOp.class, (g, v) -> v.each(() -> g.reshape(v.dy(), v.shape(0))));
        OPS.put(BroadcastOp.class, (g, v) -> v.each(() -> g.sumTo(v.dy(), v.shape(0))));
        OPS.put(ConcatOp.class, ShapeRules::concat);
        OPS.put(SliceOp.class, (g, v) -> v.each(() -> g.op(PadOp.undo(v.op(SliceOp.class), v.shape(0)), v.dy())));
        OPS.put(PadOp.class, ShapeRules::pad);
        OPS.put(SoftmaxOp.class, NeuralRules::softmax);
        OPS.put(LogSoftmaxOp.class, NeuralRules::logSoftmax);
        OPS.put(CrossEntropyOp.class, NeuralRules::crossEntropy);
        OPS.put(LayerNormOp.class, NeuralRules::layerNorm);
        OPS.put(BatchNormOp.class, NeuralRules::batchNorm);
        OPS.put(GeluGradOp.class, (g, v) -> {
            throw new UnsupportedOperationException("gelu_grad: no derivative rule; the gradient of gelu cannot be"
                    + " differentiated again (second derivatives of gelu are not supported)");
        });
        // masks and one-hot rows are piecewise constant; leaves have no inputs
        OPS.put(CompareOp.class, (g, v) -> v.none());
        OPS.put(OneHotOp.class, (g, v) -> v.none());
        OPS.put(InputOp.class, (g, v) -> v.none());
        OPS.put(ParamOp.class, (g, v) -> v.none());
        OPS.put(ConstantOp.class, (g, v) -> v.none());
        OPS.put(DimValueOp.class, (g, v) -> v.none());
    }

    private DerivativeRules() {
    }

    /** The adjoints of {@code v.y()}'s inputs; an entry is null where the adjoint is zero or not needed. */
    static Node[] vjp(GradBuilder g, Vjp v) {
        Op op = v.y().op();
        Rule rule = OPS.get(op.getClass());
        if (rule == null) {
            throw new UnsupportedOperationException(op.name() + ": no derivative rule for this op ("
                    + op.getClass().getSimpleName() + ")");
        }
        return rule.vjp(g, v);
    }

    /**
     * {@code y = a ^ b}, as PyTorch's pow_backward: da = dy * b * a^(b-1), 0 where b == 0; db = dy * y * log(a),
     * 0 where a == 0 and b >= 0 (the limit of a^b log a). A constant exponent folds: d(x^3) = 3 x^2.
     */
    private static Node[] pow(GradBuilder g, Vjp v) {
        Node a = v.x(0);
        Node b = v.x(1);
        Node dy = v.dy();
        return v.each(() -> {
            if (b.op() instanceof ConstantOp c) {
                if (c.value() == 0) {
                    return null;
                }
                Node da = c.value() == 1 ? dy : g.mul(dy, g.mul(g.constant(c.value(), a),
                        g.pow(a, g.constant(c.value() - 1, a))));
                return g.sumTo(da, v.shape(0));
            }
            Node da = g.mul(dy, g.mul(b, g.pow(a, g.sub(b, g.constant(1, b)))));
            return g.sumTo(g.where(g.compare(EQ, b, 0), g.constant(0, dy), da), v.shape(0));
        }, () -> {
            Node db = g.mul(dy, g.mul(v.y(), g.log(a)));
            Node atZero = g.where(g.compare(GE, b, 0), g.constant(0, dy), db);
            return g.sumTo(g.where(g.compare(EQ, a, 0), atZero, db), v.shape(1));
        });
    }

    /** {@code max(a, b)} ({@code wins} = GT) or {@code min(a, b)} ({@code wins} = LT): the winner takes dy, ties half. */
    private static Node[] minMax(GradBuilder g, Vjp v, CompareFn wins) {
        Node a = v.x(0);
        Node b = v.x(1);
        Node dy = v.dy();
        Supplier<Node> tie = () -> g.where(g.compare(EQ, a, b), g.mul(dy, 0.5), g.constant(0, dy));
        return v.each(
                () -> g.sumTo(g.where(g.compare(wins, a, b), dy, tie.get()), v.shape(0)),
                () -> g.sumTo(g.where(g.compare(wins, b, a), dy, tie.get()), v.shape(1)));
    }

    /**
     * A max reduction: the adjoint goes to the elements equal to the maximum, split evenly among ties
     * (PyTorch's amax convention): {@code where(x == y, dy / count, 0)}.
     */
    private static Node[] reduceMax(GradBuilder g, Vjp v) {
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
