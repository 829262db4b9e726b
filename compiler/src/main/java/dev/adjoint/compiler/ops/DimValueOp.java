package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * The size of a dimension as a scalar of {@code dtype}: {@code 64}, or {@code B} as bound at call time
 * (for a mean over a batch axis, whose count is known only then). No inputs.
 */
public record DimValueOp(Dim dim, DType dtype) implements Op {

    public DimValueOp {
        Objects.requireNonNull(dim, "dim");
        Objects.requireNonNull(dtype, "dtype");
    }

    @Override
    public String name() {
        return "dim_value";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 0);
        return TensorType.scalar(dtype);
    }

    @Override
    public String attributes() {
        return "dim=" + dim;
    }
}
