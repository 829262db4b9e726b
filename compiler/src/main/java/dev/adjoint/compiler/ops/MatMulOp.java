package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code a @ b}, NumPy {@code matmul} for ranks up to 2 plus two batched forms:
 * <pre>
 *   [k]       @ [k]       -> []          vector . vector
 *   [k]       @ [k, n]    -> [n]         vector x matrix
 *   [m, k]    @ [k]       -> [m]         matrix x vector
 *   [m, k]    @ [k, n]    -> [m, n]      matrix x matrix
 *   [N, a, b] @ [N, b, c] -> [N, a, c]   batched, same batch size
 *   [N, a, b] @ [b, c]    -> [N, a, c]   batch times one matrix
 * </pre>
 */
public record MatMulOp() implements Op {

    static final String SUPPORTED = "supported are [k] @ [k], [k] @ [k, n], [m, k] @ [k], [m, k] @ [k, n],"
            + " [N, a, b] @ [N, b, c] and [N, a, b] @ [b, c]";

    @Override
    public String name() {
        return "matmul";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType a = args.get(0);
        TensorType b = args.get(1);
        TypeRules.requireFloat(name(), 0, a);
        TypeRules.requireFloat(name(), 1, b);
        TypeRules.sameDtype(name(), a, b);
        Shape x = a.shape();
        Shape y = b.shape();
        int ra = x.rank();
        int rb = y.rank();
        String both = name() + ": " + x + " @ " + y + ": ";
        boolean supported = (ra == 1 || ra == 2) && (rb == 1 || rb == 2) || ra == 3 && (rb == 2 || rb == 3);
        if (!supported) {
            String hint = ra == 0 || rb == 0 ? "; to scale by a scalar use *" : "";
            throw new ShapeException(both + "ranks " + ra + " and " + rb + " are not supported; " + SUPPORTED + hint);
        }
        Dim left = x.dim(ra - 1);
        Dim right = rb == 1 ? y.dim(0) : y.dim(rb - 2);
        if (!left.equals(right)) {
            throw new ShapeException(both + "inner dimensions " + left + " and " + right + " differ");
        }
        if (ra == 3 && rb == 3 && !x.dim(0).equals(y.dim(0))) {
            throw new ShapeException(both + "batch dimensions " + x.dim(0) + " and " + y.dim(0) + " differ");
        }
        Shape out;
        if (ra == 1 && rb == 1) {
            out = Shape.SCALAR;
        } else if (ra == 1) {
            out = Shape.of(y.dim(1));
        } else if (rb == 1) {
            out = Shape.of(x.dim(0));
        } else if (ra == 2) {
            out = Shape.of(x.dim(0), y.dim(1));
        } else {
            out = Shape.of(x.dim(0), x.dim(1), y.dim(rb - 1));
        }
        return a.withShape(out);
    }
}
