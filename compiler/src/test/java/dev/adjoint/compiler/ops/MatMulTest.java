package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.Fixtures.f32;
import static dev.adjoint.compiler.ops.Fixtures.f64;
import static dev.adjoint.compiler.ops.Fixtures.i32;
import static dev.adjoint.compiler.ops.Fixtures.infer;
import static dev.adjoint.compiler.ops.Fixtures.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MatMulTest {
    private static final MatMulOp MM = new MatMulOp();
    private static final String SUPPORTED = "supported are [k] @ [k], [k] @ [k, n], [m, k] @ [k], [m, k] @ [k, n],"
            + " [N, a, b] @ [N, b, c] and [N, a, b] @ [b, c]";

    @Test
    void supportedRanks() {
        assertEquals("matmul", MM.name());
        assertEquals(f32(), infer(MM, f32(3), f32(3)));
        assertEquals(f32(5), infer(MM, f32(3), f32(3, 5)));
        assertEquals(f32("B"), infer(MM, f32("B", 3), f32(3)));
        assertEquals(f32("B", 32), infer(MM, f32("B", 64), f32(64, 32)));
        assertEquals(f64("N", 2, 4), infer(MM, f64("N", 2, 3), f64("N", 3, 4)));
        assertEquals(f64("N", "T", 4), infer(MM, f64("N", "T", 3), f64(3, 4)));
        assertEquals(f32("B", "B"), infer(MM, f32("B", "H"), f32("H", "B")));
    }

    @Test
    void innerDimensionsMustAgree() {
        rejects(-1, "matmul: [2, 3] @ [4, 5]: inner dimensions 3 and 4 differ", MM, f32(2, 3), f32(4, 5));
        rejects(-1, "matmul: [3, B] @ [64, 5]: inner dimensions B and 64 differ", MM, f32(3, "B"), f32(64, 5));
        rejects(-1, "matmul: [3] @ [4]: inner dimensions 3 and 4 differ", MM, f32(3), f32(4));
        rejects(-1, "matmul: [3] @ [4, 5]: inner dimensions 3 and 4 differ", MM, f32(3), f32(4, 5));
        rejects(-1, "matmul: [2, 3] @ [4]: inner dimensions 3 and 4 differ", MM, f32(2, 3), f32(4));
        rejects(-1, "matmul: [N, 2, 3] @ [N, 4, 5]: inner dimensions 3 and 4 differ", MM, f32("N", 2, 3), f32("N", 4, 5));
        rejects(-1, "matmul: [N, 2, 3] @ [4, 5]: inner dimensions 3 and 4 differ", MM, f32("N", 2, 3), f32(4, 5));
    }

    @Test
    void batchDimensionsMustAgree() {
        rejects(-1, "matmul: [4, 2, 3] @ [5, 3, 2]: batch dimensions 4 and 5 differ", MM, f32(4, 2, 3), f32(5, 3, 2));
        rejects(-1, "matmul: [N, 2, 3] @ [M, 3, 2]: batch dimensions N and M differ", MM, f32("N", 2, 3), f32("M", 3, 2));
    }

    @Test
    void unsupportedRanks() {
        rejects(-1, "matmul: [2, 3, 4, 5] @ [5, 2]: ranks 4 and 2 are not supported; " + SUPPORTED, MM,
                f32(2, 3, 4, 5), f32(5, 2));
        rejects(-1, "matmul: [3] @ [N, 3, 2]: ranks 1 and 3 are not supported; " + SUPPORTED, MM, f32(3), f32("N", 3, 2));
        rejects(-1, "matmul: [2, 3] @ [N, 3, 2]: ranks 2 and 3 are not supported; " + SUPPORTED, MM, f32(2, 3),
                f32("N", 3, 2));
        rejects(-1, "matmul: [] @ [3]: ranks 0 and 1 are not supported; " + SUPPORTED + "; to scale by a scalar use *",
                MM, f32(), f32(3));
    }

    @Test
    void elementTypes() {
        rejects(0, "matmul: needs a differentiable f32 or f64 tensor, got i32[2, 3]", MM, i32(2, 3), f32(3, 2));
        rejects(1, "matmul: needs a differentiable f32 or f64 tensor, got i32[3, 2]", MM, f32(2, 3), i32(3, 2));
        rejects(-1, "matmul: mixed f32 and f64 (f32[2, 3] and f64[3, 2]); convert one with cast(x, f64)", MM, f32(2, 3),
                f64(3, 2));
        rejects(-1, "matmul: expects 2 arguments, got 3", MM, f32(2, 3), f32(3, 2), f32());
    }
}
