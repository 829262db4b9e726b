package dev.adjoint.compiler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chain placement is optimal: against brute force over every placement of small random chains. */
class ChainDpTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 60);
    }

    @ParameterizedTest(name = "chain {0}")
    @MethodSource("seeds")
    void leastRecomputationWithinTheBudgetAsBruteForceFindsIt(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(11);
        long[] bytes = new long[n];
        long[] flops = new long[n];
        boolean[] forced = new boolean[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            bytes[i] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(seed % 2 == 0 ? 3 : 100);
            flops[i] = 1 + r.nextInt(seed % 3 == 0 ? 2 : 1000);
            forced[i] = i == n - 1 || r.nextInt(6) == 0;
            total += bytes[i];
        }
        long least = Long.MAX_VALUE;
        for (long budget = 0; budget <= total + 1; budget += Math.max(1, total / 17)) {
            long bestCost = Long.MAX_VALUE;
            for (int mask = 0; mask < 1 << n; mask++) {
                boolean[] stored = new boolean[n];
                boolean ok = true;
                for (int i = 0; i < n; i++) {
                    stored[i] = (mask >> i & 1) == 1;
                    ok &= stored[i] || !forced[i];
                }
                if (ok) {
                    least = Math.min(least, ChainDp.memory(bytes, stored));
                    if (ChainDp.memory(bytes, stored) <= budget) {
                        bestCost = Math.min(bestCost, ChainDp.cost(flops, stored));
                    }
                }
            }
            boolean[] got = ChainDp.solve(bytes, flops, forced, budget);
            if (bestCost == Long.MAX_VALUE) {
                assertNull(got, "budget " + budget + " cannot be met");
                continue;
            }
            assertNotNull(got, "budget " + budget);
            for (int i = 0; i < n; i++) {
                assertTrue(got[i] || !forced[i], "forced segment " + i + " dropped");
            }
            assertTrue(ChainDp.memory(bytes, got) <= budget, "budget " + budget);
            assertEquals(bestCost, ChainDp.cost(flops, got), "budget " + budget);
        }
        assertEquals(least, ChainDp.minimumMemory(bytes, forced));
    }

    @Test
    void sqrtLikePlacementOfAnEvenChain() {
        int n = 16;
        long[] bytes = new long[n];
        long[] flops = new long[n];
        boolean[] forced = new boolean[n];
        java.util.Arrays.fill(bytes, 10);
        java.util.Arrays.fill(flops, 1);
        forced[n - 1] = true;
        // storing every 4th segment holds 4 stored + 3 recomputed at once (70 bytes) and recomputes 12; runs that
        // shorten towards the end (stored bytes before them grow) do better: 9 recomputed, as brute force finds
        boolean[] got = ChainDp.solve(bytes, flops, forced, 70);
        assertTrue(ChainDp.memory(bytes, got) <= 70);
        assertEquals(9, ChainDp.cost(flops, got));
        long least = ChainDp.minimumMemory(bytes, forced);
        assertNotNull(ChainDp.solve(bytes, flops, forced, least));
        assertNull(ChainDp.solve(bytes, flops, forced, least - 1));
        assertTrue(least < 70, "runs of 5, 4, 3, 2, 1 hold 50 bytes at most");
        assertEquals(160, ChainDp.memory(bytes, ChainDp.solve(bytes, flops, forced, 1_000)));
    }
}
