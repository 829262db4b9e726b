package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code var(x, axis, keepdims, correction)} and {@code std(...)} (its square root) over {@code axes} (normalized,
 * as {@link ReduceOp}'s), as {@code torch.var} and {@code torch.std}: {@code sum((x - mean)^2) / (n - correction)}
 * over each group of {@code n} elements. When {@code n} is fixed, a divisor {@code n - correction <= 0} is a
 * compile-time error; for a symbolic {@code n} it gives infinity or NaN at run time, as in PyTorch.
 */
public record VarianceOp(List<Integer> axes, boolean keepdims, double correction, boolean std) implements Op {

    public VarianceOp {
        axes = List.copyOf(axes);
    }

    @Override
    public String name() {
        return std ? "std" : "var";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        Axes.checkSortedDistinct(name(), 0, x.shape(), axes);
        if (!Double.isFinite(correction)) {
            throw new ShapeException(name() + ": correction must be a finite number, got " + correction);
        }
        Dim n = count(x.shape());
        if (n.isFixed() && n.size() - correction <= 0) {
            throw new ShapeException(name() + ": the reduced axes of " + x + " hold " + n.size()
                    + (n.size() == 1 ? " element" : " elements") + ", so the divisor n - correction = " + n.size()
                    + " - " + Format.number(correction) + " is not positive"
                    + (correction == 1 ? "; pass correction=0 for the population " + name() : ""));
        }
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

    /** The number of elements of one group. */
    private Dim count(Shape in) {
        Dim n = Dim.of(1);
        for (int axis : axes) {
            n = n.times(in.dim(axis));
        }
        return n;
    }

    @Override
    public String attributes() {
        return "axes=" + axes + ", keepdims=" + keepdims + ", correction=" + Format.number(correction);
    }

    /**
     * {@code dvar/dx = 2 (x - mean) / (n - correction)}; {@code dstd/dx = (x - mean) / ((n - correction) std)},
     * which is infinite (and the gradient NaN) where {@code std = 0}, as in PyTorch.
     */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> {
            Node x = v.x(0);
            List<Dim> reduced = new ArrayList<>();
            axes.forEach(a -> reduced.add(v.shape(0).dim(a)));
            Node divisor = g.sub(g.count(reduced, x.dtype()), g.constant(correction, x));
            Node centered = g.sub(x, g.mean(x, axes, true));
            Node dy = ReduceFn.restoreAxes(g, axes, keepdims, v.shape(0), v.dy());
            if (!std) {
                return g.mul(dy, g.div(g.mul(centered, 2), divisor));
            }
            Node y = ReduceFn.restoreAxes(g, axes, keepdims, v.shape(0), v.y());
            return g.mul(dy, g.div(centered, g.mul(divisor, y)));
        });
    }

    @Override
    public String adjointRule(Node y, int i) {
        return std ? "d std(u)/du = (u - mean(u)) / ((n - correction) std(u))"
                : "d var(u)/du = 2 (u - mean(u)) / (n - correction)";
    }

    /** Two passes per group, as the runtime's kernel: the mean, then the squared deviations. */
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
        double[] mean = new double[n];
        int[] index = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            mean[Index.dot(index, toOut)] += x.data()[i];
            Index.next(index, in);
        }
        for (int o = 0; o < n; o++) {
            mean[o] /= count;
        }
        double[] out = new double[n];
        for (int i = 0; i < x.size(); i++) {
            int o = Index.dot(index, toOut);
            double d = x.data()[i] - mean[o];
            out[o] += d * d;
            Index.next(index, in);
        }
        for (int o = 0; o < n; o++) {
            out[o] /= count - correction;
            if (std) {
                out[o] = Math.sqrt(out[o]);
            }
        }
        return new NdArray(ctx.shape(y.shape()), out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$T.$N($L, $L, $L, $L, $L);\n", JavaCode.rt("Moments"), name(), ctx.ref(y.input(0)),
                ctx.shapeArray(y.input(0).shape()), ctx.ints(axes), JavaCode.literal(correction, DType.F64),
                ctx.ref(y));
    }

    /** A sum, then a subtraction, a product and a sum per input element. */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of(4));
    }
}
