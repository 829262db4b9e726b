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
import java.util.List;

/**
 * {@code batch_norm(x, gamma, beta, eps)}: {@code x} of shape {@code [N, ...]} normalized with the mean and
 * variance of the batch (axis 0), then scaled by {@code gamma} and shifted by {@code beta}, both shaped
 * like one example ({@code x}'s shape without axis 0).
 */
public record BatchNormOp(double eps) implements Op {

    @Override
    public String name() {
        return "batch_norm";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 3);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        if (x.rank() < 2) {
            throw new ShapeException(0, "batch_norm: x must have a batch axis and at least one more, [N, ...], got "
                    + x);
        }
        Norms.checkEps(name(), eps);
        Shape expected = x.shape().withoutAxis(0);
        Norms.checkAffine(name(), x, args, expected, "x's shape " + x.shape() + " without the batch axis");
        return x;
    }

    @Override
    public String attributes() {
        return "eps=" + Format.number(eps);
    }

    /** The statistics are over the batch (axis 0); gamma is one example's shape. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return Norms.vjp(g, v, 0, eps, () -> v.x(1), List.of(0));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return Norms.adjointRule(i);
    }

    /**
     * The normalization over the batch axis 0: each of the {@code m} positions of one example has its own
     * mean and variance over the {@code n} examples, and its own {@code gamma} and {@code beta}.
     */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        double[] gamma = args.get(1).data();
        double[] beta = args.get(2).data();
        int n = x.shape()[0];
        int m = Index.inner(x.shape(), 0);
        double[] v = x.data();
        double[] out = new double[v.length];
        for (int p = 0; p < m; p++) {
            double mean = 0;
            for (int b = 0; b < n; b++) {
                mean += v[b * m + p];
            }
            mean /= n;
            double var = 0;
            for (int b = 0; b < n; b++) {
                double d = v[b * m + p] - mean;
                var += d * d;
            }
            var /= n;
            double inv = 1 / Math.sqrt(var + eps);
            for (int b = 0; b < n; b++) {
                out[b * m + p] = (v[b * m + p] - mean) * inv * gamma[p] + beta[p];
            }
        }
        return new NdArray(x.shape().clone(), out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Shape x = y.input(0).shape();
        return Norms.lower(ctx, y, "BatchNorm", CodeBlock.of("$L, $L, $L, $L, $L", ctx.ref(y.input(0)),
                ctx.shapeArray(x), ctx.ref(y.input(1)), ctx.ref(y.input(2)), JavaCode.literal(eps, DType.F64)));
    }

    /** The mean and inverse deviation of each position of an example. */
    @Override
    public List<Scratch> scratch(Node y) {
        Shape x = y.input(0).shape();
        return Norms.scratch(y, x.numel().dividedBy(x.dim(0)).orElseThrow());
    }

    /** About 8 operations per input element (mean, variance, normalize, scale). */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of(8));
    }
}
