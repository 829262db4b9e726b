package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/** Element-type checks shared by the ops, each with the message of its error category. */
public final class TypeRules {

    private TypeRules() {
    }

    /** Rejects a comparison mask where a number is needed. */
    public static void requireNumber(String op, int arg, TensorType t) {
        if (t.dtype() == DType.BOOL) {
            throw new ShapeException(arg, op + ": a comparison mask (" + t + ") is not a number;"
                    + " use where(mask, a, b)");
        }
    }

    /** Requires a differentiable ({@code f32} or {@code f64}) value. */
    public static void requireFloat(String op, int arg, TensorType t) {
        requireNumber(op, arg, t);
        if (!t.dtype().isFloat()) {
            throw new ShapeException(arg, op + ": needs a differentiable f32 or f64 tensor, got " + t);
        }
    }

    /** Requires both values to have the same element type; the error points at the whole call. */
    public static void sameDtype(String op, TensorType a, TensorType b) {
        sameDtype(op, -1, a, b);
    }

    /** As {@link #sameDtype(String, TensorType, TensorType)}, blaming argument {@code arg}. */
    static void sameDtype(String op, int arg, TensorType a, TensorType b) {
        if (a.dtype() != b.dtype()) {
            throw new ShapeException(arg, op + ": mixed " + a.dtype() + " and " + b.dtype() + " (" + a + " and " + b
                    + "); convert one with cast(x, " + castTarget(a.dtype(), b.dtype()) + ")");
        }
    }

    /** The type to suggest converting to: the float one of a float/int pair, else the wider f64. */
    private static DType castTarget(DType a, DType b) {
        if (a.isFloat() && !b.isFloat()) {
            return a;
        }
        if (b.isFloat() && !a.isFloat()) {
            return b;
        }
        return DType.F64;
    }

    /** Defensive arity check; the front end normally reports a wrong argument count before building. */
    static void arity(String op, List<TensorType> args, int n) {
        if (args.size() != n) {
            throw new ShapeException(op + ": expects " + n + (n == 1 ? " argument" : " arguments") + ", got "
                    + args.size());
        }
    }
}
