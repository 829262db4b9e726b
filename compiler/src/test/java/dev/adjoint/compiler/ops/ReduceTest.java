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

import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceTest {

    @Test
    void ofNormalizesAndSorts() {
        assertEquals(new ReduceOp(ReduceFn.SUM, List.of(0, 1, 2), false),
                ReduceOp.of(ReduceFn.SUM, shape("B", 3, 4), null, false));
        assertEquals(new ReduceOp(ReduceFn.MEAN, List.of(2), true), ReduceOp.of(ReduceFn.MEAN, shape("B", 3, 4), List.of(-1L), true));
        assertEquals(new ReduceOp(ReduceFn.MAX, List.of(0, 2), false),
                ReduceOp.of(ReduceFn.MAX, shape("B", 3, 4), List.of(-1L, 0L), false));
        assertEquals(new ReduceOp(ReduceFn.SUM, List.of(), false), ReduceOp.of(ReduceFn.SUM, shape(), null, false));
        assertEquals(new ReduceOp(ReduceFn.SUM, List.of(), false), ReduceOp.of(ReduceFn.SUM, shape(3), List.of(), false));
    }

    @Test
    void ofRejectsBadAxes() {
        throwsShape(-1, "sum: axis 1 listed twice", () -> ReduceOp.of(ReduceFn.SUM, shape("B", 3), List.of(1L, 1L), false));
        throwsShape(-1, "sum: axis 1 listed twice (as 1 and -1)",
                () -> ReduceOp.of(ReduceFn.SUM, shape("B", 3), List.of(1L, -1L), false));
        throwsShape(-1, "mean: axis 2 is out of range for a tensor of rank 2 [B, 3] (valid: -2..1)",
                () -> ReduceOp.of(ReduceFn.MEAN, shape("B", 3), List.of(2L), false));
        throwsShape(-1, "logsumexp: axis 0 is out of range for a tensor of rank 0 []",
                () -> ReduceOp.of(ReduceFn.LOGSUMEXP, shape(), List.of(0L), false));
    }

    @Test
    void dropsOrKeepsReducedAxes() {
        assertEquals(f32(), infer(ReduceOp.of(ReduceFn.MEAN, shape("B"), null, false), f32("B")));
        assertEquals(f32("B"), infer(new ReduceOp(ReduceFn.SUM, List.of(1), false), f32("B", 10)));
        assertEquals(f32("B", 1), infer(new ReduceOp(ReduceFn.LOGSUMEXP, List.of(1), true), f32("B", 10)));
        assertEquals(f64(1, 3, 1), infer(new ReduceOp(ReduceFn.MAX, List.of(0, 2), true), f64("B", 3, 4)));
        assertEquals(f64(3), infer(new ReduceOp(ReduceFn.MAX, List.of(0, 2), false), f64("B", 3, 4)));
        assertEquals(f32("B", 3), infer(new ReduceOp(ReduceFn.SUM, List.of(), true), f32("B", 3)));
        assertEquals(f32(), infer(new ReduceOp(ReduceFn.SUM, List.of(), false), f32()));
    }

    @Test
    void elementTypes() {
        assertEquals(i32(), infer(new ReduceOp(ReduceFn.SUM, List.of(0), false), i32("B")));
        assertEquals(i32("B"), infer(new ReduceOp(ReduceFn.MAX, List.of(1), false), i32("B", 3)));
        rejects(0, "mean: needs a differentiable f32 or f64 tensor, got i32[B]", new ReduceOp(ReduceFn.MEAN, List.of(0), false),
                i32("B"));
        rejects(0, "logsumexp: needs a differentiable f32 or f64 tensor, got i32[B]",
                new ReduceOp(ReduceFn.LOGSUMEXP, List.of(0), false), i32("B"));
        rejects(0, "sum: a comparison mask (bool[B]) is not a number; use where(mask, a, b)",
                new ReduceOp(ReduceFn.SUM, List.of(0), false), bool("B"));
    }

    @Test
    void inferRevalidatesAxes() {
        rejects(0, "sum: axis 2 is out of range for a tensor of rank 2 [B, 3]", new ReduceOp(ReduceFn.SUM, List.of(2), false),
                f32("B", 3));
        rejects(0, "sum: axis -1 is out of range for a tensor of rank 2 [B, 3]", new ReduceOp(ReduceFn.SUM, List.of(-1), false),
                f32("B", 3));
        rejects(0, "sum: axes [1, 0] must be distinct and in increasing order", new ReduceOp(ReduceFn.SUM, List.of(1, 0), false),
                f32("B", 3));
        rejects(0, "max: axes [1, 1] must be distinct and in increasing order", new ReduceOp(ReduceFn.MAX, List.of(1, 1), false),
                f32("B", 3));
    }

    @Test
    void namesAndAttributes() {
        ReduceOp r = new ReduceOp(ReduceFn.SUM, List.of(1), false);
        assertEquals("sum", r.name());
        assertEquals("axes=[1], keepdims=false", r.attributes());
        assertEquals("logsumexp", new ReduceOp(ReduceFn.LOGSUMEXP, List.of(0, 1), true).name());
        assertEquals("axes=[0, 1], keepdims=true", new ReduceOp(ReduceFn.LOGSUMEXP, List.of(0, 1), true).attributes());
    }
}
