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
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code layer_norm(x, gamma, beta, axis, eps)}: {@code x} normalized to mean 0 and variance 1 along
 * {@code axis} (normalized), then scaled by {@code gamma} and shifted by {@code beta}, both of shape
 * {@code [x.dim(axis)]}. A dedicated rule: its gradient reuses the saved mean and inverse deviation.
 */
public record LayerNormOp(int axis, double eps) implements Op {

    @Override
    public String name() {
        return "layer_norm";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 3);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        Axes.check(name(), -1, x.shape(), axis);
        Norms.checkEps(name(), eps);
        Shape expected = Shape.of(x.shape().dim(axis));
        Norms.checkAffine(name(), x, args, expected, "[x.dim(" + axis + ")] of x " + x.shape());
        return x;
    }

    @Override
    public String attributes() {
        return "axis=" + axis + ", eps=" + Format.number(eps);
    }

    /** gamma {@code [D]} is placed on the normalized axis so it broadcasts against x. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        Node x = v.x(0);
        List<Dim> along = new ArrayList<>();
        for (int i = 0; i < x.shape().rank(); i++) {
            along.add(i == axis ? x.shape().dim(i) : Dim.of(1));
        }
        return Norms.vjp(g, v, axis, eps, () -> g.reshape(v.x(1), new Shape(along)), GradBuilder.allAxesBut(x, axis));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return Norms.adjointRule(i);
    }

    /** {@code (x - mean) / sqrt(var + eps) * gamma[j] + beta[j]} along {@code axis}; biased variance. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        double[] gamma = args.get(1).data();
        double[] beta = args.get(2).data();
        int outer = Index.outer(x.shape(), axis);
        int n = x.shape()[axis];
        int inner = Index.inner(x.shape(), axis);
        double[] v = x.data();
        double[] out = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double mean = 0;
                for (int j = 0; j < n; j++) {
                    mean += v[base + j * inner];
                }
                mean /= n;
                double var = 0;
                for (int j = 0; j < n; j++) {
                    double d = v[base + j * inner] - mean;
                    var += d * d;
                }
                var /= n;
                double inv = 1 / Math.sqrt(var + eps);
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    out[k] = (v[k] - mean) * inv * gamma[j] + beta[j];
                }
            }
        }
        return new NdArray(x.shape().clone(), out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Shape x = y.input(0).shape();
        return Norms.lower(ctx, y, "LayerNorm", CodeBlock.of("$L, $L, $L, $L, $L, $L", ctx.ref(y.input(0)),
                ctx.shapeArray(x), axis, ctx.ref(y.input(1)), ctx.ref(y.input(2)), JavaCode.literal(eps, DType.F64)));
    }

    /** The mean and inverse deviation of each line along the axis. */
    @Override
    public List<Scratch> scratch(Node y) {
        Shape x = y.input(0).shape();
        return Norms.scratch(y, x.numel().dividedBy(x.dim(axis)).orElseThrow());
    }

    /** About 8 operations per input element (mean, variance, normalize, scale). */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of(8));
    }
}
