package dev.adjoint.runtime;

import static dev.adjoint.runtime.TestSupport.assertClose;
import static dev.adjoint.runtime.TestSupport.randomDoubles;
import static dev.adjoint.runtime.TestSupport.toFloat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatMulTest {

  static Stream<Arguments> sizes() {
    Random r = new Random(1);
    Stream<Arguments> fixed = Stream.of(
        Arguments.of(1, 1, 1, 1), Arguments.of(1, 5, 1, 2), Arguments.of(4, 1, 3, 1),
        Arguments.of(3, 0, 2, 2), Arguments.of(0, 3, 2, 1));
    Stream<Arguments> random = IntStream.range(0, 20).mapToObj(
        i -> Arguments.of(1 + r.nextInt(9), 1 + r.nextInt(9), 1 + r.nextInt(9), 1 + r.nextInt(3)));
    return Stream.concat(fixed, random);
  }

  /** Naive C[e, i, j] = sum_p A[e, i, p] B[e, p, j] with A and B given by index functions. */
  private static double[] reference(int batch, int m, int k, int n, double[] a, boolean transA,
      double[] b, boolean transB) {
    double[] c = new double[batch * m * n];
    for (int e = 0; e < batch; e++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            double av = transA ? a[e * k * m + p * m + i] : a[e * m * k + i * k + p];
            double bv = transB ? b[e * n * k + j * k + p] : b[e * k * n + p * n + j];
            s += av * bv;
          }
          c[e * m * n + i * n + j] = s;
        }
      }
    }
    return c;
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void allVariantsMatchTheNaiveProduct(int m, int k, int n, int batch) {
    Random r = new Random(m * 1000 + k * 100 + n * 10 + batch);
    double[] a = randomDoubles(r, batch * m * k);
    double[] b = randomDoubles(r, batch * k * n);
    double[] c0 = randomDoubles(r, batch * m * n);
    for (int variant = 0; variant < 3; variant++) {
      boolean ta = variant == 1;
      boolean tb = variant == 2;
      double[] expected = reference(batch, m, k, n, a, ta, b, tb);
      for (boolean accumulate : new boolean[] {false, true}) {
        double[] want = expected.clone();
        if (accumulate) {
          for (int i = 0; i < want.length; i++) {
            want[i] += c0[i];
          }
        }
        double[] cd = c0.clone();
        float[] cf = toFloat(c0);
        run(variant, batch, a, b, cd, m, k, n, accumulate);
        run(variant, batch, toFloat(a), toFloat(b), cf, m, k, n, accumulate);
        assertClose(want, cd, 1e-12);
        assertClose(want, cf, 1e-5);
      }
    }
  }

  private static void run(int variant, int batch, double[] a, double[] b, double[] c,
      int m, int k, int n, boolean acc) {
    if (batch == 1 && variant == 0) {
      MatMul.matmul(a, b, c, m, k, n, acc);
    } else if (batch == 1 && variant == 1) {
      MatMul.matmulTransA(a, b, c, m, k, n, acc);
    } else if (batch == 1) {
      MatMul.matmulTransB(a, b, c, m, k, n, acc);
    } else if (variant == 0) {
      MatMul.batchedMatmul(a, b, c, batch, m, k, n, acc);
    } else if (variant == 1) {
      MatMul.batchedMatmulTransA(a, b, c, batch, m, k, n, acc);
    } else {
      MatMul.batchedMatmulTransB(a, b, c, batch, m, k, n, acc);
    }
  }

  private static void run(int variant, int batch, float[] a, float[] b, float[] c,
      int m, int k, int n, boolean acc) {
    if (batch == 1 && variant == 0) {
      MatMul.matmul(a, b, c, m, k, n, acc);
    } else if (batch == 1 && variant == 1) {
      MatMul.matmulTransA(a, b, c, m, k, n, acc);
    } else if (batch == 1) {
      MatMul.matmulTransB(a, b, c, m, k, n, acc);
    } else if (variant == 0) {
      MatMul.batchedMatmul(a, b, c, batch, m, k, n, acc);
    } else if (variant == 1) {
      MatMul.batchedMatmulTransA(a, b, c, batch, m, k, n, acc);
    } else {
      MatMul.batchedMatmulTransB(a, b, c, batch, m, k, n, acc);
    }
  }

  @Test
  void denseLayerBackwardAsDocumented() {
    // y[m, n] = x[m, k] @ W[k, n]; check dW = x^T dy and dx = dy W^T by finite differences.
    int m = 3;
    int k = 4;
    int n = 2;
    Random r = new Random(5);
    double[] x = randomDoubles(r, m * k);
    double[] w = randomDoubles(r, k * n);
    double[] dy = randomDoubles(r, m * n);
    double[] dw = new double[k * n];
    double[] dx = new double[m * k];
    MatMul.matmulTransA(x, dy, dw, k, m, n, false);
    MatMul.matmulTransB(dy, w, dx, m, n, k, false);
    TestSupport.checkGradient(v -> {
      double[] y = new double[m * n];
      MatMul.matmul(x, v, y, m, k, n, false);
      return y;
    }, w.clone(), dy, dw, 1e-7);
    TestSupport.checkGradient(v -> {
      double[] y = new double[m * n];
      MatMul.matmul(v, w, y, m, k, n, false);
      return y;
    }, x.clone(), dy, dx, 1e-7);
  }

  @Test
  void vectorCases() {
    double[] u = {1, 2, 3};
    double[] v = {4, 5, 6};
    double[] dot = new double[1];
    MatMul.matmul(u, v, dot, 1, 3, 1, false);
    assertEquals(32, dot[0]);
    double[] w = {1, 0, 0, 1, 1, 1}; // [3, 2]
    double[] out = new double[2];
    MatMul.matmul(u, w, out, 1, 3, 2, false);
    assertArrayEquals(new double[] {4, 5}, out);
  }

  @Test
  void wrongLengthsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MatMul.matmul(new float[6], new float[6], new float[5], 2, 3, 2, false));
    assertEquals("matmul: C has 5 elements, expected 4", e.getMessage());
  }
}
