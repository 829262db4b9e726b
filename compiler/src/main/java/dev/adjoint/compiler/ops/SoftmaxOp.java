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
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code softmax(x, axis)}: exponentials normalized to sum 1 along {@code axis} (normalized). A dedicated
 * rule: it subtracts the maximum first, so it never overflows.
 */
public record SoftmaxOp(int axis) implements Op {

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        Axes.check(name(), -1, x.shape(), axis);
        return x;
    }

    @Override
    public String attributes() {
        return "axis=" + axis;
    }

    /** {@code dx = y * (dy - sum(dy * y))} along the axis. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        List<Integer> along = List.of(axis);
        Node y = v.y();
        return v.each(() -> g.mul(y, g.sub(v.dy(), g.sum(g.mul(v.dy(), y), along, true))));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "softmax: du = y * (dy - sum(dy * y))";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        return lines(args.get(0), axis, false);
    }

    /**
     * {@code exp(x - m) / sum(exp(x - m))} along {@code axis} ({@code m} the line's maximum), or with
     * {@code log} {@code x - m - log(sum(exp(x - m)))}. An array {@code [..., n, ...]} is viewed as
     * {@code [outer, n, inner]}; element {@code j} of line {@code (o, i)} is at {@code (o * n + j) * inner + i}.
     */
    static NdArray lines(NdArray x, int axis, boolean log) {
        int outer = Index.outer(x.shape(), axis);
        int n = x.shape()[axis];
        int inner = Index.inner(x.shape(), axis);
        double[] v = x.data();
        double[] out = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    m = Math.max(m, v[base + j * inner]);
                }
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += Math.exp(v[base + j * inner] - m);
                }
                for (int j = 0; j < n; j++) {
                    double shifted = v[base + j * inner] - m;
                    out[base + j * inner] = log ? shifted - Math.log(s) : Math.exp(shifted) / s;
                }
            }
        }
        return new NdArray(x.shape().clone(), out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$T.softmax($L, $L, $L, $L);\n", JavaCode.rt("Softmax"), ctx.ref(y.input(0)),
                ctx.shapeArray(y.shape()), axis, ctx.ref(y));
    }

    /** About 5 operations per input element (max, exp, sum, divide). */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of(5));
    }
}
