package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Parsing of the binding and held-out options. */
class TrainDataTest {

    @Test
    void bindingsNameAnInputAndOneBasedColumns() throws TrainException {
        TrainData.Binding b = TrainData.parseBinding("--features", "x=1-3,5,8-9");
        assertEquals("x", b.input());
        assertArrayEquals(new int[] {0, 1, 2, 4, 7, 8}, b.columns());
        assertNull(TrainData.parseBinding("--label", "y").columns());
        assertEquals("1-3,5,8-9", TrainData.ranges(b.columns()));
        assertEquals("adjoint train: error: --features x=1,1: column 1 is given twice",
                assertThrows(TrainException.class, () -> TrainData.parseBinding("--features", "x=1,1")).getMessage());
        assertEquals("adjoint train: error: --label y=a: 'a' is not a column number or range such as 3 or 1-64",
                assertThrows(TrainException.class, () -> TrainData.parseBinding("--label", "y=a")).getMessage());
    }

    @Test
    void theLargestColumnNumbersAreRefusedAtOnce() {
        // 2147483647 looped forever (c <= to never fails for an int); a long range took quadratic time
        assertEquals("adjoint train: error: --features x=2147483647: column 2147483647 is past the widest row a CSV"
                + " line of 16 MB can hold (8388608 columns)", assertThrows(TrainException.class,
                        () -> TrainData.parseBinding("--features", "x=2147483647")).getMessage());
        assertThrows(TrainException.class, () -> TrainData.parseBinding("--features", "x=1-2147483647"));
        assertThrows(TrainException.class, () -> TrainData.parseBinding("--label", "y=2147483647"));
    }

    @Test
    void heldOutIsAFractionRoundedUpOrARowCount() throws TrainException {
        assertEquals(360, TrainData.heldOutRows("0.2", 1797));
        assertEquals(360, TrainData.heldOutRows("0.2", 1800));
        assertEquals(360, TrainData.heldOutRows("360", 1797));
        assertEquals(0, TrainData.heldOutRows("0", 1797));
        assertThrows(TrainException.class, () -> TrainData.heldOutRows("1.5", 10));
        assertThrows(TrainException.class, () -> TrainData.heldOutRows("-3", 10));
        assertThrows(TrainException.class, () -> TrainData.heldOutRows("many", 10));
    }
}
