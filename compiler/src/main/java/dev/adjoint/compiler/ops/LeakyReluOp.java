package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/** {@code leaky_relu(x, alpha)}: {@code x} where positive, {@code alpha * x} elsewhere. */
public record LeakyReluOp(double alpha) implements Op {

    @Override
    public String name() {
        return "leaky_relu";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TypeRules.requireFloat(name(), 0, args.get(0));
        return args.get(0);
    }

    @Override
    public String attributes() {
        return "alpha=" + Format.number(alpha);
    }
}
