package dev.adjoint.runtime.bench;

import dev.adjoint.runtime.MatMul;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A JMH-free benchmark of {@link MatMul} against the previous kernels ({@link MatMulReference}), both
 * timed in the same JVM, interleaved round by round so that load from other processes hits both alike.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -o -q -pl runtime test-compile
 * java -cp runtime/target/classes:runtime/target/test-classes dev.adjoint.runtime.bench.MatMulBench [filter]
 * </pre>
 *
 * <p>Each case is warmed up, then timed for {@code ROUNDS} rounds; a round runs the old kernel and then
 * the new one (alternating which goes first) for about {@code ROUND_NANOS} each. The table gives the
 * median GFLOP/s (2·batch·m·k·n flops per call) of each, their ratio, and whether the outputs are bit
 * for bit identical. A filter argument keeps only the cases whose name contains it.
 *
 * <p>Time is the benchmark thread's CPU time, not wall time: the machine this was written on has two
 * cores shared with other jobs, and CPU time does not count the slices in which the thread was not
 * running (it still feels shared caches). The kernels are single-threaded, so the two agree on an idle
 * machine.
 */
public final class MatMulBench {
  private static final int ROUNDS = 11;
  private static final long ROUND_NANOS = 60_000_000L;
  private static final long WARMUP_NANOS = 400_000_000L;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private MatMulBench() {}

  private static long now() {
    return THREADS.getCurrentThreadCpuTime();
  }

  enum Variant { NN, TN, NT }

  record Case(String name, Variant variant, int batch, int m, int k, int n) {
    long flops() {
      return 2L * batch * m * k * n;
    }
  }

  interface Kernel {
    void run();
  }

  static List<Case> cases() {
    List<Case> cs = new ArrayList<>();
    // digits_conv.model with B = 32: forward and the backward products (explicit transposes + matmul)
    cs.add(new Case("conv2 fwd   [512,288]@[288,64]", Variant.NN, 1, 512, 288, 64));
    cs.add(new Case("conv2 dx    [512,64]@[64,288]", Variant.NN, 1, 512, 64, 288));
    cs.add(new Case("conv2 dW    [288,512]@[512,64]", Variant.NN, 1, 288, 512, 64));
    cs.add(new Case("conv1 fwd   [1152,9]@[9,32]", Variant.NN, 1, 1152, 9, 32));
    cs.add(new Case("conv1 dx    [1152,32]@[32,9]", Variant.NN, 1, 1152, 32, 9));
    cs.add(new Case("conv1 dW    [9,1152]@[1152,32]", Variant.NN, 1, 9, 1152, 32));
    cs.add(new Case("dense fwd   [32,1024]@[1024,10]", Variant.NN, 1, 32, 1024, 10));
    cs.add(new Case("dense dx    [32,10]@[10,1024]", Variant.NN, 1, 32, 10, 1024));
    cs.add(new Case("dense dW    [1024,32]@[32,10]", Variant.NN, 1, 1024, 32, 10));
    cs.add(new Case("square      [256,256]@[256,256]", Variant.NN, 1, 256, 256, 256));
    cs.add(new Case("transA      [288,512]^T@[512,64]", Variant.TN, 1, 288, 512, 64));
    cs.add(new Case("transB      [512,64]@[288,64]^T", Variant.NT, 1, 512, 64, 288));
    cs.add(new Case("batched     32x[16,288]@[288,64]", Variant.NN, 32, 16, 288, 64));
    cs.add(new Case("batchedTA   32x[288,16]^T@[16,64]", Variant.TN, 32, 288, 16, 64));
    cs.add(new Case("batchedTB   32x[16,64]@[288,64]^T", Variant.NT, 32, 16, 64, 288));
    return cs;
  }

  public static void main(String[] args) {
    String filter = args.length > 0 ? args[0] : "";
    System.out.printf(Locale.ROOT, "java %s, %s, %d processors; %d rounds, median GFLOP/s (thread CPU time)%n",
        System.getProperty("java.vm.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(), ROUNDS);
    System.out.printf(Locale.ROOT, "%-4s %-36s %8s %8s %7s  %s%n", "type", "case", "old", "new", "ratio", "bits");
    for (String type : new String[] {"f32", "f64"}) {
      for (Case c : cases()) {
        String label = type + " " + c.name();
        if (!label.contains(filter)) {
          continue;
        }
        bench(type, c);
      }
    }
  }

  private static void bench(String type, Case c) {
    SplittableRandom r = new SplittableRandom(42);
    int aSize = c.batch() * c.m() * c.k();
    int bSize = c.batch() * c.k() * c.n();
    int cSize = c.batch() * c.m() * c.n();
    Kernel oldK;
    Kernel newK;
    boolean same;
    if (type.equals("f32")) {
      float[] a = new float[aSize];
      float[] b = new float[bSize];
      for (int i = 0; i < aSize; i++) {
        a[i] = (float) r.nextDouble(-1, 1);
      }
      for (int i = 0; i < bSize; i++) {
        b[i] = (float) r.nextDouble(-1, 1);
      }
      float[] c1 = new float[cSize];
      float[] c2 = new float[cSize];
      oldK = () -> runOld(c, a, b, c1);
      newK = () -> runNew(c, a, b, c2);
      oldK.run();
      newK.run();
      same = Arrays.equals(c1, c2);
    } else {
      double[] a = r.doubles(aSize, -1, 1).toArray();
      double[] b = r.doubles(bSize, -1, 1).toArray();
      double[] c1 = new double[cSize];
      double[] c2 = new double[cSize];
      oldK = () -> runOld(c, a, b, c1);
      newK = () -> runNew(c, a, b, c2);
      oldK.run();
      newK.run();
      same = Arrays.equals(c1, c2);
    }
    int reps = calibrate(newK, oldK);
    warm(oldK, reps);
    warm(newK, reps);
    double[] oldG = new double[ROUNDS];
    double[] newG = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      if (round % 2 == 0) {
        oldG[round] = time(oldK, reps, c.flops());
        newG[round] = time(newK, reps, c.flops());
      } else {
        newG[round] = time(newK, reps, c.flops());
        oldG[round] = time(oldK, reps, c.flops());
      }
    }
    double o = median(oldG);
    double n = median(newG);
    System.out.printf(Locale.ROOT, "%-4s %-36s %8.2f %8.2f %6.2fx  %s%n", type, c.name(), o, n, n / o,
        same ? "identical" : "differ");
  }

  /** Repetitions per timed batch so that the slower of the two kernels takes about ROUND_NANOS. */
  private static int calibrate(Kernel a, Kernel b) {
    long t0 = now();
    int calls = 0;
    while (now() - t0 < 50_000_000L) {
      a.run();
      b.run();
      calls++;
    }
    long per = (now() - t0) / calls;
    return (int) Math.max(1, ROUND_NANOS / Math.max(1, per));
  }

  private static void warm(Kernel k, int reps) {
    long t0 = now();
    while (now() - t0 < WARMUP_NANOS / 2) {
      for (int i = 0; i < reps; i++) {
        k.run();
      }
    }
  }

  private static double time(Kernel k, int reps, long flops) {
    long t0 = now();
    for (int i = 0; i < reps; i++) {
      k.run();
    }
    long dt = now() - t0;
    return (double) flops * reps / dt;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static void runOld(Case c, float[] a, float[] b, float[] out) {
    if (c.batch() == 1) {
      switch (c.variant()) {
        case NN -> MatMulReference.matmul(a, b, out, c.m(), c.k(), c.n(), false);
        case TN -> MatMulReference.matmulTransA(a, b, out, c.m(), c.k(), c.n(), false);
        case NT -> MatMulReference.matmulTransB(a, b, out, c.m(), c.k(), c.n(), false);
      }
    } else {
      switch (c.variant()) {
        case NN -> MatMulReference.batchedMatmul(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
        case TN -> MatMulReference.batchedMatmulTransA(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
        case NT -> MatMulReference.batchedMatmulTransB(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
      }
    }
  }

  private static void runNew(Case c, float[] a, float[] b, float[] out) {
    if (c.batch() == 1) {
      switch (c.variant()) {
        case NN -> MatMul.matmul(a, b, out, c.m(), c.k(), c.n(), false);
        case TN -> MatMul.matmulTransA(a, b, out, c.m(), c.k(), c.n(), false);
        case NT -> MatMul.matmulTransB(a, b, out, c.m(), c.k(), c.n(), false);
      }
    } else {
      switch (c.variant()) {
        case NN -> MatMul.batchedMatmul(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
        case TN -> MatMul.batchedMatmulTransA(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
        case NT -> MatMul.batchedMatmulTransB(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
      }
    }
  }

  private static void runOld(Case c, double[] a, double[] b, double[] out) {
    if (c.batch() == 1) {
      switch (c.variant()) {
        case NN -> MatMulReference.matmul(a, b, out, c.m(), c.k(), c.n(), false);
        case TN -> MatMulReference.matmulTransA(a, b, out, c.m(), c.k(), c.n(), false);
        case NT -> MatMulReference.matmulTransB(a, b, out, c.m(), c.k(), c.n(), false);
      }
    } else {
      switch (c.variant()) {
        case NN -> MatMulReference.batchedMatmul(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
        case TN -> MatMulReference.batchedMatmulTransA(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
        case NT -> MatMulReference.batchedMatmulTransB(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
      }
    }
  }

  private static void runNew(Case c, double[] a, double[] b, double[] out) {
    if (c.batch() == 1) {
      switch (c.variant()) {
        case NN -> MatMul.matmul(a, b, out, c.m(), c.k(), c.n(), false);
        case TN -> MatMul.matmulTransA(a, b, out, c.m(), c.k(), c.n(), false);
        case NT -> MatMul.matmulTransB(a, b, out, c.m(), c.k(), c.n(), false);
      }
    } else {
      switch (c.variant()) {
        case NN -> MatMul.batchedMatmul(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
        case TN -> MatMul.batchedMatmulTransA(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
        case NT -> MatMul.batchedMatmulTransB(a, b, out, c.batch(), c.m(), c.k(), c.n(), false);
      }
    }
  }
}
