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
 * {@code max_pool2d(x, size, stride, padding)} on images {@code [N, C, H, W]}: the maximum of each {@code size}
 * window, as PyTorch's {@code max_pool2d} (padding never wins: the windows read only the input; each must hold some
 * of it, so the padding is at most half the window). The maximum of a window is its first maximal element in
 * row-major window order, and its gradient goes there alone ({@link MaxPool2dGradOp}); a NaN in a window is its
 * maximum (the last NaN), as in PyTorch.
 */
public record MaxPool2dOp(Pair size, Pair stride, Pair padding) implements Op {

    public MaxPool2dOp {
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
    }

    @Override
    public String name() {
        return "max_pool2d";
    }

    @Override
    public String attributes() {
        return "size=" + size + ", " + Windows.attributes(stride, padding, null);
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        return pooled(name(), args.get(0), size, stride, padding);
    }

    /** The shape rule of the poolings: {@code [N, C, H', W']} from {@code x [N, C, H, W]}. */
    static TensorType pooled(String op, TensorType x, Pair size, Pair stride, Pair padding) {
        Windows.checkSteps(op, stride, padding, Pair.of(1));
        Windows.checkPoolWindow(op, size, padding);
        Windows.requireImages(op, 0, "x", "[N, C, H, W]", x);
        return x.withShape(Windows.slide(op, 0, "x", x, x.shape().dim(1), size, stride, padding, Pair.of(1)));
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.op(new MaxPool2dGradOp(size, stride, padding), v.x(0), v.y(), v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "d max_pool2d/dx: each dy to the first maximal element of its window";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        double[] x = args.get(0).data();
        int[] shape = ctx.shape(y.shape());
        double[] out = new double[Index.size(shape)];
        Windows.pool(args.get(0).shape(), shape, size, stride, padding, (yi, xi, count) ->
                out[yi] = x[xi[argmax(x, xi, count)]]);
        return new NdArray(shape, out);
    }

    /**
     * The position in {@code xi} of the maximum of {@code x} over the window {@code xi[0 .. count-1]}: the first
     * maximal element, or the last NaN, as PyTorch's CPU kernel.
     */
    static int argmax(double[] x, int[] xi, int count) {
        int best = 0;
        for (int k = 1; k < count; k++) {
            double v = x[xi[k]];
            if (v > x[xi[best]] || Double.isNaN(v)) {
                best = k;
            }
        }
        return best;
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node x = y.input(0);
        return CodeBlock.of("$T.maxForward($L, $L, $L, $L);\n", JavaCode.rt("Pool2d"), ctx.ref(x),
                ctx.shapeArray(x.shape()), window(ctx, size, stride, padding), ctx.ref(y));
    }

    /** {@code {kh, kw, sh, sw, ph, pw}}, the runtime's description of a pooling window. */
    static CodeBlock window(LoweringContext ctx, Pair size, Pair stride, Pair padding) {
        return ctx.ints(List.of(size.h(), size.w(), stride.h(), stride.w(), padding.h(), padding.w()));
    }

    /** One comparison per element of each window. */
    @Override
    public Dim flops(Node y) {
        return y.shape().numel().times(Dim.of((long) size.h() * size.w()));
    }
}
