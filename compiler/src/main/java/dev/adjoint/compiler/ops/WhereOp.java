package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code where(mask, a, b)}: {@code a} where the mask is true, else {@code b}. The three shapes broadcast
 * together; {@code a} and {@code b} are numbers of one element type, which the result has.
 */
public record WhereOp() implements Op {

    @Override
    public String name() {
        return "where";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 3);
        TensorType mask = args.get(0);
        TensorType a = args.get(1);
        TensorType b = args.get(2);
        if (mask.dtype() != DType.BOOL) {
            throw new ShapeException(0, "where: the first argument must be a comparison mask like x > 0, got " + mask);
        }
        for (int i = 1; i <= 2; i++) {
            if (args.get(i).dtype() == DType.BOOL) {
                throw new ShapeException(i, "where: the values to choose from must be numbers, got the mask "
                        + args.get(i) + " as the " + (i == 1 ? "second" : "third") + " argument");
            }
        }
        TypeRules.sameDtype(name(), a, b);
        return new TensorType(a.dtype(), Broadcasting.shape(name(), mask.shape(), a.shape(), b.shape()));
    }
}
