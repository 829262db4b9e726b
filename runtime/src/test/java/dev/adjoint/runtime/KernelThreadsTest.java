package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Thread counts do not change a bit of the result; warm calls of the matrix kernels and of the elementwise kernels
 * (both implementations of each) allocate nothing.
 */
class KernelThreadsTest {

  @AfterEach
  void oneThreadAgain() {
    Kernels.setThreads(1);
  }

  @ParameterizedTest(name = "m={0} k={1} n={2}")
  @CsvSource({"130, 200, 150", "300, 170, 40", "61, 333, 97", "500, 9, 400", "96, 400, 300"})
  void everyThreadCountGivesTheSameBits(int m, int k, int n) {
    assertTrue((long) m * n * k >= Kernels.PARALLEL_MIN_WORK, "large enough to be split");
    SplittableRandom r = new SplittableRandom(m + 7L * k + 31L * n);
    double[] a = r.doubles((long) m * k, -1, 1).toArray();
    double[] b = r.doubles((long) k * n, -1, 1).toArray();
    double[] c0 = r.doubles((long) m * n, -1, 1).toArray();
    for (int variant = 0; variant < 3; variant++) {
      double[] want = MatMulKernelTest.naive(variant, 1, m, k, n, a, b, c0, true);
      float[] wantF = MatMulKernelTest.naiveFloat(variant, 1, m, k, n, MatMulKernelTest.toFloat(a),
          MatMulKernelTest.toFloat(b), MatMulKernelTest.toFloat(c0), true, new double[m * n]);
      for (int threads = 1; threads <= 3; threads++) {
        Kernels.setThreads(threads);
        assertEquals(threads, Kernels.threads());
        for (KernelImpl impl : MatMulKernelTest.impls()) {
          String what = "variant " + variant + ", " + threads + " threads, " + impl.name();
          double[] c = c0.clone();
          MatMulKernelTest.run(impl, variant, 1, a, b, c, m, k, n, true);
          assertArrayEquals(want, c, 0.0, what);
          float[] cf = MatMulKernelTest.toFloat(c0);
          MatMulKernelTest.run(impl, variant, 1, MatMulKernelTest.toFloat(a), MatMulKernelTest.toFloat(b), cf,
              m, k, n, true);
          assertArrayEquals(wantF, cf, 0.0f, what);
        }
      }
    }
  }

  @Test
  void aThreadCountBelowOneIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.setThreads(0));
    assertEquals("kernel threads must be at least 1, got 0", e.getMessage());
  }

  @Test
  void warmCallsAllocateNothing() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "no com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
        "thread allocation accounting unsupported");
    int m = 37;
    int k = 150;
    int n = 70;
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    float[] c = new float[m * n];
    double[] ad = new double[m * k];
    double[] bd = new double[k * n];
    double[] cd = new double[m * n];
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      long allocated = onceWarm(bean, 1_500, 100, () -> calls(impl, a, b, c, ad, bd, cd, m, k, n));
      assertTrue(allocated <= 1024, impl.name() + ": 600 warm calls allocated " + allocated + " bytes");
    }
  }

  @Test
  void warmTransposedProductsAllocateNothing() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "no com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
        "thread allocation accounting unsupported");
    int m = 64;
    int k = 200;
    int n = 300;
    assertTrue(MatMul.transposesC(1, 1, k, m, k, n, true), "A·Bᵀ of this shape runs as Cᵀ = B·Aᵀ");
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    float[] c = new float[m * n];
    double[] ad = new double[m * k];
    double[] bd = new double[k * n];
    double[] cd = new double[m * n];
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      long allocated = onceWarm(bean, 300, 50, () -> {
        MatMulKernelTest.run(impl, 2, 1, a, b, c, m, k, n, false);
        MatMulKernelTest.run(impl, 2, 1, a, b, c, m, k, n, true);
        MatMulKernelTest.run(impl, 2, 1, ad, bd, cd, m, k, n, true);
      });
      assertTrue(allocated <= 1024, impl.name() + ": 150 warm calls allocated " + allocated + " bytes");
    }
  }

  @Test
  void warmElementwiseCallsAllocateNothing() {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "no com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
        "thread allocation accounting unsupported");
    float[] x = new float[1000];
    double[] xd = new double[1000];
    for (int i = 0; i < x.length; i++) {
      xd[i] = Math.sin(i) * 5;
      x[i] = (float) xd[i];
    }
    float[] y = new float[x.length];
    double[] yd = new double[x.length];
    // Both implementations. The Vector API one (VectorMath) used to stay boxed now and then: see its class comment.
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      long allocated = onceWarm(bean, 3_000, 100, () -> elementwise(impl, x, y, xd, yd));
      assertTrue(allocated <= 1024, impl.name() + ": 1,000 warm calls allocated " + allocated + " bytes");
    }
  }

  /**
   * Bytes allocated by {@code calls} runs of {@code body} once warm. Until C2 compiles the Vector API code its
   * vectors are heap objects; on a loaded machine that can take longer than the warm-up, so a measurement above
   * 1 KB is repeated after more warm-up, up to 5 times. A kernel that really allocates does so every round.
   */
  private static long onceWarm(com.sun.management.ThreadMXBean bean, int warm, int calls, Runnable body) {
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 5 && allocated > 1024; round++) {
      for (int i = 0; i < warm; i++) {
        body.run();
      }
      long before = bean.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < calls; i++) {
        body.run();
      }
      allocated = bean.getCurrentThreadAllocatedBytes() - before;
    }
    return allocated;
  }

  private static void elementwise(KernelImpl impl, float[] x, float[] y, double[] xd, double[] yd) {
    impl.exp(x, 0, y, 0, x.length);
    impl.log(x, 0, y, 0, x.length);
    impl.tanh(x, 0, y, 0, x.length);
    impl.sigmoid(x, 0, y, 0, x.length);
    impl.exp(xd, 0, yd, 0, xd.length);
    impl.log(xd, 0, yd, 0, xd.length);
    impl.tanh(xd, 0, yd, 0, xd.length);
    impl.sigmoid(xd, 0, yd, 0, xd.length);
    impl.tanh(y, 0, y, 0, 992);
    impl.tanh(yd, 0, yd, 0, 992);
    impl.wherePositive(x, 0, y, 0, y, 0, x.length);
    impl.wherePositive(xd, 0, yd, 0, yd, 0, xd.length);
    impl.maxInto(y, 0, x, 0, x.length);
    impl.maxInto(yd, 0, xd, 0, xd.length);
    ArrayMath.columnSums(x, 10, 100, SUMS);
    ArrayMath.columnSums(xd, 10, 100, SUMS_D);
  }

  private static final float[] SUMS = new float[100];
  private static final double[] SUMS_D = new double[100];

  private static void calls(KernelImpl impl, float[] a, float[] b, float[] c, double[] ad, double[] bd,
      double[] cd, int m, int k, int n) {
    MatMulKernelTest.run(impl, 0, 1, a, b, c, m, k, n, false);
    MatMulKernelTest.run(impl, 1, 1, a, b, c, m, k, n, true);
    MatMulKernelTest.run(impl, 2, 1, a, b, c, m, k, n, true);
    MatMulKernelTest.run(impl, 0, 1, ad, bd, cd, m, k, n, false);
    MatMulKernelTest.run(impl, 1, 1, ad, bd, cd, m, k, n, true);
    MatMulKernelTest.run(impl, 2, 1, ad, bd, cd, m, k, n, true);
  }
}
