package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code gelu_grad(x, dy) = dy * gelu'(x)} for the tanh approximation of gelu: its derivative is long
 * when written in primitives, so the differentiator uses this one elementwise op. Arguments have the
 * same type. Made by the differentiator.
 */
public record GeluGradOp() implements Op {

    @Override
    public String name() {
        return "gelu_grad";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TypeRules.requireFloat(name(), 0, args.get(0));
        TypeRules.sameDtype(name(), args.get(0), args.get(1));
        return args.get(0).withShape(Broadcasting.shape(name(), args.get(0).shape(), args.get(1).shape()));
    }
}
