package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;

/**
 * A reduction over {@code axes} (normalized: non-negative, strictly increasing). Reduced axes are dropped,
 * or kept with size 1 when {@code keepdims}. Empty {@code axes} leaves the value unchanged in shape.
 */
public record ReduceOp(ReduceFn fn, List<Integer> axes, boolean keepdims) implements Op {

    public ReduceOp {
        Objects.requireNonNull(fn, "fn");
        axes = List.copyOf(axes);
    }

    /**
     * The reduction of a value of shape {@code in} over the axes as written in the model.
     *
     * @param axesAsWritten axes that may count from the end; null reduces over every axis
     * @throws ShapeException for an axis out of range ({@code sum: axis 2 is out of range ...}) or one
     *     listed twice ({@code sum: axis 1 listed twice})
     */
    public static ReduceOp of(ReduceFn fn, Shape in, List<Long> axesAsWritten, boolean keepdims) {
        return new ReduceOp(fn, normalizeAxes(fn.text(), in, axesAsWritten), keepdims);
    }

    /**
     * The axes as written in the model, normalized (non-negative, increasing) for a value of shape {@code in};
     * null is every axis. Shared by every reduction ({@code var}, {@code std} too).
     *
     * @throws ShapeException for an axis out of range or one listed twice, naming {@code op}
     */
    public static List<Integer> normalizeAxes(String op, Shape in, List<Long> axesAsWritten) {
        List<Integer> axes = new ArrayList<>();
        if (axesAsWritten == null) {
            for (int i = 0; i < in.rank(); i++) {
                axes.add(i);
            }
            return axes;
        }
        Map<Integer, Long> written = new HashMap<>();
        for (Long a : axesAsWritten) {
            int axis = in.normalizeAxis(op, a);
            Long before = written.putIfAbsent(axis, a);
            if (before != null) {
                throw new ShapeException(op + ": axis " + axis + " listed twice"
                        + (before.equals(a) ? "" : " (as " + before + " and " + a + ")"));
            }
            axes.add(axis);
        }
        Collections.sort(axes);
        return axes;
    }

    @Override
    public String name() {
        return fn.text();
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        if (fn.acceptsI32()) {
            TypeRules.requireNumber(name(), 0, x);
        } else {
            TypeRules.requireFloat(name(), 0, x);
        }
        Axes.checkSortedDistinct(name(), 0, x.shape(), axes);
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains(i)) {
                out.add(x.shape().dim(i));
            } else if (keepdims) {
                out.add(Dim.of(1));
            }
        }
        return x.withShape(new Shape(out));
    }

    @Override
    public String attributes() {
        return "axes=" + axes + ", keepdims=" + keepdims;
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return axes.isEmpty() ? v.each(v::dy) : fn.vjp(g, v);   // reducing over no axes is the identity
    }

    @Override
    public String adjointRule(Node y, int i) {
        return fn.rule();
    }

    /**
     * Computed in the keepdims layout (the reduced axes kept with size 1), which has the same row-major order
     * as the layout without them.
     */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        int[] in = x.shape();
        int[] kept = in.clone();
        int count = 1;
        for (int axis : axes) {
            kept[axis] = 1;
            count *= in[axis];
        }
        int[] toOut = Index.broadcastStrides(kept, in);
        int n = Index.size(kept);
        double[] out = switch (fn) {
            case SUM -> sum(x, toOut, n);
            case MEAN -> divide(sum(x, toOut, n), count);
            case MAX -> max(x, toOut, n);
            case LOGSUMEXP -> logSumExp(x, toOut, n);
            case MIN -> fold(x, toOut, n, Double.POSITIVE_INFINITY, Math::min);
            case PROD -> fold(x, toOut, n, 1, (a, b) -> a * b);
        };
        return new NdArray(ctx.shape(y.shape()), out);
    }

    private static double[] sum(NdArray x, int[] toOut, int n) {
        double[] acc = new double[n];
        int[] index = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            acc[Index.dot(index, toOut)] += x.data()[i];
            Index.next(index, x.shape());
        }
        return acc;
    }

    private static double[] divide(double[] values, int count) {
        for (int i = 0; i < values.length; i++) {
            values[i] /= count;
        }
        return values;
    }

    /** NaN wins, as in NumPy and PyTorch ({@link Math#max} propagates it). */
    private static double[] max(NdArray x, int[] toOut, int n) {
        double[] acc = new double[n];
        Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        int[] index = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            int o = Index.dot(index, toOut);
            acc[o] = Math.max(acc[o], x.data()[i]);
            Index.next(index, x.shape());
        }
        return acc;
    }

    /** Each output element: {@code start} combined with every element of its group, in row-major order. */
    private static double[] fold(NdArray x, int[] toOut, int n, double start, DoubleBinaryOperator f) {
        double[] acc = new double[n];
        Arrays.fill(acc, start);
        int[] index = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            int o = Index.dot(index, toOut);
            acc[o] = f.applyAsDouble(acc[o], x.data()[i]);
            Index.next(index, x.shape());
        }
        return acc;
    }

    /** {@code m + log(sum(exp(x - m)))} with {@code m} the maximum; an infinite maximum is the answer itself. */
    private static double[] logSumExp(NdArray x, int[] toOut, int n) {
        double[] m = max(x, toOut, n);
        double[] s = new double[n];
        int[] index = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            int o = Index.dot(index, toOut);
            s[o] += Math.exp(x.data()[i] - m[o]);
            Index.next(index, x.shape());
        }
        double[] out = new double[n];
        for (int o = 0; o < n; o++) {
            out[o] = Double.isInfinite(m[o]) ? m[o] : m[o] + Math.log(s[o]);
        }
        return out;
    }

    /** A reduction over no axes is the value itself. */
    @Override
    public int aliasedInput(Node y) {
        return axes.isEmpty() ? 0 : -1;
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        if (!y.dtype().isFloat() && !fn.acceptsI32()) {
            throw JavaCode.unsupported(fn.text() + " of " + y.dtype());
        }
        return CodeBlock.of("$T.$N($L, $L, $L, $L);\n", JavaCode.rt("Reductions"), fn.kernel(), ctx.ref(y.input(0)),
                ctx.shapeArray(y.input(0).shape()), ctx.ints(axes), ctx.ref(y));
    }

    /** One operation per input element (three for logsumexp). */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of(fn == ReduceFn.LOGSUMEXP ? 3 : 1));
    }
}
