package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Reductions over a set of axes: {@code sum}, {@code mean}, {@code max} and {@code logsumexp}.
 *
 * <p>{@code axes} lists distinct, non-negative axes in any order; an empty list reduces nothing
 * (the output is a copy), all axes reduce to a scalar. The output {@code y} has the reduced shape,
 * whose layout is the same with or without keepdims, so keepdims is the caller's business only.
 * Outputs are overwritten.
 *
 * <p>When the reduced axes are one contiguous run (a single axis, all axes, the trailing axes…) the
 * input is viewed as {@code [outer, reduced, inner]} and reduced with contiguous inner loops; any
 * other set of axes takes a general path that maps indices arithmetically. Neither allocates.
 * Float sums accumulate in double where one output gathers a contiguous run, in float otherwise.
 * Backward rules are in {@link ReductionGrads}.
 */
public final class Reductions {
  private Reductions() {}

  // twin: double
  /** {@code y = sum(x, axes)}. */
  public static void sum(float[] x, int[] shape, int[] axes, float[] y) {
    long mask = Axes.checkReduction("sum", x.length, shape, axes, y.length);
    int inner = Axes.runInner(shape, mask);
    int count = Axes.reducedCount(shape, mask);
    if (inner == 1) {
      for (int o = 0; o < y.length; o++) {
        double s = 0;
        for (int q = 0, base = o * count; q < count; q++) {
          s += x[base + q];
        }
        y[o] = (float) s;
      }
    } else if (inner > 1) {
      Arrays.fill(y, 0);
      for (int o = 0; o < y.length / inner; o++) {
        for (int q = 0; q < count; q++) {
          int xb = (o * count + q) * inner;
          int yb = o * inner;
          for (int i = 0; i < inner; i++) {
            y[yb + i] += x[xb + i];
          }
        }
      }
    } else {
      for (int j = 0; j < y.length; j++) {
        int base = Axes.keptOffset(j, shape, mask);
        double s = 0;
        for (int q = 0; q < count; q++) {
          s += x[base + Axes.reducedOffset(q, shape, mask)];
        }
        y[j] = (float) s;
      }
    }
  }

  /** {@code y = mean(x, axes)}: the sum divided by the number of reduced elements. */
  public static void mean(float[] x, int[] shape, int[] axes, float[] y) {
    sum(x, shape, axes, y);
    int count = Axes.reducedCount(shape, Axes.mask(axes, shape.length));
    for (int j = 0; j < y.length; j++) {
      y[j] /= count;
    }
  }

  /** {@code y = max(x, axes)}; NaN if a group holds NaN, -infinity for an empty group. */
  public static void max(float[] x, int[] shape, int[] axes, float[] y) {
    long mask = Axes.checkReduction("max", x.length, shape, axes, y.length);
    int inner = Axes.runInner(shape, mask);
    int count = Axes.reducedCount(shape, mask);
    Arrays.fill(y, Float.NEGATIVE_INFINITY);
    if (inner > 0) {
      for (int o = 0; o < y.length / inner; o++) {
        for (int q = 0; q < count; q++) {
          int xb = (o * count + q) * inner;
          int yb = o * inner;
          for (int i = 0; i < inner; i++) {
            y[yb + i] = Math.max(y[yb + i], x[xb + i]);
          }
        }
      }
    } else {
      for (int j = 0; j < y.length; j++) {
        int base = Axes.keptOffset(j, shape, mask);
        for (int q = 0; q < count; q++) {
          y[j] = Math.max(y[j], x[base + Axes.reducedOffset(q, shape, mask)]);
        }
      }
    }
  }

  /**
   * {@code y = log(sum(exp(x), axes))}, computed as {@code m + log(sum(exp(x - m)))} with {@code m}
   * the group's maximum, so it neither overflows nor underflows; a group whose maximum is infinite
   * gives that infinity.
   */
  public static void logsumexp(float[] x, int[] shape, int[] axes, float[] y) {
    long mask = Axes.checkReduction("logsumexp", x.length, shape, axes, y.length);
    int inner = Axes.runInner(shape, mask);
    int count = Axes.reducedCount(shape, mask);
    int span = count * inner;
    for (int j = 0; j < y.length; j++) {
      int base = Axes.groupBase(j, shape, mask, inner, span);
      double m = Double.NEGATIVE_INFINITY;
      for (int q = 0; q < count; q++) {
        m = Math.max(m, x[base + Axes.groupOffset(q, shape, mask, inner)]);
      }
      if (Double.isInfinite(m)) {
        y[j] = (float) m;
        continue;
      }
      double s = 0;
      for (int q = 0; q < count; q++) {
        s += FastMath.exp(x[base + Axes.groupOffset(q, shape, mask, inner)] - m);
      }
      y[j] = (float) (m + Math.log(s));
    }
  }
  // end twin

  // ---- i32 (labels and counts): plain index mapping, exact integer arithmetic ----

  /** Sum of an i32 tensor over {@code axes}; overflow throws {@link ArithmeticException}. */
  public static void sum(int[] x, int[] shape, int[] axes, int[] y) {
    reduceInts("sum", x, shape, axes, y, true);
  }

  /** Maximum of an i32 tensor over {@code axes}. */
  public static void max(int[] x, int[] shape, int[] axes, int[] y) {
    reduceInts("max", x, shape, axes, y, false);
  }

  private static void reduceInts(String op, int[] x, int[] shape, int[] axes, int[] y, boolean sum) {
    long mask = Axes.checkReduction(op, x.length, shape, axes, y.length);
    Arrays.fill(y, sum ? 0 : Integer.MIN_VALUE);
    int[] index = new int[shape.length];
    for (int i = 0; i < x.length; i++) {
      int o = 0;
      for (int d = 0; d < shape.length; d++) {
        if ((mask & (1L << d)) == 0) {
          o = o * shape[d] + index[d];
        }
      }
      y[o] = sum ? Math.addExact(y[o], x[i]) : Math.max(y[o], x[i]);
      for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
        index[d] = 0;
      }
    }
  }
}
