package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.Fixtures.bool;
import static dev.adjoint.compiler.ops.Fixtures.f32;
import static dev.adjoint.compiler.ops.Fixtures.f64;
import static dev.adjoint.compiler.ops.Fixtures.i32;
import static dev.adjoint.compiler.ops.Fixtures.throwsShape;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class TypeRulesTest {

    @Test
    void requireFloat() {
        assertDoesNotThrow(() -> TypeRules.requireFloat("exp", 0, f32("B")));
        assertDoesNotThrow(() -> TypeRules.requireFloat("exp", 0, f64()));
        throwsShape(0, "exp: needs a differentiable f32 or f64 tensor, got i32[B]",
                () -> TypeRules.requireFloat("exp", 0, i32("B")));
        throwsShape(2, "exp: a comparison mask (bool[B]) is not a number; use where(mask, a, b)",
                () -> TypeRules.requireFloat("exp", 2, bool("B")));
    }

    @Test
    void requireNumber() {
        assertDoesNotThrow(() -> TypeRules.requireNumber("add", 0, i32("B")));
        throwsShape(1, "add: a comparison mask (bool[B]) is not a number; use where(mask, a, b)",
                () -> TypeRules.requireNumber("add", 1, bool("B")));
    }

    @Test
    void sameDtypeNamesTypesInArgumentOrder() {
        assertDoesNotThrow(() -> TypeRules.sameDtype("add", f32("B", 3), f32(3)));
        throwsShape(-1, "add: mixed f32 and f64 (f32[B, 3] and f64[3]); convert one with cast(x, f64)",
                () -> TypeRules.sameDtype("add", f32("B", 3), f64(3)));
        throwsShape(-1, "add: mixed f64 and f32 (f64[3] and f32[B, 3]); convert one with cast(x, f64)",
                () -> TypeRules.sameDtype("add", f64(3), f32("B", 3)));
        throwsShape(-1, "mul: mixed i32 and f32 (i32[B] and f32[B]); convert one with cast(x, f32)",
                () -> TypeRules.sameDtype("mul", i32("B"), f32("B")));
        throwsShape(-1, "mul: mixed f64 and i32 (f64[] and i32[]); convert one with cast(x, f64)",
                () -> TypeRules.sameDtype("mul", f64(), i32()));
    }
}
