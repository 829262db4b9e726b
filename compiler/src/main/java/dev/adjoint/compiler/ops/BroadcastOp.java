package dev.adjoint.compiler.ops;

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
}
