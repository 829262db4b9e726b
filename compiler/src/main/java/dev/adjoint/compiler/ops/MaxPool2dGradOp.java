package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * The adjoint of a {@link MaxPool2dOp}: {@code max_pool2d_grad(x, dy)} has {@code x}'s shape and holds each
 * {@code dy} at the element its window took as the maximum (found again from {@code x}, by the same rule), summed
 * where windows overlap. The kernel pools {@code x} again into a scratch buffer and gives each {@code dy} to the
 * first element of its window equal to that maximum. Made by the differentiator; not differentiated again.
 */
public record MaxPool2dGradOp(Pair size, Pair stride, Pair padding) implements Op {

    public MaxPool2dGradOp {
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(padding, "padding");
    }

    @Override
    public String name() {
        return "max_pool2d_grad";
    }

    @Override
    public String attributes() {
        return "size=" + size + ", " + Windows.attributes(stride, padding, null);
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType x = args.get(0);
        TensorType dy = args.get(1);
        TensorType y = MaxPool2dOp.pooled(name(), x, size, stride, padding);
        TypeRules.sameDtype(name(), 1, x, dy);
        if (!y.shape().equals(dy.shape())) {
            throw new ShapeException(1, name() + ": dy " + dy.shape() + " is not the shape " + y.shape()
                    + " of the pooling of x " + x.shape());
        }
        return x;
    }

    /** Second derivatives of {@code max_pool2d} are not supported. */
    @Override
    public Differentiability differentiability() {
        return Differentiability.NONE;
    }

    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        double[] x = args.get(0).data();
        double[] dy = args.get(1).data();
        int[] shape = ctx.shape(y.shape());
        double[] dx = new double[Index.size(shape)];
        Windows.pool(shape, args.get(1).shape(), size, stride, padding, (yi, xi, count) ->
                dx[xi[MaxPool2dOp.argmax(x, xi, count)]] += dy[yi]);
        return new NdArray(shape, dx);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node x = y.input(0);
        return CodeBlock.of("$T.maxBackward($L, $L, $L, $L, $L, $L);\n", JavaCode.rt("Pool2d"), ctx.ref(x),
                ctx.shapeArray(x.shape()), ctx.ref(y.input(1)), MaxPool2dOp.window(ctx, size, stride, padding),
                ctx.ref(y), ctx.scratch(y, POOLED));
    }

    /** The scratch of the kernel, of {@code dy}'s shape: the pooling again, to find each window's maximum by. */
    static final String POOLED = "pooled";

    @Override
    public List<Scratch> scratch(Node y) {
        return List.of(new Scratch(POOLED, y.dtype(), y.input(1).shape().numel()));
    }

    /** One comparison per element of each window. */
    @Override
    public Dim flops(Node y) {
        return y.input(1).shape().numel().times(Dim.of((long) size.h() * size.w()));
    }
}
