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
import java.util.Objects;

/**
 * {@code avg_pool2d(x, size, stride, padding)} on images {@code [N, C, H, W]}: the mean of each {@code size} window,
 * the padding counted as zeros (PyTorch's default {@code count_include_pad=True}), so every window is divided by
 * {@code kh·kw}. Linear: its adjoint spreads each {@code dy / (kh·kw)} over the window ({@link AvgPool2dGradOp}).
 */
public record AvgPool2dOp(Pair size, Pair stride, Pair padding) implements Op {

    public AvgPool2dOp {
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
    }

    @Override
    public String name() {
        return "avg_pool2d";
    }

    @Override
    public String attributes() {
        return "size=" + size + ", " + Windows.attributes(stride, padding, null);
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        return MaxPool2dOp.pooled(name(), args.get(0), size, stride, padding);
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.op(new AvgPool2dGradOp(size, stride, padding, Conv2dOp.spatial(v.shape(0))), v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "d avg_pool2d/dx: each dy / (kh·kw) to every element of its window";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        double[] x = args.get(0).data();
        int[] shape = ctx.shape(y.shape());
        double[] out = new double[Index.size(shape)];
        double taps = (double) size.h() * size.w();
        Windows.pool(args.get(0).shape(), shape, size, stride, padding, (yi, xi, count) -> {
            double s = 0;
            for (int k = 0; k < count; k++) {
                s += x[xi[k]];
            }
            out[yi] = s / taps;
        });
        return new NdArray(shape, out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node x = y.input(0);
        return CodeBlock.of("$T.avgForward($L, $L, $L, $L);\n", JavaCode.rt("Pool2d"), ctx.ref(x),
                ctx.shapeArray(x.shape()), MaxPool2dOp.window(ctx, size, stride, padding), ctx.ref(y));
    }

    /** One addition per element of each window. */
    @Override
    public Dim flops(Node y) {
        return y.shape().numel().times(Dim.of((long) size.h() * size.w()));
    }
}
