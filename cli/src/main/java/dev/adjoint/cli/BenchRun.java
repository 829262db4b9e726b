package dev.adjoint.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The timing loop of {@code adjoint bench}. Each iteration runs a forward pass, a training step (forward,
 * loss and gradient) and a plain SGD update, timed separately, so that all three meet the same load.
 *
 * <p><b>Warm-up until steady.</b> Step times are grouped in blocks of about half a second; the run is steady
 * once {@link #WINDOW} consecutive blocks, each starting after at least {@link #MIN_WARMUP_STEPS} steps, have
 * medians within {@link #TOLERANCE} of each other (the JIT has then compiled what it is going to compile). The
 * step count matters: a generated method runs once per step, and HotSpot hands a method to its optimizing
 * compiler only after several hundred calls, so a model whose steps each take longer than a few milliseconds
 * can look steady for seconds while its code still runs in the quick tier (seen: 8 warm-up steps, and half
 * the speed of a run that warmed up for 500). Then the loop runs for the measured time and reports medians. Time
 * to steady state is the time from the first step to the start of the first of {@link #WINDOW} blocks in a row
 * that each ran within {@link #TOLERANCE} of the measured median: from then on the user gets the measured speed,
 * whether or not the warm-up's minimum of steps had passed (a model whose step takes 50 ms needs 50 s for 1,000 steps, however fast
 * its code compiles). A run that is not steady after the warm-up limit is measured anyway and says so (its
 * time to steady state is then the whole warm-up).
 */
final class BenchRun {
    static final long BLOCK_NANOS = 500_000_000L;
    static final int WINDOW = 3;
    static final double TOLERANCE = 0.10;
    static final int MIN_STEPS = 5;
    static final int MIN_WARMUP_STEPS = 1000;

    /** The medians of the measured iterations and the warm-up found before them. */
    record Result(int steps, double forwardMs, double stepMs, double updateMs, long allocBytesPerStep,
            double timeToSteadyS, int warmupSteps, boolean steady) {
        double stepsPerS() {
            return 1000 / stepMs;
        }
    }

    private BenchRun() {}

    /**
     * Warms up until steady (or {@code maxWarmupSeconds}), then measures for {@code seconds}.
     *
     * @param allocated the bytes the current thread has allocated so far, or a supplier of -1 if unknown
     */
    static Result run(Runnable forward, Runnable step, Runnable update, double seconds, double maxWarmupSeconds,
            LongSupplier allocated, java.io.PrintWriter trace) {
        long start = System.nanoTime();
        List<Double> medians = new ArrayList<>();
        List<Long> blockStarts = new ArrayList<>();
        List<Integer> stepsBefore = new ArrayList<>();
        long[] block = new long[16];
        int inBlock = 0;
        int warmupSteps = 0;
        long blockStart = start;
        int steadyBlock = -1;
        long limit = start + (long) (maxWarmupSeconds * 1e9);
        while (true) {
            forward.run();
            long t0 = System.nanoTime();
            step.run();
            long t1 = System.nanoTime();
            update.run();
            if (inBlock == block.length) {
                block = Arrays.copyOf(block, 2 * block.length);
            }
            block[inBlock++] = t1 - t0;
            warmupSteps++;
            long now = System.nanoTime();
            if (now - blockStart >= BLOCK_NANOS) {
                medians.add(median(block, inBlock) / 1e6);
                blockStarts.add(blockStart);
                stepsBefore.add(warmupSteps - inBlock);
                if (trace != null) {
                    trace.printf(java.util.Locale.ROOT, "warm-up at %.1f s, after %d steps: step %.3f ms (median of %d)%n",
                            (blockStart - start) / 1e9, warmupSteps - inBlock, medians.get(medians.size() - 1), inBlock);
                    trace.flush();
                }
                inBlock = 0;
                blockStart = now;
                int from = 0;
                while (from < stepsBefore.size() && stepsBefore.get(from) < MIN_WARMUP_STEPS) {
                    from++;
                }
                int found = steadyBlock(medians.subList(from, medians.size()), TOLERANCE, WINDOW);
                steadyBlock = found < 0 ? -1 : from + found;
                if (steadyBlock >= 0 || now >= limit) {
                    break;
                }
            }
        }
        boolean steady = steadyBlock >= 0;
        int first = steady ? steadyBlock : medians.size() - 1;
        double toSteady = (blockStarts.get(first) - start) / 1e9;
        int stepsToSteady = stepsBefore.get(first);

        long measureEnd = System.nanoTime() + (long) (seconds * 1e9);
        long[] fwd = new long[64];
        long[] stp = new long[64];
        long[] upd = new long[64];
        long[] alloc = new long[64];
        int n = 0;
        while (n < MIN_STEPS || System.nanoTime() < measureEnd) {
            if (n == fwd.length) {
                fwd = Arrays.copyOf(fwd, 2 * n);
                stp = Arrays.copyOf(stp, 2 * n);
                upd = Arrays.copyOf(upd, 2 * n);
                alloc = Arrays.copyOf(alloc, 2 * n);
            }
            long t0 = System.nanoTime();
            forward.run();
            long a0 = allocated.getAsLong();
            long t1 = System.nanoTime();
            step.run();
            long t2 = System.nanoTime();
            long a1 = allocated.getAsLong();
            update.run();
            long t3 = System.nanoTime();
            fwd[n] = t1 - t0;
            stp[n] = t2 - t1;
            upd[n] = t3 - t2;
            alloc[n] = a0 < 0 ? -1 : a1 - a0;
            n++;
        }
        double stepMs = median(stp, n) / 1e6;
        if (steady) {
            // steady from the first of WINDOW blocks in a row within the tolerance of the measured speed: the
            // warm-up's minimum of steps delays the measurement, not the speed
            int since = settledSince(medians, stepMs, TOLERANCE, WINDOW);
            toSteady = (blockStarts.get(since) - start) / 1e9;
            stepsToSteady = stepsBefore.get(since);
        }
        return new Result(n, median(fwd, n) / 1e6, stepMs, median(upd, n) / 1e6,
                (long) median(alloc, n), toSteady, stepsToSteady, steady);
    }

    /**
     * The first of the first {@code window} consecutive blocks whose medians are each at most
     * {@code (1 + tolerance)} times {@code measured}, the speed measured after the warm-up; the last block if there
     * are none (a machine's noise makes single blocks slower at any time, so one slow block later does not count).
     */
    static int settledSince(List<Double> medians, double measured, double tolerance, int window) {
        int run = 0;
        for (int i = 0; i < medians.size(); i++) {
            run = medians.get(i) <= (1 + tolerance) * measured ? run + 1 : 0;
            if (run == window) {
                return i - window + 1;
            }
        }
        return medians.size() - 1;
    }

    /**
     * The first block of the first {@code window} consecutive blocks whose medians are all within
     * {@code tolerance} of the smallest of them ({@code max <= (1 + tolerance) min}); -1 if there is none yet.
     */
    static int steadyBlock(List<Double> medians, double tolerance, int window) {
        for (int i = 0; i + window <= medians.size(); i++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (int j = i; j < i + window; j++) {
                lo = Math.min(lo, medians.get(j));
                hi = Math.max(hi, medians.get(j));
            }
            if (hi <= (1 + tolerance) * lo) {
                return i;
            }
        }
        return -1;
    }

    /** The median of the first {@code n} values (the mean of the middle two for even {@code n}). */
    static double median(long[] values, int n) {
        long[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
