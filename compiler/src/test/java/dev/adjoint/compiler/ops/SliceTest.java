package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.Fixtures.f32;
import static dev.adjoint.compiler.ops.Fixtures.infer;
import static dev.adjoint.compiler.ops.Fixtures.rejects;
import static dev.adjoint.compiler.ops.Fixtures.shape;
import static dev.adjoint.compiler.ops.Fixtures.throwsShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.compiler.ir.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceTest {

    /** {@code resolve} with written bounds, null for an open one. */
    private static SliceOp resolve(Shape in, Long... bounds) {
        List<Long> lo = new ArrayList<>();
        List<Long> hi = new ArrayList<>();
        for (int i = 0; i < bounds.length; i += 2) {
            lo.add(bounds[i]);
            hi.add(bounds[i + 1]);
        }
        return SliceOp.resolve(in, lo, hi);
    }

    private static SliceOp slice(List<Integer> axes, List<Long> starts, List<Long> ends) {
        return new SliceOp(axes, starts, ends);
    }

    @Test
    void resolveNormalizesBounds() {
        Shape in = shape("B", 10);
        assertEquals(slice(List.of(1), List.of(2L), List.of(5L)), resolve(in, null, null, 2L, 5L));
        assertEquals(slice(List.of(1), List.of(8L), List.of(10L)), resolve(in, null, null, -2L, null));
        assertEquals(slice(List.of(1), List.of(0L), List.of(9L)), resolve(in, null, null, null, -1L));
        assertEquals(slice(List.of(0, 1), List.of(1L, 0L), List.of(3L, 1L)), resolve(shape(4, 10), 1L, 3L, null, 1L));
        assertEquals(slice(List.of(0), List.of(1L), List.of(4L)), resolve(shape(4, 10), 1L, null));
        assertEquals(slice(List.of(0), List.of(0L), List.of(1L)), resolve(shape(4, 10), -4L, -3L));
    }

    @Test
    void wholeAxesAreNotListed() {
        assertEquals(slice(List.of(), List.of(), List.of()), resolve(shape("B", 10), null, null, null, null));
        assertEquals(slice(List.of(), List.of(), List.of()), resolve(shape("B", 10), 0L, null, 0L, 10L));
        assertEquals(slice(List.of(), List.of(), List.of()), resolve(shape(3), -3L, 3L));
        assertEquals(slice(List.of(), List.of(), List.of()), resolve(shape()));
    }

    @Test
    void resolveRejections() {
        throwsShape(-1, "slice: bound 12 is out of range for axis 1 of size 10",
                () -> resolve(shape("B", 10), null, null, 2L, 12L));
        throwsShape(-1, "slice: bound -11 is out of range for axis 1 of size 10",
                () -> resolve(shape("B", 10), null, null, -11L, null));
        throwsShape(-1, "slice: 5:3 selects nothing on axis 1 of size 10", () -> resolve(shape("B", 10), null, null, 5L, 3L));
        throwsShape(-1, "slice: 10: selects nothing on axis 0 of size 10", () -> resolve(shape(10), 10L, null));
        throwsShape(-1, "slice: :-10 selects nothing on axis 0 of size 10", () -> resolve(shape(10), null, -10L));
        throwsShape(-1, "slice: axis 0 of [B, 10] has the symbolic size B and can only be taken whole (:), not 1:",
                () -> resolve(shape("B", 10), 1L, null));
        throwsShape(-1, "slice: axis 0 of [B, 10] has the symbolic size B and can only be taken whole (:), not :3",
                () -> resolve(shape("B", 10), null, 3L));
        throwsShape(-1, "slice: 3 slices for [B, 10], which has only 2 axes",
                () -> resolve(shape("B", 10), null, null, null, null, 0L, 1L));
        throwsShape(-1, "slice: 1 slice for [], which has only 0 axes", () -> resolve(shape(), 0L, 1L));
        assertThrows(IllegalArgumentException.class, () -> SliceOp.resolve(shape(3), List.of(1L), List.of()));
    }

    @Test
    void inferShrinksTheListedAxes() {
        SliceOp s = resolve(shape("B", 10, 4), null, null, 2L, 5L, null, -1L);
        assertEquals("slice", s.name());
        assertEquals("axes=[1, 2], starts=[2, 0], ends=[5, 3]", s.attributes());
        assertEquals(f32("B", 3, 3), infer(s, f32("B", 10, 4)));
        assertEquals(f32("B", 10), infer(slice(List.of(), List.of(), List.of()), f32("B", 10)));
    }

    @Test
    void inferRevalidates() {
        rejects(0, "slice: axis 2 is out of range for a tensor of rank 2 [B, 10]", slice(List.of(2), List.of(0L), List.of(1L)),
                f32("B", 10));
        rejects(0, "slice: axes [1, 0] must be distinct and in increasing order",
                slice(List.of(1, 0), List.of(0L, 0L), List.of(1L, 1L)), f32(3, 10));
        rejects(-1, "slice: 4:12 is not a non-empty range within axis 1 of size 10 in [B, 10]",
                slice(List.of(1), List.of(4L), List.of(12L)), f32("B", 10));
        rejects(-1, "slice: 4:4 is not a non-empty range within axis 1 of size 10 in [B, 10]",
                slice(List.of(1), List.of(4L), List.of(4L)), f32("B", 10));
        rejects(-1, "slice: axis 0 of [B, 10] has the symbolic size B and can only be taken whole",
                slice(List.of(0), List.of(0L), List.of(1L)), f32("B", 10));
        assertThrows(IllegalArgumentException.class, () -> slice(List.of(0), List.of(), List.of(1L)));
        assertEquals(2, Arrays.asList(slice(List.of(0), List.of(0L), List.of(1L)), slice(List.of(0), List.of(0L),
                List.of(2L))).stream().distinct().count());
    }
}
