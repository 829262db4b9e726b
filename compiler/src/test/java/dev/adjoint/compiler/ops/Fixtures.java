package dev.adjoint.compiler.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Compact shapes and types for tests: {@code f32("B", 3)} is {@code f32[B, 3]}. */
final class Fixtures {

    private Fixtures() {
    }

    /** Strings are symbolic dims, numbers fixed sizes, {@link Dim}s themselves. */
    static Shape shape(Object... dims) {
        List<Dim> out = new ArrayList<>();
        for (Object d : dims) {
            if (d instanceof String s) {
                out.add(Dim.sym(s));
            } else if (d instanceof Number n) {
                out.add(Dim.of(n.longValue()));
            } else {
                out.add((Dim) d);
            }
        }
        return new Shape(out);
    }

    static TensorType f32(Object... dims) {
        return new TensorType(DType.F32, shape(dims));
    }

    static TensorType f64(Object... dims) {
        return new TensorType(DType.F64, shape(dims));
    }

    static TensorType i32(Object... dims) {
        return new TensorType(DType.I32, shape(dims));
    }

    static TensorType bool(Object... dims) {
        return new TensorType(DType.BOOL, shape(dims));
    }

    static TensorType infer(Op op, TensorType... args) {
        return op.infer(Arrays.asList(args));
    }

    /** Asserts that {@code op} rejects {@code args} with exactly {@code message}, blaming argument {@code arg}. */
    static void rejects(int arg, String message, Op op, TensorType... args) {
        ShapeException e = assertThrows(ShapeException.class, () -> op.infer(Arrays.asList(args)));
        assertEquals(message, e.getMessage());
        assertEquals(arg, e.argument(), "argument index of: " + message);
    }

    /** Asserts that {@code action} throws exactly {@code message}, blaming argument {@code arg}. */
    static void throwsShape(int arg, String message, Runnable action) {
        ShapeException e = assertThrows(ShapeException.class, action::run);
        assertEquals(message, e.getMessage());
        assertEquals(arg, e.argument(), "argument index of: " + message);
    }
}
