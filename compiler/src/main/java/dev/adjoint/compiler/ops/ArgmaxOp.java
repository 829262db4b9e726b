package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code argmax(x, axis)} ({@code axis} normalized): the {@code i32} index of the first maximal element along the
 * axis, which is dropped (kept as 1 with {@code keepdims}), as {@code torch.argmax}; a NaN counts as the maximum.
 * The result is an integer, so no gradient flows through it.
 */
public record ArgmaxOp(int axis, boolean keepdims) implements Op {

    @Override
    public String name() {
        return "argmax";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        TypeRules.requireNumber(name(), 0, x);
        Axes.check(name(), 0, x.shape(), axis);
        return new TensorType(DType.I32, keepdims ? x.shape().withDim(axis, Dim.of(1)) : x.shape().withoutAxis(axis));
    }

    @Override
    public String attributes() {
        return "axis=" + axis + ", keepdims=" + keepdims;
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        int n = x.shape()[axis];
        int inner = Index.inner(x.shape(), axis);
        double[] out = new double[x.size() / n];
        for (int j = 0; j < out.length; j++) {
            int base = j / inner * n * inner + j % inner;
            int best = 0;
            for (int q = 1; q < n && !Double.isNaN(x.data()[base + best * inner]); q++) {
                double v = x.data()[base + q * inner];
                if (v > x.data()[base + best * inner] || Double.isNaN(v)) {
                    best = q;
                }
            }
            out[j] = best;
        }
        return new NdArray(ctx.shape(y.shape()), out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$T.argmax($L, $L, $L, $L);\n", JavaCode.rt("ArgMax"), ctx.ref(y.input(0)),
                ctx.shapeArray(y.input(0).shape()), axis, ctx.ref(y));
    }

    /** One comparison per input element. */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel();
    }
}
