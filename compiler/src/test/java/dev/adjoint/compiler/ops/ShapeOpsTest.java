package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.Fixtures.bool;
import static dev.adjoint.compiler.ops.Fixtures.f32;
import static dev.adjoint.compiler.ops.Fixtures.f64;
import static dev.adjoint.compiler.ops.Fixtures.i32;
import static dev.adjoint.compiler.ops.Fixtures.infer;
import static dev.adjoint.compiler.ops.Fixtures.rejects;
import static dev.adjoint.compiler.ops.Fixtures.shape;
import static dev.adjoint.compiler.ops.Fixtures.throwsShape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** transpose, reshape, concat, one_hot, broadcast. Slicing has its own test. */
class ShapeOpsTest {

    // ---- transpose -----------------------------------------------------------------------------

    @Test
    void transpose() {
        assertEquals("transpose", TransposeOp.MATRIX.name());
        assertEquals("perm=[1, 0]", TransposeOp.MATRIX.attributes());
        assertEquals(f32(64, "B"), infer(TransposeOp.MATRIX, f32("B", 64)));
        assertEquals(i32(4, 2, 3), infer(new TransposeOp(List.of(2, 0, 1)), i32(2, 3, 4)));
        assertEquals(f32(), infer(new TransposeOp(List.of()), f32()));
        assertEquals(new TransposeOp(List.of(2, 0, 1)), TransposeOp.of(shape(2, 3, 4), List.of(-1L, 0L, 1L)));
    }

    @Test
    void transposeNeedsAPermutation() {
        rejects(1, "transpose: [1, 1] is not a permutation of the axes of [B, 3]; it must list each of 0..1 once",
                new TransposeOp(List.of(1, 1)), f32("B", 3));
        rejects(1, "transpose: [0, 2] is not a permutation of the axes of [B, 3]; it must list each of 0..1 once",
                new TransposeOp(List.of(0, 2)), f32("B", 3));
        rejects(1, "transpose: the permutation [1, 0] has 2 entries but [B, 3, 4] has rank 3", TransposeOp.MATRIX,
                f32("B", 3, 4));
        rejects(1, "transpose: the permutation [0] has 1 entry but [B, 3] has rank 2", new TransposeOp(List.of(0)),
                f32("B", 3));
        throwsShape(1, "transpose: the permutation [0] has 1 entry but [B, 3] has rank 2",
                () -> TransposeOp.of(shape("B", 3), List.of(0L)));
        throwsShape(-1, "transpose: axis 2 is out of range for a tensor of rank 2 [B, 3] (valid: -2..1)",
                () -> TransposeOp.of(shape("B", 3), List.of(2L, 0L)));
    }

    // ---- reshape -------------------------------------------------------------------------------

    @Test
    void reshapeKeepsTheElementCount() {
        Dim b64 = new Dim(64, List.of("B"));
        ReshapeOp flat = new ReshapeOp(shape(b64));
        assertEquals("reshape", flat.name());
        assertEquals("to=[64*B]", flat.attributes());
        assertEquals(f32(b64), infer(flat, f32("B", 8, 8)));
        assertEquals(f32("B", 8, 8), infer(new ReshapeOp(shape("B", 8, 8)), f32(8, "B", 8)));
        assertEquals(f32(1, 1), infer(new ReshapeOp(shape(1, 1)), f32()));
        assertEquals(f32(), infer(new ReshapeOp(shape()), f32(1, 1)));
        rejects(1, "reshape: cannot reshape [B, 64] (64*B elements) into [3, 5] (15 elements)", new ReshapeOp(shape(3, 5)),
                f32("B", 64));
        rejects(1, "reshape: cannot reshape [B, 2] (2*B elements) into [C, 2] (2*C elements)", new ReshapeOp(shape("C", 2)),
                f32("B", 2));
        rejects(1, "reshape: cannot reshape [2] (2 elements) into [] (1 element)", new ReshapeOp(shape()), f32(2));
    }

    @Test
    void reshapeResolvesMinusOne() {
        assertEquals(shape(new Dim(2, List.of("B")), 32), ReshapeOp.resolve(shape("B", 64), target(null, 32), 0));
        assertEquals(shape("B", 64), ReshapeOp.resolve(shape("B", 8, 8), target("B", null), 1));
        assertEquals(shape(64), ReshapeOp.resolve(shape("B", 64), target("B", null), 1).withoutAxis(0));
        assertEquals(shape(6, 1), ReshapeOp.resolve(shape(2, 3), target(null, 1), 0));
        assertEquals(shape(3, 5), ReshapeOp.resolve(shape("B", 64), target(3, 5), -1));
        throwsShape(1, "reshape: cannot infer the -1 in [-1, 5] for [B, 64]: its 64*B elements are not a multiple of 5",
                () -> ReshapeOp.resolve(shape("B", 64), target(null, 5), 0));
        throwsShape(1, "reshape: cannot infer the -1 in [C, -1] for [B, 64]: its 64*B elements are not a multiple of C",
                () -> ReshapeOp.resolve(shape("B", 64), target("C", null), 1));
    }

    private static List<Dim> target(Object... dims) {
        List<Dim> out = new ArrayList<>();
        for (Object d : dims) {
            out.add(d == null ? null : shape(d).dim(0));
        }
        return out;
    }

    // ---- concat --------------------------------------------------------------------------------

    @Test
    void concatAddsUpTheAxis() {
        ConcatOp c1 = new ConcatOp(1);
        assertEquals("concat", c1.name());
        assertEquals("axis=1", c1.attributes());
        assertEquals(f32("B", 7), infer(c1, f32("B", 3), f32("B", 4)));
        assertEquals(f32("B", 9), infer(c1, f32("B", 3), f32("B", 4), f32("B", 2)));
        assertEquals(f32(new Dim(2, List.of("B")), 3), infer(new ConcatOp(0), f32("B", 3), f32("B", 3)));
        assertEquals(i32(5), infer(new ConcatOp(0), i32(5)));
        assertEquals(f32("B", 3), infer(c1, f32("B", 3)));
    }

    @Test
    void concatRejections() {
        ConcatOp c1 = new ConcatOp(1);
        rejects(-1, "concat: needs at least one tensor", c1);
        rejects(1, "concat: shapes [B, 3] (tensor 0) and [C, 4] (tensor 1) differ on axis 0 (B vs C); only axis 1 may differ",
                c1, f32("B", 3), f32("C", 4));
        rejects(2, "concat: tensor 2 has shape [2] of rank 1, but tensor 0 has shape [2, 3] of rank 2", c1, f32(2, 3),
                f32(2, 3), f32(2));
        rejects(1, "concat: cannot join [3, 3] (tensor 1) along axis 0: the size B so far plus 3 is not a single dimension",
                new ConcatOp(0), f32("B", 3), f32(3, 3));
        rejects(1, "concat: mixed f32 and f64 (f32[2, 3] and f64[2, 3]); convert one with cast(x, f64)", c1, f32(2, 3),
                f64(2, 3));
        rejects(1, "concat: a comparison mask (bool[2, 3]) is not a number; use where(mask, a, b)", c1, f32(2, 3),
                bool(2, 3));
        rejects(-1, "concat: axis 2 is out of range for a tensor of rank 2 [2, 3]", new ConcatOp(2), f32(2, 3));
        rejects(0, "concat: cannot concatenate the scalar f32[]; reshape it to [1] first", new ConcatOp(0), f32(), f32());
    }

    // ---- one_hot and broadcast -----------------------------------------------------------------

    @Test
    void oneHot() {
        OneHotOp op = new OneHotOp(10, DType.F32);
        assertEquals("one_hot", op.name());
        assertEquals("n=10, dtype=f32", op.attributes());
        assertEquals(f32("B", 10), infer(op, i32("B")));
        assertEquals(i32(3), infer(new OneHotOp(3, DType.I32), i32()));
        assertEquals(f64("B", "T", 4), infer(new OneHotOp(4, DType.F64), i32("B", "T")));
        rejects(0, "one_hot: labels must be integer class indices (i32), got f32[B]", op, f32("B"));
        rejects(1, "one_hot: the number of classes must be at least 1, got 0", new OneHotOp(0, DType.F32), i32("B"));
        rejects(2, "one_hot: dtype must be f32, f64 or i32, got bool", new OneHotOp(2, DType.BOOL), i32("B"));
    }

    @Test
    void broadcast() {
        BroadcastOp op = new BroadcastOp(shape("B", 64));
        assertEquals("broadcast", op.name());
        assertEquals("to=[B, 64]", op.attributes());
        assertEquals(f32("B", 64), infer(op, f32(64)));
        assertEquals(f32("B", 64), infer(op, f32(1, 1)));
        assertEquals(f32("B", 64), infer(op, f32()));
        assertEquals(i32("B", 64), infer(op, i32("B", 64)));
        rejects(0, "broadcast: [3] cannot be broadcast to [B, 64]", op, f32(3));
        rejects(0, "broadcast: [2, B, 64] cannot be broadcast to [B, 64]", op, f32(2, "B", 64));
        rejects(0, "broadcast: [B, 64] cannot be broadcast to [1, 64]", new BroadcastOp(shape(1, 64)), f32("B", 64));
    }

    @Test
    void opsWithDifferentAttributesDiffer() {
        assertEquals(new ConcatOp(1), new ConcatOp(1));
        assertEquals(new ReshapeOp(shape("B", 3)), new ReshapeOp(shape("B", 3)));
        assertEquals(Arrays.asList(new ConcatOp(0), new ConcatOp(1)).stream().distinct().count(), 2);
    }
}
