package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matrix kernels against the numeric contract, over many odd shapes: sizes 0 and 1, primes, sizes
 * one either side of every tile and block edge (8-row and 1-, 2-, 3-vector tiles of the Vector API
 * kernels for 128-, 256- and 512-bit vectors, the scalar kernel's 3 rows and 3 rows of {@code B},
 * k-blocks of 128 and 256, the 64 rows up to which a row-major {@code B} is read in place), in every variant
 * ({@code A·B}, {@code Aᵀ·B}, {@code A·Bᵀ}, plain and batched), overwriting and accumulating, in
 * {@code f32} and {@code f64}, on both implementations. Checks, per case:
 *
 * <ul>
 *   <li>both implementations equal, bit for bit, a naive loop {@code s = Math.fma(a, b, s)} over
 *       ascending {@code p} starting from {@code C} (accumulate) or 0;
 *   <li>f32 is within a forward-error bound of the f64 product of the same inputs;
 *   <li>with small integer inputs (exact in both types) both equal the exact product.
 * </ul>
 */
class MatMulKernelTest {

  private static final int[] DIMS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 23, 24, 25, 31, 33, 47, 49, 97};

  /** The implementations under test: the one {@link Kernels} chose, and the scalar one explicitly. */
  static List<KernelImpl> impls() {
    return Kernels.impl() == Kernels.scalar() ? List.of(Kernels.scalar()) : List.of(Kernels.impl(), Kernels.scalar());
  }

  static Stream<Arguments> shapes() {
    SplittableRandom r = new SplittableRandom(20261205);
    List<Arguments> out = new ArrayList<>();
    int[][] fixed = {
        {1, 1, 1, 1}, {1, 1, 1, 3}, {0, 3, 4, 1}, {3, 0, 4, 1}, {3, 4, 0, 1}, {2, 3, 4, 0},
        {8, 4, 48, 1}, {9, 5, 49, 1}, {7, 3, 47, 1}, {1, 64, 1, 1}, {5, 3, 1, 2}, {36, 9, 32, 2},
        {16, 129, 11, 1}, {10, 257, 20, 1}, {17, 300, 33, 1}, {200, 7, 13, 1}, {3, 5, 97, 1},
        {25, 31, 200, 1}, {2, 2, 800, 1}, {32, 10, 128, 1},
        {64, 130, 100, 1}, {65, 129, 50, 1}, {63, 300, 48, 1}, {57, 9, 31, 2},
        // Panels four vectors wide (exactly four left: 64 columns in f32, 25 to 32 in f64 with 512-bit
        // vectors), in place and packed, whole and at the edges.
        {64, 64, 64, 1}, {71, 140, 64, 1}, {13, 20, 112, 1}, {9, 30, 57, 1}, {130, 9, 60, 2},
        {20, 17, 56, 1}, {19, 33, 30, 1},
        // A·Bᵀ computed as Cᵀ = B·Aᵀ (MatMul.transposesC), overwriting and accumulating
        {64, 300, 257, 1}, {97, 260, 400, 1}, {70, 200, 333, 2},
    };
    for (int[] f : fixed) {
      out.add(Arguments.of(f[0], f[1], f[2], f[3]));
    }
    for (int i = 0; i < 40; i++) {
      int batch = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
      out.add(Arguments.of(DIMS[r.nextInt(DIMS.length)], DIMS[r.nextInt(DIMS.length)],
          DIMS[r.nextInt(DIMS.length)], batch));
    }
    return out.stream();
  }

  /** 0: A·B, 1: Aᵀ·B, 2: A·Bᵀ. */
  private static double aAt(double[] a, int variant, int e, int m, int k, int i, int p) {
    return variant == 1 ? a[e * k * m + p * m + i] : a[e * m * k + i * k + p];
  }

  private static double bAt(double[] b, int variant, int e, int k, int n, int p, int j) {
    return variant == 2 ? b[e * n * k + j * k + p] : b[e * k * n + p * n + j];
  }

  /** The contract in double: {@code s = fma(a, b, s)} in ascending p, from C or 0. */
  static double[] naive(int variant, int batch, int m, int k, int n, double[] a, double[] b,
      double[] c0, boolean acc) {
    double[] c = c0.clone();
    for (int e = 0; e < batch; e++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int at = e * m * n + i * n + j;
          double s = acc ? c[at] : 0;
          for (int p = 0; p < k; p++) {
            s = Math.fma(aAt(a, variant, e, m, k, i, p), bAt(b, variant, e, k, n, p, j), s);
          }
          c[at] = s;
        }
      }
    }
    return c;
  }

  /** The contract in float; also returns Σ|a·b| + |c0| per entry in {@code bound}. */
  static float[] naiveFloat(int variant, int batch, int m, int k, int n, float[] a, float[] b,
      float[] c0, boolean acc, double[] bound) {
    double[] ad = toDouble(a);
    double[] bd = toDouble(b);
    float[] c = c0.clone();
    for (int e = 0; e < batch; e++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int at = e * m * n + i * n + j;
          float s = acc ? c[at] : 0;
          double mag = acc ? Math.abs(c[at]) : 0;
          for (int p = 0; p < k; p++) {
            float x = (float) aAt(ad, variant, e, m, k, i, p);
            float y = (float) bAt(bd, variant, e, k, n, p, j);
            s = Math.fma(x, y, s);
            mag += Math.abs((double) x * y);
          }
          c[at] = s;
          bound[at] = mag;
        }
      }
    }
    return c;
  }

  @ParameterizedTest(name = "m={0} k={1} n={2} batch={3}")
  @MethodSource("shapes")
  void bothImplementationsMatchTheFmaLoopBitForBit(int m, int k, int n, int batch) {
    SplittableRandom r = new SplittableRandom(31L * m + 17L * k + 7L * n + batch);
    double[] a = r.doubles((long) batch * m * k, -1, 1).toArray();
    double[] b = r.doubles((long) batch * k * n, -1, 1).toArray();
    double[] c0 = r.doubles((long) batch * m * n, -1, 1).toArray();
    float[] af = toFloat(a);
    float[] bf = toFloat(b);
    float[] c0f = toFloat(c0);
    for (int variant = 0; variant < 3; variant++) {
      for (boolean acc : new boolean[] {false, true}) {
        String what = "variant " + variant + (acc ? " accumulate" : " overwrite");
        double[] want = naive(variant, batch, m, k, n, a, b, c0, acc);
        double[] bound = new double[want.length];
        float[] wantF = naiveFloat(variant, batch, m, k, n, af, bf, c0f, acc, bound);
        for (KernelImpl impl : impls()) {
          double[] got = c0.clone();
          run(impl, variant, batch, a, b, got, m, k, n, acc);
          assertArrayEquals(want, got, 0.0, what + " (f64, " + impl.name() + ")");
          float[] gotF = c0f.clone();
          run(impl, variant, batch, af, bf, gotF, m, k, n, acc);
          assertArrayEquals(wantF, gotF, 0.0f, what + " (f32, " + impl.name() + ")");
        }
        // The public entry points (on the chosen implementation) agree too.
        double[] viaApi = c0.clone();
        api(variant, batch, a, b, viaApi, m, k, n, acc);
        assertArrayEquals(want, viaApi, 0.0, what + " (f64, MatMul)");
        float[] viaApiF = c0f.clone();
        api(variant, batch, af, bf, viaApiF, m, k, n, acc);
        assertArrayEquals(wantF, viaApiF, 0.0f, what + " (f32, MatMul)");

        // f32 against the f64 product of the same (float) inputs: |error| <= (k + 1)·u·Σ|terms|.
        double[] exact = naive(variant, batch, m, k, n, toDouble(af), toDouble(bf), toDouble(c0f), acc);
        double u = Math.ulp(1.0f) / 2;
        for (int i = 0; i < exact.length; i++) {
          double tol = 1.01 * (k + 2) * u * bound[i] + Float.MIN_NORMAL;
          assertTrue(Math.abs(viaApiF[i] - exact[i]) <= tol,
              what + " (f32 vs f64) at " + i + ": " + viaApiF[i] + " vs " + exact[i] + ", tolerance " + tol);
        }
      }
    }
  }

  @Test
  void theShapesAboveIncludeSomeThatRunABTransposedAsTheTransposedProduct() {
    for (boolean acc : new boolean[] {false, true}) {
      assertTrue(MatMul.transposesC(1, 1, 300, 64, 300, 257, acc));
      assertTrue(MatMul.transposesC(1, 1, 260, 97, 260, 400, acc));
      assertTrue(MatMul.transposesC(1, 1, 200, 70, 200, 333, acc));
      assertTrue(MatMul.transposesC(1, 1, 128, 32, 128, 256, acc), "the convolutional sample's dx = dy·Wᵀ");
    }
    assertTrue(!MatMul.transposesC(1, 1, 10, 128, 10, 512, false), "k = 10: packing B costs less");
    assertTrue(!MatMul.transposesC(1, 1, 300, 3, 300, 257, false), "below 4 rows");
  }

  @ParameterizedTest(name = "m={0} k={1} n={2} batch={3}")
  @MethodSource("shapes")
  void smallIntegerInputsAreExact(int m, int k, int n, int batch) {
    SplittableRandom r = new SplittableRandom(1000L + 31L * m + 17L * k + 7L * n + batch);
    double[] a = r.ints((long) batch * m * k, -8, 9).asDoubleStream().toArray();
    double[] b = r.ints((long) batch * k * n, -8, 9).asDoubleStream().toArray();
    double[] c0 = r.ints((long) batch * m * n, -100, 101).asDoubleStream().toArray();
    for (int variant = 0; variant < 3; variant++) {
      for (boolean acc : new boolean[] {false, true}) {
        String what = "variant " + variant + (acc ? " accumulate" : " overwrite");
        double[] want = exactProduct(variant, batch, m, k, n, a, b, c0, acc);
        for (KernelImpl impl : impls()) {
          double[] got = c0.clone();
          run(impl, variant, batch, a, b, got, m, k, n, acc);
          assertArrayEquals(want, got, 0.0, what + " (f64, " + impl.name() + ")");
          float[] gotF = toFloat(c0);
          run(impl, variant, batch, toFloat(a), toFloat(b), gotF, m, k, n, acc);
          assertArrayEquals(want, toDouble(gotF), 0.0, what + " (f32, " + impl.name() + ")");
        }
      }
    }
  }

  /** The product in exact integer arithmetic (all values here are small integers). */
  private static double[] exactProduct(int variant, int batch, int m, int k, int n, double[] a, double[] b,
      double[] c0, boolean acc) {
    double[] c = new double[c0.length];
    for (int e = 0; e < batch; e++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int at = e * m * n + i * n + j;
          long s = acc ? (long) c0[at] : 0;
          for (int p = 0; p < k; p++) {
            s += (long) aAt(a, variant, e, m, k, i, p) * (long) bAt(b, variant, e, k, n, p, j);
          }
          c[at] = s;
        }
      }
    }
    return c;
  }

  @Test
  void signedZerosComeOutAsTheFmaLoopGivesThem() {
    // C = -0 accumulating (-0)·b for b > 0 stays -0; overwriting starts from +0 and gives +0. Sizes
    // that leave partial tiles and a k that is not a multiple of three, so padding is exercised.
    int m = 5;
    int k = 7;
    int n = 19;
    double[] a = new double[m * k];
    java.util.Arrays.fill(a, -0.0);
    double[] b = new SplittableRandom(5).doubles((long) k * n, 0.5, 1).toArray();
    for (int variant = 0; variant < 3; variant++) {
      for (boolean acc : new boolean[] {false, true}) {
        double[] c0 = new double[m * n];
        java.util.Arrays.fill(c0, -0.0);
        double[] want = naive(variant, 1, m, k, n, a, b, c0, acc);
        for (KernelImpl impl : impls()) {
          double[] got = c0.clone();
          run(impl, variant, 1, a, b, got, m, k, n, acc);
          float[] gotF = toFloat(c0);
          run(impl, variant, 1, toFloat(a), toFloat(b), gotF, m, k, n, acc);
          for (int i = 0; i < want.length; i++) {
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), impl.name());
            assertEquals(Float.floatToRawIntBits((float) want[i]), Float.floatToRawIntBits(gotF[i]), impl.name());
          }
        }
      }
    }
  }

  @Test
  void theVectorApiIsUsedExactlyWhenItsModuleIsPresent() {
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    boolean forcedScalar = "scalar".equals(System.getProperty("adjoint.kernels"));
    String name = Kernels.implementation();
    if (present && !forcedScalar) {
      assertTrue(name.matches("vector-api \\(\\d+-bit\\)"), name);
    } else {
      assertEquals("scalar", name);
    }
  }

  @Test
  void repeatedCallsWithShrinkingAndGrowingShapesReuseTheScratchCorrectly() {
    // Packing buffers are sized by the largest call so far; a smaller call after a larger one must
    // not read stale entries.
    SplittableRandom r = new SplittableRandom(7);
    int[][] seq = {{90, 170, 130}, {4, 3, 2}, {33, 5, 310}, {5, 1, 1}, {8, 16, 8}, {200, 260, 50}, {9, 9, 9}};
    for (int[] s : seq) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      double[] a = r.doubles((long) m * k, -1, 1).toArray();
      double[] b = r.doubles((long) n * k, -1, 1).toArray();
      for (int variant = 0; variant < 3; variant++) {
        double[] want = naive(variant, 1, m, k, n, a, b, new double[m * n], false);
        float[] wantF = naiveFloat(variant, 1, m, k, n, toFloat(a), toFloat(b), new float[m * n], false,
            new double[m * n]);
        for (KernelImpl impl : impls()) {
          double[] c = new double[m * n];
          run(impl, variant, 1, a, b, c, m, k, n, false);
          assertArrayEquals(want, c, 0.0);
          float[] cf = new float[m * n];
          run(impl, variant, 1, toFloat(a), toFloat(b), cf, m, k, n, false);
          assertArrayEquals(wantF, cf, 0.0f);
        }
      }
    }
  }

  @Test
  void theGeneralEntryPointReadsStridedViewsAndLeavesTheRestOfCAlone() {
    // A = the transpose of a 7 x 5 block at offset 3 of a wider array; B = a slice; C = a 5 x 6 window
    // of an 8 x 9 array.
    SplittableRandom r = new SplittableRandom(3);
    int m = 5;
    int k = 7;
    int n = 6;
    double[] a = r.doubles(3 + 7 * 11, -1, 1).toArray();
    double[] b = r.doubles(2 + k * n, -1, 1).toArray();
    double[] c = r.doubles(8 * 9, -1, 1).toArray();
    double[] before = c.clone();
    MatMul.gemm(a, 3, 1, 11, b, 2, n, 1, c, 9 + 2, 9, m, k, n, true);
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 9; j++) {
        int at = i * 9 + j;
        boolean inside = i >= 1 && i < 1 + m && j >= 2 && j < 2 + n;
        if (!inside) {
          assertEquals(before[at], c[at], 0.0, "outside the view at " + i + ", " + j);
          continue;
        }
        double s = before[at];
        for (int p = 0; p < k; p++) {
          s = Math.fma(a[3 + (i - 1) + p * 11], b[2 + p * n + (j - 2)], s);
        }
        assertEquals(s, c[at], 0.0, "at " + i + ", " + j);
      }
    }
    float[] cf = toFloat(before);
    MatMul.gemm(toFloat(a), 3, 1, 11, toFloat(b), 2, n, 1, cf, 11, 9, m, k, n, false);
    assertEquals(toFloat(before)[0], cf[0], 0.0f);
  }

  static void run(KernelImpl impl, int variant, int batch, double[] a, double[] b, double[] c,
      int m, int k, int n, boolean acc) {
    for (int e = 0; e < batch; e++) {
      int ao = e * m * k;
      int bo = e * k * n;
      int co = e * m * n;
      switch (variant) {
        case 0 -> MatMul.run(impl, a, ao, k, 1, b, bo, n, 1, c, co, n, m, k, n, acc);
        case 1 -> MatMul.run(impl, a, ao, 1, m, b, bo, n, 1, c, co, n, m, k, n, acc);
        default -> MatMul.run(impl, a, ao, k, 1, b, bo, 1, k, c, co, n, m, k, n, acc);
      }
    }
  }

  static void run(KernelImpl impl, int variant, int batch, float[] a, float[] b, float[] c,
      int m, int k, int n, boolean acc) {
    for (int e = 0; e < batch; e++) {
      int ao = e * m * k;
      int bo = e * k * n;
      int co = e * m * n;
      switch (variant) {
        case 0 -> MatMul.run(impl, a, ao, k, 1, b, bo, n, 1, c, co, n, m, k, n, acc);
        case 1 -> MatMul.run(impl, a, ao, 1, m, b, bo, n, 1, c, co, n, m, k, n, acc);
        default -> MatMul.run(impl, a, ao, k, 1, b, bo, 1, k, c, co, n, m, k, n, acc);
      }
    }
  }

  private static void api(int variant, int batch, double[] a, double[] b, double[] c,
      int m, int k, int n, boolean acc) {
    if (batch == 1) {
      switch (variant) {
        case 0 -> MatMul.matmul(a, b, c, m, k, n, acc);
        case 1 -> MatMul.matmulTransA(a, b, c, m, k, n, acc);
        default -> MatMul.matmulTransB(a, b, c, m, k, n, acc);
      }
    } else {
      switch (variant) {
        case 0 -> MatMul.batchedMatmul(a, b, c, batch, m, k, n, acc);
        case 1 -> MatMul.batchedMatmulTransA(a, b, c, batch, m, k, n, acc);
        default -> MatMul.batchedMatmulTransB(a, b, c, batch, m, k, n, acc);
      }
    }
  }

  private static void api(int variant, int batch, float[] a, float[] b, float[] c,
      int m, int k, int n, boolean acc) {
    if (batch == 1) {
      switch (variant) {
        case 0 -> MatMul.matmul(a, b, c, m, k, n, acc);
        case 1 -> MatMul.matmulTransA(a, b, c, m, k, n, acc);
        default -> MatMul.matmulTransB(a, b, c, m, k, n, acc);
      }
    } else {
      switch (variant) {
        case 0 -> MatMul.batchedMatmul(a, b, c, batch, m, k, n, acc);
        case 1 -> MatMul.batchedMatmulTransA(a, b, c, batch, m, k, n, acc);
        default -> MatMul.batchedMatmulTransB(a, b, c, batch, m, k, n, acc);
      }
    }
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
