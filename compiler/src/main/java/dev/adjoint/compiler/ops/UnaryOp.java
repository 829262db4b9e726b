package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/** An elementwise function of one argument; the result has the argument's type. */
public record UnaryOp(UnaryFn fn) implements Op {

    public UnaryOp {
        Objects.requireNonNull(fn, "fn");
    }

    @Override
    public String name() {
        return fn.text();
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        if (fn.acceptsI32()) {
            TypeRules.requireNumber(name(), 0, x);
        } else {
            TypeRules.requireFloat(name(), 0, x);
        }
        return x;
    }
}
