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
 * The adjoint of a {@link MaxPool2dOp}: {@code max_pool2d_grad(x, y, dy)}, with {@code y} the pooling of {@code x},
 * has {@code x}'s shape and holds each {@code dy} at the element its window took as the maximum, summed where windows
 * overlap. The kernel gives each {@code dy} to the first element of its window equal to {@code y} (the last NaN when
 * that is NaN), which is the element the rule takes, without pooling again; the reference evaluation applies the rule
 * to {@code x}. Made by the differentiator; not differentiated again.
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
        TypeRules.arity(name(), args, 3);
        TensorType x = args.get(0);
        TensorType pooled = MaxPool2dOp.pooled(name(), x, size, stride, padding);
        for (int i = 1; i < 3; i++) {
            TensorType t = args.get(i);
            TypeRules.sameDtype(name(), i, x, t);
            if (!pooled.shape().equals(t.shape())) {
                throw new ShapeException(i, name() + ": " + (i == 1 ? "y " : "dy ") + t.shape() + " is not the shape "
                        + pooled.shape() + " of the pooling of x " + x.shape());
            }
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
        double[] dy = args.get(2).data();
        int[] shape = ctx.shape(y.shape());
        double[] dx = new double[Index.size(shape)];
        Windows.pool(shape, args.get(2).shape(), size, stride, padding, (yi, xi, count) ->
                dx[xi[MaxPool2dOp.argmax(x, xi, count)]] += dy[yi]);
        return new NdArray(shape, dx);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Node x = y.input(0);
        return CodeBlock.of("$T.maxBackward($L, $L, $L, $L, $L, $L);\n", JavaCode.rt("Pool2d"), ctx.ref(x),
                ctx.shapeArray(x.shape()), ctx.ref(y.input(1)), ctx.ref(y.input(2)),
                MaxPool2dOp.window(ctx, size, stride, padding), ctx.ref(y));
    }

    /** One comparison per element of each window. */
    @Override
    public Dim flops(Node y) {
        return y.input(2).shape().numel().times(Dim.of((long) size.h() * size.w()));
    }
}
