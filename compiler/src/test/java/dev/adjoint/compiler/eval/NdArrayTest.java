package dev.adjoint.compiler.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NdArrayTest {

    @Test
    void equalityHashAndTextAreByContent() {
        NdArray a = NdArray.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        NdArray b = new NdArray(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.reshape(3, 2));
        assertEquals("[2, 3] [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]", a.toString());
        assertEquals("[] 1.5", NdArray.scalar(1.5).toString());
        assertEquals("[0, 2] []", NdArray.zeros(0, 2).toString());
    }

    @Test
    void accessors() {
        NdArray a = NdArray.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertEquals(6, a.size());
        assertEquals(2, a.rank());
        assertEquals(6, a.get(1, 2));
        assertEquals(2, a.get(0, 1));
        assertEquals(7, NdArray.scalar(7).get());
        assertEquals(7, NdArray.scalar(7).item());
        assertEquals(3, NdArray.zeros(3).size());
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> a.get(1));
    }

    @Test
    void theDataMustFitTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NdArray(new int[] {2, 2}, new double[3]));
        assertEquals("shape [2, 2] holds 4 elements, but 3 values were given", e.getMessage());
    }

    @Test
    void allClose() {
        NdArray a = NdArray.vector(1, Double.NaN, Double.POSITIVE_INFINITY);
        assertTrue(a.allClose(NdArray.vector(1 + 1e-12, Double.NaN, Double.POSITIVE_INFINITY), 1e-9, 0));
        assertFalse(a.allClose(NdArray.vector(1.1, Double.NaN, Double.POSITIVE_INFINITY), 1e-9, 0));
        assertFalse(a.allClose(NdArray.vector(1, 0, Double.POSITIVE_INFINITY), 1e-9, 0));
    }
}
