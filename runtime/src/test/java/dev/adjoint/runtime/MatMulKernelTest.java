package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.bench.MatMulReference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tiled kernels against naive triple loops, over many odd shapes: sizes 0 and 1, primes, and sizes
 * one either side of the tile (2 rows of C, 4 rows of B), plain, transposed and batched, overwrite and
 * accumulate. Checks, per case:
 *
 * <ul>
 *   <li>f64 and f32 results equal, bit for bit, a naive loop that adds in the documented order;
 *   <li>they equal, bit for bit, the kernels as they were before tiling ({@link MatMulReference});
 *   <li>f32 is within a forward-error bound of the f64 naive product;
 *   <li>with small integer inputs (exact in both types) f32 and f64 equal the exact product.
 * </ul>
 */
class MatMulKernelTest {

  private static final int[] DIMS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 17, 31, 33};

  static Stream<Arguments> shapes() {
    SplittableRandom r = new SplittableRandom(20261123);
    List<Arguments> out = new ArrayList<>();
    int[][] fixed = {
        {1, 1, 1, 1}, {1, 1, 1, 3}, {0, 3, 4, 1}, {3, 0, 4, 1}, {3, 4, 0, 1}, {2, 3, 4, 0},
        {2, 4, 4, 1}, {3, 5, 9, 1}, {1, 64, 1, 1}, {5, 3, 1, 2}, {36, 9, 32, 2}, {16, 29, 11, 3},
    };
    for (int[] f : fixed) {
      out.add(Arguments.of(f[0], f[1], f[2], f[3]));
    }
    for (int i = 0; i < 48; i++) {
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

  /** Naive product in double, in the documented order. */
  private static double[] naive(int variant, int batch, int m, int k, int n, double[] a, double[] b,
      double[] c0, boolean acc) {
    double[] c = c0.clone();
    for (int e = 0; e < batch; e++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int at = e * m * n + i * n + j;
          boolean sumFirst = variant == 2;
          double s = acc && !sumFirst ? c[at] : 0;
          for (int p = 0; p < k; p++) {
            s += aAt(a, variant, e, m, k, i, p) * bAt(b, variant, e, k, n, p, j);
          }
          c[at] = acc && sumFirst ? c[at] + s : s;
        }
      }
    }
    return c;
  }

  /** Naive product in float, in the documented order; also returns Σ|a·b| + |c0| per entry in bound. */
  private static float[] naiveFloat(int variant, int batch, int m, int k, int n, float[] a, float[] b,
      float[] c0, boolean acc, double[] bound) {
    double[] ad = toDouble(a);
    double[] bd = toDouble(b);
    float[] c = c0.clone();
    for (int e = 0; e < batch; e++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int at = e * m * n + i * n + j;
          boolean sumFirst = variant == 2;
          float s = acc && !sumFirst ? c[at] : 0;
          double mag = acc ? Math.abs(c[at]) : 0;
          for (int p = 0; p < k; p++) {
            float x = (float) aAt(ad, variant, e, m, k, i, p);
            float y = (float) bAt(bd, variant, e, k, n, p, j);
            s += x * y;
            mag += Math.abs((double) x * y);
          }
          c[at] = acc && sumFirst ? c[at] + s : s;
          bound[at] = mag;
        }
      }
    }
    return c;
  }

  @ParameterizedTest(name = "m={0} k={1} n={2} batch={3}")
  @MethodSource("shapes")
  void randomInputsMatchTheNaiveLoopsBitForBit(int m, int k, int n, int batch) {
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
        double[] got = c0.clone();
        run(variant, batch, a, b, got, m, k, n, acc, false);
        assertArrayEquals(want, got, 0.0, what + " (f64, naive loop)");
        double[] old = c0.clone();
        run(variant, batch, a, b, old, m, k, n, acc, true);
        assertArrayEquals(old, got, 0.0, what + " (f64, previous kernel)");

        double[] bound = new double[want.length];
        float[] wantF = naiveFloat(variant, batch, m, k, n, af, bf, c0f, acc, bound);
        float[] gotF = c0f.clone();
        run(variant, batch, af, bf, gotF, m, k, n, acc, false);
        assertArrayEquals(wantF, gotF, 0.0f, what + " (f32, naive loop)");
        float[] oldF = c0f.clone();
        run(variant, batch, af, bf, oldF, m, k, n, acc, true);
        assertArrayEquals(oldF, gotF, 0.0f, what + " (f32, previous kernel)");

        // f32 against the f64 product of the same (float) inputs: |error| <= (k + 1)·u·Σ|terms|.
        double[] exact = naive(variant, batch, m, k, n, toDouble(af), toDouble(bf), toDouble(c0f), acc);
        double u = Math.ulp(1.0f) / 2;
        for (int i = 0; i < exact.length; i++) {
          double tol = 1.01 * (k + 2) * u * bound[i] + Float.MIN_NORMAL;
          assertTrue(Math.abs(gotF[i] - exact[i]) <= tol,
              what + " (f32 vs f64) at " + i + ": " + gotF[i] + " vs " + exact[i] + ", tolerance " + tol);
        }
      }
    }
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
        double[] got = c0.clone();
        run(variant, batch, a, b, got, m, k, n, acc, false);
        assertArrayEquals(want, got, 0.0, what + " (f64)");
        float[] gotF = toFloat(c0);
        run(variant, batch, toFloat(a), toFloat(b), gotF, m, k, n, acc, false);
        assertArrayEquals(want, toDouble(gotF), 0.0, what + " (f32)");
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
  void repeatedCallsWithShrinkingAndGrowingShapesReuseTheScratchCorrectly() {
    // A·Bᵀ packs into per-thread buffers sized by the largest call so far; a smaller call after a
    // larger one must not read stale entries.
    SplittableRandom r = new SplittableRandom(7);
    int[][] seq = {{9, 17, 13}, {4, 3, 2}, {33, 5, 31}, {5, 1, 1}, {8, 16, 8}};
    for (int[] s : seq) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      double[] a = r.doubles((long) m * k, -1, 1).toArray();
      double[] b = r.doubles((long) n * k, -1, 1).toArray();
      double[] c = new double[m * n];
      MatMul.matmulTransB(a, b, c, m, k, n, false);
      assertArrayEquals(naive(2, 1, m, k, n, a, b, new double[m * n], false), c, 0.0);
      float[] cf = new float[m * n];
      MatMul.matmulTransB(toFloat(a), toFloat(b), cf, m, k, n, false);
      float[] want = naiveFloat(2, 1, m, k, n, toFloat(a), toFloat(b), new float[m * n], false,
          new double[m * n]);
      assertArrayEquals(want, cf, 0.0f);
    }
  }

  private static void run(int variant, int batch, double[] a, double[] b, double[] c,
      int m, int k, int n, boolean acc, boolean old) {
    if (old) {
      switch (variant) {
        case 0 -> MatMulReference.batchedMatmul(a, b, c, batch, m, k, n, acc);
        case 1 -> MatMulReference.batchedMatmulTransA(a, b, c, batch, m, k, n, acc);
        default -> MatMulReference.batchedMatmulTransB(a, b, c, batch, m, k, n, acc);
      }
    } else if (batch == 1) {
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

  private static void run(int variant, int batch, float[] a, float[] b, float[] c,
      int m, int k, int n, boolean acc, boolean old) {
    if (old) {
      switch (variant) {
        case 0 -> MatMulReference.batchedMatmul(a, b, c, batch, m, k, n, acc);
        case 1 -> MatMulReference.batchedMatmulTransA(a, b, c, batch, m, k, n, acc);
        default -> MatMulReference.batchedMatmulTransB(a, b, c, batch, m, k, n, acc);
      }
    } else if (batch == 1) {
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

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
