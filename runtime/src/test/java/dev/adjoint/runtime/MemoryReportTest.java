package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryReportTest {

    @Test
    void peakHeldSumsTheBuffersHeldAtOnce() {
        long[] bytes = {100, 40, 7};
        // buffer 0 over steps 1..4, buffer 1 over 3..6, buffer 2 over 5..5 and again over 7..9
        assertEquals(140, MemoryReport.peakHeld(bytes, "0:1:4;1:3:6;", "2:5:5;2:7:9;"));
        // ends are inclusive: 0 ends at 4, 1 starts at 4
        assertEquals(140, MemoryReport.peakHeld(bytes, "0:1:4;1:4:6;"));
        assertEquals(100, MemoryReport.peakHeld(bytes, "0:1:4;1:5:6;"));
        assertEquals(0, MemoryReport.peakHeld(bytes));
    }

    @Test
    void theOlderConstructorMeasuresNothingHeldForBackward() {
        MemoryReport r = new MemoryReport("4·B", List.of("B"), new long[][] {{4, 1}}, 12);
        assertEquals(0, r.heldForBackward());
        assertEquals(40, r.planned(Map.of("B", 10)));
    }
}
