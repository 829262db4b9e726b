package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * {@code cast(x, type)}: converts to {@code f32}, {@code f64} or {@code i32} (from any of those or from a
 * {@code bool} mask, which becomes 1/0). Masks are made by comparisons, never by a cast.
 */
public record CastOp(DType to) implements Op {

    public CastOp {
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String name() {
        return "cast";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        if (to == DType.BOOL) {
            throw new ShapeException(1, "cast: cannot cast to bool; make a mask with a comparison such as x > 0");
        }
        return args.get(0).withDtype(to);
    }

    @Override
    public String attributes() {
        return "to=" + to;
    }
}
