package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.Fixtures.shape;
import static dev.adjoint.compiler.ops.Fixtures.throwsShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BroadcastingTest {

    @Test
    void equalShapesAndScalars() {
        assertEquals(shape("B", 3), Broadcasting.shape("add", shape("B", 3), shape("B", 3)));
        assertEquals(shape("B", 3), Broadcasting.shape("add", shape(), shape("B", 3)));
        assertEquals(shape("B", 3), Broadcasting.shape("add", shape("B", 3), shape()));
        assertEquals(shape(), Broadcasting.shape("add", shape(), shape()));
        assertEquals(shape(), Broadcasting.shape("add"));
    }

    @Test
    void onesStretchAndRanksAlignOnTheRight() {
        assertEquals(shape("B", 3), Broadcasting.shape("add", shape("B", 3), shape(3)));
        assertEquals(shape("B", 3), Broadcasting.shape("add", shape("B", 1), shape(1, 3)));
        assertEquals(shape("B", 3), Broadcasting.shape("add", shape(1), shape("B", 3)));
        assertEquals(shape("B", "C"), Broadcasting.shape("mul", shape("B", 1), shape("C")));
        assertEquals(shape(2, "B", 4), Broadcasting.shape("mul", shape(2, 1, 4), shape("B", 1)));
        assertEquals(shape(1, 1), Broadcasting.shape("mul", shape(1, 1), shape(1)));
        assertEquals(shape(0, 3), Broadcasting.shape("mul", shape(0, 1), shape(3)));
        Dim twoB = Dim.sym("B").times(Dim.of(2));
        assertEquals(shape(twoB, 5), Broadcasting.shape("add", shape(twoB, 1), shape(new Dim(2, List.of("B")), 5)));
    }

    @Test
    void threeShapes() {
        assertEquals(shape("B", 3), Broadcasting.shape("where", shape("B", 1), shape(3), shape()));
        throwsShape(-1, "where: shapes [B], [3] and [4] do not broadcast: dimension B vs 3",
                () -> Broadcasting.shape("where", shape("B"), shape(3), shape(4)));
        throwsShape(-1, "where: shapes [1], [3] and [2, 4] do not broadcast: dimension 3 vs 4",
                () -> Broadcasting.shape("where", shape(1), shape(3), shape(2, 4)));
        assertEquals(shape(4, 3), Broadcasting.shape("where", shape(1), shape(3), shape(4, 1)));
    }

    @Test
    void mismatchesNameBothShapesAndTheDimensions() {
        throwsShape(-1, "add: shapes [B, 3] and [4] do not broadcast: dimension 3 vs 4",
                () -> Broadcasting.shape("add", shape("B", 3), shape(4)));
        throwsShape(-1, "add: shapes [64, 2] and [3, 2] do not broadcast: dimension 64 vs 3",
                () -> Broadcasting.shape("add", shape(64, 2), shape(3, 2)));
        throwsShape(-1, "sub: shapes [B] and [64] do not broadcast: dimension B vs 64",
                () -> Broadcasting.shape("sub", shape("B"), shape(64)));
        throwsShape(-1, "mul: shapes [B, 1] and [C, 2] do not broadcast: dimension B vs C",
                () -> Broadcasting.shape("mul", shape("B", 1), shape("C", 2)));
    }

    @Test
    void broadcastsTo() {
        assertTrue(Broadcasting.broadcastsTo(shape(), shape("B", 3)));
        assertTrue(Broadcasting.broadcastsTo(shape(1, 3), shape("B", 3)));
        assertTrue(Broadcasting.broadcastsTo(shape("B", 3), shape("B", 3)));
        assertFalse(Broadcasting.broadcastsTo(shape("B", 3), shape(3)));
        assertFalse(Broadcasting.broadcastsTo(shape(2), shape(3)));
        assertFalse(Broadcasting.broadcastsTo(shape("B"), shape(1)));
    }

    // ---- seeded randomized comparison against a reference -------------------------------------

    static Stream<Arguments> randomShapes() {
        Random random = new Random(20240611L);
        return IntStream.range(0, 300).mapToObj(i -> {
            int count = 2 + random.nextInt(2);
            Shape base = randomShape(random, 4);
            Shape[] shapes = new Shape[count];
            for (int k = 0; k < count; k++) {
                shapes[k] = random.nextInt(4) == 0 ? randomShape(random, 4) : variant(random, base);
            }
            return Arguments.of((Object) shapes);
        });
    }

    private static Shape randomShape(Random random, int maxRank) {
        long[] sizes = new long[random.nextInt(maxRank + 1)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 1 + random.nextInt(4);
        }
        return Shape.of(sizes);
    }

    /** Drops some leading axes and replaces some sizes with 1 (or, rarely, with another size). */
    private static Shape variant(Random random, Shape base) {
        List<Dim> dims = new ArrayList<>(base.dims().subList(random.nextInt(base.rank() + 1), base.rank()));
        for (int i = 0; i < dims.size(); i++) {
            int r = random.nextInt(10);
            if (r < 3) {
                dims.set(i, Dim.of(1));
            } else if (r == 3) {
                dims.set(i, Dim.of(1 + random.nextInt(4)));
            }
        }
        return new Shape(dims);
    }

    /** NumPy's rule written out plainly: pad with leading 1s, then per axis equal, or one of them is 1. */
    private static Optional<Shape> reference(Shape... shapes) {
        int rank = Arrays.stream(shapes).mapToInt(Shape::rank).max().orElse(0);
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (Shape s : shapes) {
            List<Long> padded = new ArrayList<>(Collections.nCopies(rank - s.rank(), 1L));
            s.dims().forEach(d -> padded.add(d.size()));
            for (int i = 0; i < rank; i++) {
                long d = padded.get(i);
                if (out[i] == 1) {
                    out[i] = d;
                } else if (d != 1 && d != out[i]) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(Shape.of(out));
    }

    @ParameterizedTest
    @MethodSource("randomShapes")
    void agreesWithReference(Shape[] shapes) {
        Optional<Shape> expected = reference(shapes);
        if (expected.isPresent()) {
            Shape got = Broadcasting.shape("add", shapes);
            assertEquals(expected.get(), got);
            for (Shape s : shapes) {
                assertTrue(Broadcasting.broadcastsTo(s, got), s + " -> " + got);
            }
        } else {
            ShapeException e = assertThrows(ShapeException.class, () -> Broadcasting.shape("add", shapes));
            assertTrue(e.getMessage().startsWith("add: shapes "), e.getMessage());
            assertTrue(e.getMessage().contains(" do not broadcast: dimension "), e.getMessage());
        }
    }
}
