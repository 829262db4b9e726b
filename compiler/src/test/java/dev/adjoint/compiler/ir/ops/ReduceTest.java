package dev.adjoint.compiler.ir.ops;

import static dev.adjoint.compiler.ir.ops.Fixtures.bool;
import static dev.adjoint.compiler.ir.ops.Fixtures.f32;
import static dev.adjoint.compiler.ir.ops.Fixtures.f64;
import static dev.adjoint.compiler.ir.ops.Fixtures.i32;
import static dev.adjoint.compiler.ir.ops.Fixtures.infer;
import static dev.adjoint.compiler.ir.ops.Fixtures.rejects;
import static dev.adjoint.compiler.ir.ops.Fixtures.shape;
import static dev.adjoint.compiler.ir.ops.Fixtures.throwsShape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceTest {

    @Test
    void ofNormalizesAndSorts() {
        assertEquals(new Reduce(ReduceFn.SUM, List.of(0, 1, 2), false),
                Reduce.of(ReduceFn.SUM, shape("B", 3, 4), null, false));
        assertEquals(new Reduce(ReduceFn.MEAN, List.of(2), true), Reduce.of(ReduceFn.MEAN, shape("B", 3, 4), List.of(-1L), true));
        assertEquals(new Reduce(ReduceFn.MAX, List.of(0, 2), false),
                Reduce.of(ReduceFn.MAX, shape("B", 3, 4), List.of(-1L, 0L), false));
        assertEquals(new Reduce(ReduceFn.SUM, List.of(), false), Reduce.of(ReduceFn.SUM, shape(), null, false));
        assertEquals(new Reduce(ReduceFn.SUM, List.of(), false), Reduce.of(ReduceFn.SUM, shape(3), List.of(), false));
    }

    @Test
    void ofRejectsBadAxes() {
        throwsShape(-1, "sum: axis 1 listed twice", () -> Reduce.of(ReduceFn.SUM, shape("B", 3), List.of(1L, 1L), false));
        throwsShape(-1, "sum: axis 1 listed twice (as 1 and -1)",
                () -> Reduce.of(ReduceFn.SUM, shape("B", 3), List.of(1L, -1L), false));
        throwsShape(-1, "mean: axis 2 is out of range for a tensor of rank 2 [B, 3] (valid: -2..1)",
                () -> Reduce.of(ReduceFn.MEAN, shape("B", 3), List.of(2L), false));
        throwsShape(-1, "logsumexp: axis 0 is out of range for a tensor of rank 0 []",
                () -> Reduce.of(ReduceFn.LOGSUMEXP, shape(), List.of(0L), false));
    }

    @Test
    void dropsOrKeepsReducedAxes() {
        assertEquals(f32(), infer(Reduce.of(ReduceFn.MEAN, shape("B"), null, false), f32("B")));
        assertEquals(f32("B"), infer(new Reduce(ReduceFn.SUM, List.of(1), false), f32("B", 10)));
        assertEquals(f32("B", 1), infer(new Reduce(ReduceFn.LOGSUMEXP, List.of(1), true), f32("B", 10)));
        assertEquals(f64(1, 3, 1), infer(new Reduce(ReduceFn.MAX, List.of(0, 2), true), f64("B", 3, 4)));
        assertEquals(f64(3), infer(new Reduce(ReduceFn.MAX, List.of(0, 2), false), f64("B", 3, 4)));
        assertEquals(f32("B", 3), infer(new Reduce(ReduceFn.SUM, List.of(), true), f32("B", 3)));
        assertEquals(f32(), infer(new Reduce(ReduceFn.SUM, List.of(), false), f32()));
    }

    @Test
    void elementTypes() {
        assertEquals(i32(), infer(new Reduce(ReduceFn.SUM, List.of(0), false), i32("B")));
        assertEquals(i32("B"), infer(new Reduce(ReduceFn.MAX, List.of(1), false), i32("B", 3)));
        rejects(0, "mean: needs a differentiable f32 or f64 tensor, got i32[B]", new Reduce(ReduceFn.MEAN, List.of(0), false),
                i32("B"));
        rejects(0, "logsumexp: needs a differentiable f32 or f64 tensor, got i32[B]",
                new Reduce(ReduceFn.LOGSUMEXP, List.of(0), false), i32("B"));
        rejects(0, "sum: a comparison mask (bool[B]) is not a number; use where(mask, a, b)",
                new Reduce(ReduceFn.SUM, List.of(0), false), bool("B"));
    }

    @Test
    void inferRevalidatesAxes() {
        rejects(0, "sum: axis 2 is out of range for a tensor of rank 2 [B, 3]", new Reduce(ReduceFn.SUM, List.of(2), false),
                f32("B", 3));
        rejects(0, "sum: axis -1 is out of range for a tensor of rank 2 [B, 3]", new Reduce(ReduceFn.SUM, List.of(-1), false),
                f32("B", 3));
        rejects(0, "sum: axes [1, 0] must be distinct and in increasing order", new Reduce(ReduceFn.SUM, List.of(1, 0), false),
                f32("B", 3));
        rejects(0, "max: axes [1, 1] must be distinct and in increasing order", new Reduce(ReduceFn.MAX, List.of(1, 1), false),
                f32("B", 3));
    }

    @Test
    void namesAndAttributes() {
        Reduce r = new Reduce(ReduceFn.SUM, List.of(1), false);
        assertEquals("sum", r.name());
        assertEquals("axes=[1], keepdims=false", r.attributes());
        assertEquals("logsumexp", new Reduce(ReduceFn.LOGSUMEXP, List.of(0, 1), true).name());
        assertEquals("axes=[0, 1], keepdims=true", new Reduce(ReduceFn.LOGSUMEXP, List.of(0, 1), true).attributes());
    }
}
