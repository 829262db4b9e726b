package dev.adjoint.compiler.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checkpoint placement on a chain of segments, optimal by dynamic programming (in the spirit of Griewank and
 * Walther's Revolve, for the one-recomputation schedule the compiler generates).
 *
 * <p><b>The model.</b> The forward pass is a chain of segments {@code 0..n-1}; segment {@code i} holds
 * {@code bytes[i]} bytes of values the backward pass reads and costs {@code flops[i]} to compute. Each segment is
 * either <em>stored</em> (its values are kept from the forward pass) or <em>dropped</em> (recomputed once in the
 * backward pass, from the last stored segment before it); a {@code forced} segment is always stored. A maximal run
 * of dropped segments is recomputed all at once when the backward pass reaches it, and its values are held until
 * their backward readers have run. So the bytes held at once are at most
 * <pre>  M = max( Σ stored bytes,  max over dropped runs r: (Σ stored bytes before r) + (Σ bytes of r) )</pre>
 * and the extra work is {@code C = Σ flops of dropped segments}. {@link #solve} finds a placement of least
 * {@code C} with {@code M ≤ budget}: a forward scan over positions keeping, at each, the Pareto front of
 * (stored bytes so far, recomputed FLOPs so far), each state extended by storing the next segment or by dropping a
 * run and storing the segment after it. The front is exact (a state with no more bytes and no more FLOPs than
 * another dominates it for every continuation), so the result is optimal; {@code ChainDpTest} checks it against
 * brute force on small chains.
 */
public final class ChainDp {
    private ChainDp() {
    }

    private record State(long stored, long cost, State parent, int from, int runStart, int runEnd) {
    }

    /**
     * The stored segments of a least-recomputation placement with {@link #memory} at most {@code budget}, or null
     * when no placement fits.
     */
    public static boolean[] solve(long[] bytes, long[] flops, boolean[] forced, long budget) {
        int n = bytes.length;
        List<List<State>> at = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            at.add(new ArrayList<>());
        }
        at.get(0).add(new State(0, 0, null, 0, -1, -1));
        for (int i = 0; i < n; i++) {
            List<State> front = pareto(at.get(i));
            for (State s : front) {
                add(at.get(i + 1), new State(s.stored + bytes[i], s.cost, s, i, -1, -1), budget);
                if (forced[i]) {
                    continue;
                }
                long run = 0;
                long cost = 0;
                for (int j = i; j < n && !forced[j]; j++) {
                    run += bytes[j];
                    cost += flops[j];
                    if (s.stored + run > budget) {
                        break;
                    }
                    if (j + 1 == n) {
                        add(at.get(n), new State(s.stored, s.cost + cost, s, i, i, j), budget);
                    } else {
                        add(at.get(j + 2), new State(s.stored + bytes[j + 1], s.cost + cost, s, i, i, j), budget);
                    }
                }
            }
        }
        State best = null;
        for (State s : at.get(n)) {
            if (best == null || s.cost < best.cost) {
                best = s;
            }
        }
        if (best == null) {
            return null;
        }
        boolean[] stored = new boolean[n];
        java.util.Arrays.fill(stored, true);
        for (State s = best; s.parent != null; s = s.parent) {
            for (int k = s.runStart; k >= 0 && k <= s.runEnd; k++) {
                stored[k] = false;
            }
        }
        return stored;
    }

    private static void add(List<State> to, State s, long budget) {
        if (s.stored <= budget) {
            to.add(s);
        }
    }

    /** The states no other state beats in both stored bytes and cost. */
    private static List<State> pareto(List<State> states) {
        states.sort(Comparator.comparingLong(State::stored).thenComparingLong(State::cost));
        List<State> out = new ArrayList<>();
        long bestCost = Long.MAX_VALUE;
        for (State s : states) {
            if (s.cost < bestCost) {
                out.add(s);
                bestCost = s.cost;
            }
        }
        return out;
    }

    /** {@code M} of the model for a placement. */
    public static long memory(long[] bytes, boolean[] stored) {
        long before = 0;
        long peak = 0;
        long run = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (stored[i]) {
                if (run > 0) {
                    peak = Math.max(peak, before + run);
                    run = 0;
                }
                before += bytes[i];
            } else {
                run += bytes[i];
            }
        }
        if (run > 0) {
            peak = Math.max(peak, before + run);
        }
        return Math.max(peak, before);
    }

    /** {@code C} of the model for a placement. */
    public static long cost(long[] flops, boolean[] stored) {
        long c = 0;
        for (int i = 0; i < flops.length; i++) {
            if (!stored[i]) {
                c += flops[i];
            }
        }
        return c;
    }

    /** The least {@link #memory} of any placement (binary search over budgets; feasibility is monotone). */
    public static long minimumMemory(long[] bytes, boolean[] forced) {
        long lo = 0;
        long hi = 0;
        for (long b : bytes) {
            hi += b;
        }
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (feasible(bytes, forced, mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Whether some placement has memory at most {@code budget}: the least stored bytes reachable at each position. */
    static boolean feasible(long[] bytes, boolean[] forced, long budget) {
        int n = bytes.length;
        long[] least = new long[n + 1];
        java.util.Arrays.fill(least, Long.MAX_VALUE);
        least[0] = 0;
        for (int i = 0; i < n; i++) {
            long s = least[i];
            if (s == Long.MAX_VALUE) {
                continue;
            }
            least[i + 1] = Math.min(least[i + 1], s + bytes[i]);
            long run = 0;
            for (int j = i; j < n && !forced[j]; j++) {
                run += bytes[j];
                if (s + run > budget) {
                    break;
                }
                if (j + 1 == n) {
                    least[n] = Math.min(least[n], s);
                } else {
                    least[j + 2] = Math.min(least[j + 2], s + bytes[j + 1]);
                }
            }
        }
        return least[n] <= budget;
    }
}
