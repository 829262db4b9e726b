package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The steady-state rule and the median of {@link BenchRun}, on given numbers (no clock involved). */
class BenchRunTest {

    @Test
    void steadyAtTheFirstOfThreeBlocksWithinTenPercent() {
        assertEquals(3, BenchRun.steadyBlock(List.of(9.0, 5.0, 3.0, 1.05, 1.0, 1.1, 1.0), 0.10, 3));
        assertEquals(-1, BenchRun.steadyBlock(List.of(9.0, 5.0, 3.0, 1.05, 1.0), 0.10, 3));
        assertEquals(-1, BenchRun.steadyBlock(List.of(1.0, 1.2, 1.0, 1.2), 0.10, 3));
        assertEquals(0, BenchRun.steadyBlock(List.of(2.0, 2.1, 2.2), 0.10, 3));
    }

    @Test
    void settledAtTheFirstOfThreeBlocksInARowWithinTenPercentOfTheMeasuredSpeed() {
        // a single fast block is not enough; a slow block after three good ones does not move it
        assertEquals(3, BenchRun.settledSince(List.of(9.0, 1.0, 3.0, 1.05, 1.0, 1.1, 1.5, 1.0), 1.0, 0.10, 3));
        assertEquals(0, BenchRun.settledSince(List.of(1.0, 1.05, 1.0), 1.0, 0.10, 3));
        // the measured speed better than every block of the warm-up: settled at its last block
        assertEquals(2, BenchRun.settledSince(List.of(2.0, 2.0, 2.0), 1.0, 0.10, 3));
        assertEquals(0, BenchRun.settledSince(List.of(5.0), 1.0, 0.10, 3));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, BenchRun.median(new long[] {5, 1, 3, 99}, 3));
        assertEquals(2.0, BenchRun.median(new long[] {4, 1, 3, 0}, 4));
        assertEquals(7.0, BenchRun.median(new long[] {7}, 1));
    }
}
