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
 * The adjoint of a {@link Conv2dOp}'s filters: {@code conv2d_filter_grad(x [N, C, H, W], dy [N, O, H', W'])} is
 * {@code dw [O, C, kh, kw]} ({@code kh, kw} = {@code kernel}), the sum over the batch and the output positions of
 * {@code dy[n, o, i, j] · x[n, c, i·sh - ph + a·dh, j·sw - pw + b·dw]}. Made by the differentiator. Linear in each
 * argument, so its own adjoints are a transposed convolution and a convolution.
 */
public record Conv2dFilterGradOp(Pair stride, Pair padding, Pair dilation, Pair kernel) implements Op {

    public Conv2dFilterGradOp {
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(dilation, "dilation");
        Objects.requireNonNull(kernel, "kernel");
    }

    @Override
    public String name() {
        return "conv2d_filter_grad";
    }

    @Override
    public String attributes() {
        return Windows.attributes(stride, padding, dilation) + ", kernel=" + kernel;
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType x = args.get(0);
        TensorType dy = args.get(1);
        Windows.requireImages(name(), 0, "x", "[N, C, H, W]", x);
        Windows.requireImages(name(), 1, "dy", "[N, O, H', W']", dy);
        if (kernel.h() < 1 || kernel.w() < 1) {
            throw new ShapeException(name() + ": the kernel size must be positive, got " + kernel);
        }
        TensorType w = x.withShape(Shape.of(dy.shape().dim(1), x.shape().dim(1), Dim.of(kernel.h()),
                Dim.of(kernel.w())));
        TypeRules.sameDtype(name(), 1, x, dy);
        TensorType y = Conv2dOp.infer(name(), x, w, stride, padding, dilation);
        if (!y.shape().equals(dy.shape())) {
            throw new ShapeException(1, name() + ": dy " + dy.shape() + " is not the shape " + y.shape()
                    + " of the convolution of x " + x.shape() + " by " + w.shape());
        }
        return w;
    }

    /** {@code d x = conv2d_input_grad(dy, ddw)}, {@code d dy = conv2d(x, ddw)}. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        Pair input = Conv2dOp.spatial(v.shape(0));
        return v.each(() -> g.op(new Conv2dInputGradOp(stride, padding, dilation, input), v.x(1), v.dy()),
                () -> g.op(new Conv2dOp(stride, padding, dilation), v.x(0), v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return i == 0 ? "conv2d_filter_grad is linear in x: its adjoint is conv2d_input_grad(dy, ddw)"
                : "conv2d_filter_grad is linear in dy: its adjoint is conv2d(x, ddw)";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        NdArray dy = args.get(1);
        int[] shape = ctx.shape(y.shape());
        double[] dw = new double[Index.size(shape)];
        Windows.convolve(x.shape(), shape, dy.shape(), stride, padding, dilation,
                (xi, wi, yi) -> dw[wi] += dy.data()[yi] * x.data()[xi]);
        return new NdArray(shape, dw);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node x = y.input(0);
        return CodeBlock.of("$T.backwardFilter($L, $L, $L, $L, $L, $L, $L, $L);\n", JavaCode.rt("Conv2d"),
                ctx.ref(x), ctx.shapeArray(x.shape()), ctx.ref(y.input(1)),
                Windows.steps(ctx, stride, padding, dilation), ctx.ref(y), ctx.shapeArray(y.shape()),
                ctx.scratch(y, Conv2dOp.COLUMNS), ctx.scratch(y, Conv2dOp.PRODUCTS));
    }

    @Override
    public List<Scratch> scratch(Node y) {
        return Conv2dOp.scratch(y.input(0).type(), y.type(), y.input(1).type());
    }

    @Override
    public Dim flops(Node y) {
        return Conv2dOp.flops(y.input(1).shape(), y.shape());
    }
}
