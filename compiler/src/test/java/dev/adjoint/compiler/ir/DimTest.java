package dev.adjoint.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DimTest {
    private static final Dim B = Dim.sym("B");
    private static final Dim T = Dim.sym("T");

    @Test
    void monomialsAreCanonical() {
        assertEquals(new Dim(6, List.of("B", "T")), new Dim(6, List.of("T", "B")));
        assertEquals("6*B*T", new Dim(6, List.of("T", "B")).toString());
        assertEquals("B", B.toString());
        assertEquals("64", Dim.of(64).toString());
        assertTrue(Dim.of(1).isOne());
        assertFalse(B.isOne());
        assertFalse(B.isFixed());
        assertEquals(64, Dim.of(64).size());
        assertThrows(IllegalStateException.class, B::size);
        assertThrows(IllegalArgumentException.class, () -> Dim.of(-1));
    }

    @Test
    void times() {
        assertEquals(Dim.of(12), Dim.of(3).times(Dim.of(4)));
        assertEquals(new Dim(64, List.of("B")), Dim.of(64).times(B));
        assertEquals(new Dim(1, List.of("B", "B")), B.times(B));
        assertEquals("B*B", B.times(B).toString());
        assertEquals(new Dim(2, List.of("B", "T")), T.times(Dim.of(2)).times(B));
        assertEquals(Dim.of(0), Dim.of(0).times(Dim.of(5)));
        assertThrows(ArithmeticException.class, () -> Dim.of(Long.MAX_VALUE).times(Dim.of(2)));
    }

    @Test
    void dividedBy() {
        assertEquals(Optional.of(Dim.of(4)), Dim.of(12).dividedBy(Dim.of(3)));
        assertEquals(Optional.empty(), Dim.of(12).dividedBy(Dim.of(5)));
        assertEquals(Optional.of(B), new Dim(64, List.of("B")).dividedBy(Dim.of(64)));
        assertEquals(Optional.of(Dim.of(64)), new Dim(64, List.of("B")).dividedBy(B));
        assertEquals(Optional.of(new Dim(2, List.of("B"))), new Dim(64, List.of("B")).dividedBy(Dim.of(32)));
        assertEquals(Optional.of(B), B.times(B).dividedBy(B));
        assertEquals(Optional.empty(), Dim.of(64).dividedBy(B));
        assertEquals(Optional.empty(), new Dim(64, List.of("B")).dividedBy(T));
        assertEquals(Optional.empty(), Dim.of(3).dividedBy(Dim.of(0)));
        assertEquals(Optional.of(Dim.of(0)), Dim.of(0).dividedBy(Dim.of(3)));
    }

    @Test
    void plus() {
        assertEquals(Optional.of(Dim.of(7)), Dim.of(3).plus(Dim.of(4)));
        assertEquals(Optional.of(new Dim(2, List.of("B"))), B.plus(B));
        assertEquals(Optional.of(new Dim(5, List.of("B", "T"))), new Dim(2, List.of("T", "B")).plus(new Dim(3, List.of("B", "T"))));
        assertEquals(Optional.empty(), B.plus(Dim.of(3)));
        assertEquals(Optional.empty(), B.plus(T));
        assertEquals(Optional.empty(), B.plus(B.times(B)));
    }

    @Test
    void shapeNumelAndAxes() {
        Shape s = Shape.of(B, Dim.of(8), Dim.of(8));
        assertEquals(new Dim(64, List.of("B")), s.numel());
        assertEquals("64*B", s.numel().toString());
        assertEquals(Dim.of(1), Shape.SCALAR.numel());
        assertEquals(2, s.normalizeAxis("sum", -1));
        assertEquals(0, s.normalizeAxis("sum", 0));
        ShapeException e = assertThrows(ShapeException.class, () -> s.normalizeAxis("sum", 3));
        assertEquals("sum: axis 3 is out of range for a tensor of rank 3 [B, 8, 8] (valid: -3..2)", e.getMessage());
    }
}
