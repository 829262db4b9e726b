package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * An elementwise comparison with broadcasting, giving a {@code bool} mask. Never differentiated. The
 * operands are numbers of one element type; masks themselves cannot be compared.
 */
public record CompareOp(CompareFn fn) implements Op {

    public CompareOp {
        Objects.requireNonNull(fn, "fn");
    }

    @Override
    public String name() {
        return fn.text();
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType a = args.get(0);
        TensorType b = args.get(1);
        TypeRules.requireNumber(name(), 0, a);
        TypeRules.requireNumber(name(), 1, b);
        TypeRules.sameDtype(name(), a, b);
        return new TensorType(DType.BOOL, Broadcasting.shape(name(), a.shape(), b.shape()));
    }

    @Override
    public String attributes() {
        return fn.symbol();
    }
}
