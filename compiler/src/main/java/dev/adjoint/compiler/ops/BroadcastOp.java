package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.Layout;
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
 * Explicit broadcasting to {@code to}, which the input must broadcast to exactly (NumPy rules). Made by
 * the differentiator (the adjoint of a sum), not written in models.
 */
public record BroadcastOp(Shape to) implements Op {

    public BroadcastOp {
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String name() {
        return "broadcast";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        Shape from = args.get(0).shape();
        if (!Broadcasting.broadcastsTo(from, to)) {
            throw new ShapeException(0, "broadcast: " + from + " cannot be broadcast to " + to);
        }
        return args.get(0).withShape(to);
    }

    @Override
    public String attributes() {
        return "to=" + to;
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.sumTo(v.dy(), v.shape(0)));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "broadcast: du = dy summed over the broadcast axes";
    }

    /** {@code x} repeated along its size-1 and missing axes. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        int[] out = ctx.shape(to);
        return Layout.gather(args.get(0), 0, Index.broadcastStrides(args.get(0).shape(), out), out);
    }

    /** A broadcast to the shape the value already has is the value itself. */
    @Override
    public int aliasedInput(Node y) {
        return y.input(0).shape().equals(to) ? 0 : -1;
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$T.broadcastTo($L, $L, $L, $L);\n", JavaCode.rt("Broadcast"), ctx.ref(y.input(0)),
                ctx.shapeArray(y.input(0).shape()), ctx.ref(y), ctx.shapeArray(to));
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
