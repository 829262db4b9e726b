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
 * The adjoint of an {@link AvgPool2dOp}: {@code avg_pool2d_grad(dy [N, C, H', W'])} is {@code dx [N, C, H, W]}
 * ({@code H, W} = {@code input}) with each {@code dy / (kh·kw)} added to every input element of its window. Made by
 * the differentiator; linear, so its adjoint is the pooling itself.
 */
public record AvgPool2dGradOp(Pair size, Pair stride, Pair padding, Pair input) implements Op {

    public AvgPool2dGradOp {
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(input, "input");
    }

    @Override
    public String name() {
        return "avg_pool2d_grad";
    }

    @Override
    public String attributes() {
        return "size=" + size + ", " + Windows.attributes(stride, padding, null) + ", input=" + input;
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType dy = args.get(0);
        Windows.requireImages(name(), 0, "dy", "[N, C, H', W']", dy);
        if (input.h() < 1 || input.w() < 1) {
            throw new ShapeException(name() + ": the input size must be positive, got " + input);
        }
        Shape s = dy.shape();
        TensorType x = dy.withShape(Shape.of(s.dim(0), s.dim(1), Dim.of(input.h()), Dim.of(input.w())));
        TensorType y = MaxPool2dOp.pooled(name(), x, size, stride, padding);
        if (!y.shape().equals(s)) {
            throw new ShapeException(0, name() + ": dy " + s + " is not the shape " + y.shape()
                    + " of the pooling of " + x.shape());
        }
        return x;
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.op(new AvgPool2dOp(size, stride, padding), v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "avg_pool2d_grad is linear: its adjoint is avg_pool2d(ddx)";
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        double[] dy = args.get(0).data();
        int[] shape = ctx.shape(y.shape());
        double[] dx = new double[Index.size(shape)];
        double taps = (double) size.h() * size.w();
        Windows.pool(shape, args.get(0).shape(), size, stride, padding, (yi, xi, count) -> {
            for (int k = 0; k < count; k++) {
                dx[xi[k]] += dy[yi] / taps;
            }
        });
        return new NdArray(shape, dx);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$T.avgBackward($L, $L, $L, $L);\n", JavaCode.rt("Pool2d"), ctx.ref(y.input(0)),
                MaxPool2dOp.window(ctx, size, stride, padding), ctx.ref(y), ctx.shapeArray(y.shape()));
    }

    /** One addition per element of each window. */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of((long) size.h() * size.w()));
    }
}
