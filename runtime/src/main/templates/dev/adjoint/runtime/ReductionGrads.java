package dev.adjoint.runtime;

/**
 * Backward rules of {@link Reductions}: given the upstream gradient {@code dy} (reduced shape),
 * they write {@code dx} (input shape). {@code dx} is overwritten.
 *
 * <p>The gradient of {@code max} is shared evenly among ties, the way PyTorch's {@code amax} (and
 * {@code max} without {@code dim}) shares it: each element equal to its group's maximum receives
 * {@code dy / count}, where {@code count} is how many elements of the group equal the maximum.
 */
public final class ReductionGrads {
  private ReductionGrads() {}

  // twin: double
  /** Backward of {@code sum}: {@code dx = dy} broadcast over the reduced axes. */
  public static void sumBackward(float[] dy, int[] shape, int[] axes, float[] dx) {
    spread(dy, shape, axes, dx, 1);
  }

  /** Backward of {@code mean}: {@code dx = dy / count} broadcast over the reduced axes. */
  public static void meanBackward(float[] dy, int[] shape, int[] axes, float[] dx) {
    spread(dy, shape, axes, dx, Axes.reducedCount(shape, Axes.mask(axes, shape.length)));
  }

  /**
   * Backward of {@code y = max(x, axes)}: {@code dx = dy / count} where {@code x} equals its group's
   * maximum {@code y} (count = number of such ties in the group), 0 elsewhere.
   */
  public static void maxBackward(float[] x, int[] shape, int[] axes, float[] y, float[] dy, float[] dx) {
    long mask = check("max backward", x.length, shape, axes, y.length, dy.length, dx.length);
    int inner = Axes.runInner(shape, mask);
    int count = Axes.reducedCount(shape, mask);
    int span = count * inner;
    for (int j = 0; j < y.length; j++) {
      int base = Axes.groupBase(j, shape, mask, inner, span);
      int ties = 0;
      for (int q = 0; q < count; q++) {
        if (x[base + Axes.groupOffset(q, shape, mask, inner)] == y[j]) {
          ties++;
        }
      }
      float share = ties == 0 ? 0 : dy[j] / ties;
      for (int q = 0; q < count; q++) {
        int s = base + Axes.groupOffset(q, shape, mask, inner);
        dx[s] = x[s] == y[j] ? share : 0;
      }
    }
  }

  /** Backward of {@code y = logsumexp(x, axes)}: {@code dx = dy * exp(x - y)}, the softmax of the group. */
  public static void logsumexpBackward(float[] x, int[] shape, int[] axes, float[] y, float[] dy, float[] dx) {
    long mask = check("logsumexp backward", x.length, shape, axes, y.length, dy.length, dx.length);
    int inner = Axes.runInner(shape, mask);
    int count = Axes.reducedCount(shape, mask);
    int span = count * inner;
    for (int j = 0; j < y.length; j++) {
      int base = Axes.groupBase(j, shape, mask, inner, span);
      for (int q = 0; q < count; q++) {
        int s = base + Axes.groupOffset(q, shape, mask, inner);
        double xs = x[s];
        dx[s] = (float) (dy[j] * FastMath.exp(xs - y[j]));
      }
    }
  }

  /** Writes {@code dx = dy / divisor} over each reduction group. */
  private static void spread(float[] dy, int[] shape, int[] axes, float[] dx, int divisor) {
    long mask = Axes.checkReduction("reduction backward", dx.length, shape, axes, dy.length);
    int inner = Axes.runInner(shape, mask);
    int count = Axes.reducedCount(shape, mask);
    int span = count * inner;
    for (int j = 0; j < dy.length; j++) {
      int base = Axes.groupBase(j, shape, mask, inner, span);
      float g = divisor == 1 ? dy[j] : dy[j] / divisor;
      for (int q = 0; q < count; q++) {
        dx[base + Axes.groupOffset(q, shape, mask, inner)] = g;
      }
    }
  }
  // end twin

  private static long check(String op, int xLength, int[] shape, int[] axes,
      int yLength, int dyLength, int dxLength) {
    long mask = Axes.checkReduction(op, xLength, shape, axes, yLength);
    Shapes.checkLength(op, "dy", dyLength, yLength);
    Shapes.checkLength(op, "dx", dxLength, xLength);
    return mask;
  }
}
