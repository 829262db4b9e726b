package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/** Checks shared by {@link LayerNormOp} and {@link BatchNormOp}. */
final class Norms {

    private Norms() {
    }

    static void checkEps(String op, double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new ShapeException(op + ": eps must be a finite number >= 0, got " + Format.number(eps));
        }
    }

    /** gamma (argument 1) and beta (argument 2): x's element type, the {@code expected} shape. */
    static void checkAffine(String op, TensorType x, List<TensorType> args, Shape expected, String why) {
        String[] names = {"gamma", "beta"};
        for (int i = 1; i <= 2; i++) {
            TensorType t = args.get(i);
            TypeRules.requireFloat(op, i, t);
            TypeRules.sameDtype(op, i, x, t);
            if (!t.shape().equals(expected)) {
                throw new ShapeException(i, op + ": " + names[i - 1] + " must have shape " + expected + " ("
                        + why + "), got " + t.shape());
            }
        }
    }
}
