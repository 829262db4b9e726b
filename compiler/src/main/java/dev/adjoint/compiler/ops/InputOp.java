package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * A value supplied by the caller ({@code input x : f32[B, 64]}). Its {@code name()} is the model's name
 * for it ({@code x}); {@code attributes()} says {@code input}, so dumps read {@code %0 = x[input][] : f32[B, 64]}.
 */
public record InputOp(String name, TensorType type) implements Op {

    public InputOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name, args, 0);
        return type;
    }

    @Override
    public String attributes() {
        return "input";
    }
}
