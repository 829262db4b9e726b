package dev.adjoint.runtime;

/**
 * Variance and standard deviation over a set of axes, as {@code torch.var} and {@code torch.std}:
 * {@code sum((x - mean)^2) / (n - correction)} over each reduction group of {@code n} elements
 * ({@code correction = 1} is the unbiased estimate, 0 the population variance). Two passes per group
 * (the mean, then the squared deviations), accumulated in double, so a large common offset does not
 * cancel the result away. {@code axes} and the output layout are those of {@link Reductions}; a
 * divisor {@code n - correction <= 0} gives infinity or NaN, as in PyTorch. Allocation-free.
 */
public final class Moments {
  private Moments() {}

  // twin: double
  /** {@code y = var(x, axes, correction)}. */
  public static void var(float[] x, int[] shape, int[] axes, double correction, float[] y) {
    moments("var", x, shape, axes, correction, false, y);
  }

  /** {@code y = std(x, axes, correction)}, the square root of the variance. */
  public static void std(float[] x, int[] shape, int[] axes, double correction, float[] y) {
    moments("std", x, shape, axes, correction, true, y);
  }

  private static void moments(String op, float[] x, int[] shape, int[] axes, double correction,
      boolean sqrt, float[] y) {
    long mask = Axes.checkReduction(op, x.length, shape, axes, y.length);
    int inner = Axes.runInner(shape, mask);
    int count = Axes.reducedCount(shape, mask);
    int span = count * inner;
    for (int j = 0; j < y.length; j++) {
      int base = Axes.groupBase(j, shape, mask, inner, span);
      double s = 0;
      for (int q = 0; q < count; q++) {
        s += x[base + Axes.groupOffset(q, shape, mask, inner)];
      }
      double mean = s / count;
      double ss = 0;
      for (int q = 0; q < count; q++) {
        double d = x[base + Axes.groupOffset(q, shape, mask, inner)] - mean;
        ss += d * d;
      }
      double v = ss / (count - correction);
      y[j] = (float) (sqrt ? Math.sqrt(v) : v);
    }
  }
  // end twin
}
