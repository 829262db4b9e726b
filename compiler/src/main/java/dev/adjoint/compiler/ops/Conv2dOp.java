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
import java.util.List;
import java.util.Objects;

/**
 * {@code conv2d(x, w, stride, padding, dilation)}, as PyTorch's {@code conv2d} without bias: images
 * {@code x [N, C, H, W]} and filters {@code w [O, C, kh, kw]} give {@code y [N, O, H', W']} with
 * <pre>
 *   y[n, o, i, j] = Σ_c Σ_a Σ_b x[n, c, i·sh - ph + a·dh, j·sw - pw + b·dw] · w[o, c, a, b]
 * </pre>
 * (zero padding). The spatial sizes must be fixed; the batch {@code N} may be a dim. Its two adjoints are ops of
 * their own ({@link Conv2dInputGradOp}, {@link Conv2dFilterGradOp}), and the three are the same sum read three ways,
 * so each one's derivative is one of the others.
 *
 * <p>Lowered through the matrix kernels (im2col): the windows of every image are copied into the rows of a
 * {@code [N·H'·W', C·kh·kw]} matrix, one product with the filters gives {@code [N·H'·W', O]}, laid out as
 * {@code [N, O, H', W']}; see the runtime's {@code Conv2d} and BENCHMARKS.md for the comparison with a direct loop.
 */
public record Conv2dOp(Pair stride, Pair padding, Pair dilation) implements Op {

    public Conv2dOp {
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(dilation, "dilation");
    }

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public String attributes() {
        return Windows.attributes(stride, padding, dilation);
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        return infer(name(), args.get(0), args.get(1), stride, padding, dilation);
    }

    /** The shape rule of a convolution of {@code x} by {@code w}, shared with its gradients. */
    static TensorType infer(String op, TensorType x, TensorType w, Pair stride, Pair padding, Pair dilation) {
        Windows.checkSteps(op, stride, padding, dilation);
        Windows.requireImages(op, 0, "x", "[N, C, H, W]", x);
        Windows.requireImages(op, 1, "w", "[O, C, kh, kw]", w);
        TypeRules.sameDtype(op, 1, x, w);
        Dim channels = x.shape().dim(1);
        if (!channels.equals(w.shape().dim(1))) {
            throw new ShapeException(1, op + ": x " + x.shape() + " has " + channels + " channels (axis 1), but w "
                    + w.shape() + " [O, C, kh, kw] takes " + w.shape().dim(1));
        }
        Pair kernel = kernel(op, w);
        return x.withShape(Windows.slide(op, 0, "x", x, w.shape().dim(0), kernel, stride, padding, dilation));
    }

    /** The fixed kernel size {@code [kh, kw]} of filters {@code w [O, C, kh, kw]}. */
    static Pair kernel(String op, TensorType w) {
        long[] k = new long[2];
        for (int a = 0; a < 2; a++) {
            Dim d = w.shape().dim(2 + a);
            if (!d.isFixed()) {
                throw new ShapeException(1, op + ": the kernel size of w " + w + " [O, C, kh, kw] must be fixed, not "
                        + "the dim " + d);
            }
            k[a] = d.size();
        }
        return new Pair(Math.toIntExact(k[0]), Math.toIntExact(k[1]));
    }

    /** {@code [H, W]} of images {@code [N, C, H, W]} whose sizes the shape rule has checked. */
    static Pair spatial(Shape images) {
        return new Pair(Math.toIntExact(images.dim(2).size()), Math.toIntExact(images.dim(3).size()));
    }

    /**
     * {@code dx} is the transposed convolution of {@code dy} by the same filters; {@code dw} correlates the images
     * with {@code dy}.
     */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(
                () -> g.op(new Conv2dInputGradOp(stride, padding, dilation, spatial(v.shape(0))), v.dy(), v.x(1)),
                () -> g.op(new Conv2dFilterGradOp(stride, padding, dilation, kernel(name(), v.x(1).type())), v.x(0),
                        v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return i == 0 ? "d conv2d/dx: dx[n, c, r, s] = Σ dy[n, o, i, j] · w[o, c, a, b] over the taps that read x[n, c, r, s]"
                : "d conv2d/dw: dw[o, c, a, b] = Σ dy[n, o, i, j] · x[n, c, i·sh - ph + a·dh, j·sw - pw + b·dw]";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        NdArray w = args.get(1);
        int[] shape = ctx.shape(y.shape());
        double[] out = new double[Index.size(shape)];
        Windows.convolve(x.shape(), w.shape(), shape, stride, padding, dilation,
                (xi, wi, yi) -> out[yi] += x.data()[xi] * w.data()[wi]);
        return new NdArray(shape, out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node x = y.input(0);
        Node w = y.input(1);
        return CodeBlock.of("$T.forward($L, $L, $L, $L, $L, $L, $L, $L);\n", JavaCode.rt("Conv2d"), ctx.ref(x),
                ctx.shapeArray(x.shape()), ctx.ref(w), ctx.shapeArray(w.shape()), Windows.steps(ctx, stride, padding,
                        dilation), ctx.ref(y), ctx.scratch(y, COLUMNS), ctx.scratch(y, PRODUCTS));
    }

    /** The scratch of every convolution kernel: the im2col matrix {@code [N·H'·W', C·kh·kw]}. */
    static final String COLUMNS = "columns";
    /** ... and the product {@code [N·H'·W', O]} before (or after) its layout as {@code [N, O, H', W']}. */
    static final String PRODUCTS = "products";

    /** The two buffers of the im2col kernels for a convolution of {@code x} by {@code w} into {@code y}. */
    static List<Scratch> scratch(TensorType x, TensorType w, TensorType y) {
        Shape ys = y.shape();
        Dim positions = ys.dim(0).times(ys.dim(2)).times(ys.dim(3));
        Dim taps = w.shape().dim(1).times(w.shape().dim(2)).times(w.shape().dim(3));
        return List.of(new Scratch(COLUMNS, x.dtype(), positions.times(taps)),
                new Scratch(PRODUCTS, x.dtype(), positions.times(w.shape().dim(0))));
    }

    @Override
    public List<Scratch> scratch(Node y) {
        return scratch(y.input(0).type(), y.input(1).type(), y.type());
    }

    /** {@code 2·C·kh·kw} per output element (a multiply and an add per tap). */
    @Override
    public Dim flops(Node y) {
        return flops(y.shape(), y.input(1).shape());
    }

    /** The multiply-adds of the convolution giving {@code y}, shared with its gradients (which do as many). */
    static Dim flops(Shape y, Shape w) {
        return y.numel().times(w.dim(1)).times(w.dim(2)).times(w.dim(3)).times(Dim.of(2));
    }
}
