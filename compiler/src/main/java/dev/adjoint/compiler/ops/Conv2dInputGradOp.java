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
 * The adjoint of a {@link Conv2dOp}'s images: {@code conv2d_input_grad(dy [N, O, H', W'], w [O, C, kh, kw])} is
 * {@code dx [N, C, H, W]} ({@code H, W} = {@code input}), every {@code dy[n, o, i, j] · w[o, c, a, b]} added where
 * the convolution read {@code x} (PyTorch's {@code conv_transpose2d}). Made by the differentiator. Linear in each
 * argument, so its own adjoints are a convolution and a filter gradient.
 */
public record Conv2dInputGradOp(Pair stride, Pair padding, Pair dilation, Pair input) implements Op {

    public Conv2dInputGradOp {
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(dilation, "dilation");
        Objects.requireNonNull(input, "input");
    }

    @Override
    public String name() {
        return "conv2d_input_grad";
    }

    @Override
    public String attributes() {
        return Windows.attributes(stride, padding, dilation) + ", input=" + input;
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType dy = args.get(0);
        TensorType w = args.get(1);
        Windows.requireImages(name(), 0, "dy", "[N, O, H', W']", dy);
        Windows.requireImages(name(), 1, "w", "[O, C, kh, kw]", w);
        if (input.h() < 1 || input.w() < 1) {
            throw new ShapeException(name() + ": the input size must be positive, got " + input);
        }
        TensorType x = dy.withShape(Shape.of(dy.shape().dim(0), w.shape().dim(1), Dim.of(input.h()),
                Dim.of(input.w())));
        TensorType y = Conv2dOp.infer(name(), x, w, stride, padding, dilation);
        if (!y.shape().equals(dy.shape())) {
            throw new ShapeException(0, name() + ": dy " + dy.shape() + " is not the shape " + y.shape()
                    + " of the convolution of " + x.shape() + " by w " + w.shape());
        }
        return x;
    }

    /** {@code d dy = conv2d(ddx, w)}, {@code d w = conv2d_filter_grad(ddx, dy)}. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        Pair kernel = Conv2dOp.kernel(name(), v.x(1).type());
        return v.each(() -> g.op(new Conv2dOp(stride, padding, dilation), v.dy(), v.x(1)),
                () -> g.op(new Conv2dFilterGradOp(stride, padding, dilation, kernel), v.dy(), v.x(0)));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return i == 0 ? "conv2d_input_grad is linear in dy: its adjoint is conv2d(ddx, w)"
                : "conv2d_input_grad is linear in w: its adjoint is conv2d_filter_grad(ddx, dy)";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray dy = args.get(0);
        NdArray w = args.get(1);
        int[] shape = ctx.shape(y.shape());
        double[] dx = new double[Index.size(shape)];
        Windows.convolve(shape, w.shape(), dy.shape(), stride, padding, dilation,
                (xi, wi, yi) -> dx[xi] += dy.data()[yi] * w.data()[wi]);
        return new NdArray(shape, dx);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node w = y.input(1);
        return CodeBlock.of("$T.backwardInput($L, $L, $L, $L, $L, $L, $L, $L);\n", JavaCode.rt("Conv2d"),
                ctx.ref(y.input(0)), ctx.ref(w), ctx.shapeArray(w.shape()),
                Windows.steps(ctx, stride, padding, dilation), ctx.ref(y), ctx.shapeArray(y.shape()),
                ctx.scratch(y, Conv2dOp.COLUMNS), ctx.scratch(y, Conv2dOp.PRODUCTS));
    }

    @Override
    public List<Scratch> scratch(Node y) {
        return Conv2dOp.scratch(y.type(), y.input(1).type(), y.input(0).type());
    }

    @Override
    public Dim flops(Node y) {
        return Conv2dOp.flops(y.input(0).shape(), y.input(1).shape());
    }
}
