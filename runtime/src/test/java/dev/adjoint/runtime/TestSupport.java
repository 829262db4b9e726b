package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

/** Naive index arithmetic, random data, tolerant comparison and finite differences for the tests. */
final class TestSupport {
  private TestSupport() {}

  static int[] randomShape(Random r, int rank, int maxDim) {
    int[] shape = new int[rank];
    for (int d = 0; d < rank; d++) {
      shape[d] = 1 + r.nextInt(maxDim);
    }
    return shape;
  }

  static double[] randomDoubles(Random r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 4 - 2;
    }
    return x;
  }

  static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The multi-index of a flat row-major index. */
  static int[] unravel(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  /** The flat row-major index of a multi-index. */
  static int ravel(int[] idx, int[] shape) {
    int flat = 0;
    for (int d = 0; d < shape.length; d++) {
      flat = flat * shape[d] + idx[d];
    }
    return flat;
  }

  /** A random subset of the axes of a rank, in random order. */
  static int[] randomAxes(Random r, int rank) {
    int[] all = new int[rank];
    int n = 0;
    for (int d = 0; d < rank; d++) {
      if (r.nextBoolean()) {
        all[n++] = d;
      }
    }
    int[] axes = Arrays.copyOf(all, n);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = axes[i];
      axes[i] = axes[j];
      axes[j] = t;
    }
    return axes;
  }

  static void assertClose(double[] expected, double[] actual, double tol) {
    assertEquals(expected.length, actual.length, "length");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], tol, "element " + i);
    }
  }

  static void assertClose(double[] expected, float[] actual, double tol) {
    assertClose(expected, toDouble(actual), tol);
  }

  /** |e - a| <= tol * max(1, |e|); infinities and NaN must match exactly. */
  static void assertClose(double expected, double actual, double tol, String what) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      assertEquals(expected, actual, what);
      return;
    }
    if (!(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)))) {
      fail(what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Central differences of a scalar function, step {@code h}. */
  static double[] numericGradient(Function<double[], Double> f, double[] x, double h) {
    double[] g = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double saved = x[i];
      x[i] = saved + h;
      double up = f.apply(x);
      x[i] = saved - h;
      double down = f.apply(x);
      x[i] = saved;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  }

  /**
   * Checks a backward kernel against central differences of {@code L(x) = <dy, f(x)>}.
   *
   * @param forward computes f(x)
   * @param analytic the backward kernel's dx for this x and dy
   */
  static void checkGradient(Function<double[], double[]> forward, double[] x, double[] dy,
      double[] analytic, double tol) {
    double[] numeric = numericGradient(v -> dot(dy, forward.apply(v)), x, 1e-6);
    assertClose(numeric, analytic, tol);
  }
}
