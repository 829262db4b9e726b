package dev.adjoint.runtime;

/**
 * Softmax and log-softmax along one axis, with their backward rules.
 *
 * <p>The tensor is viewed as {@code [outer, n, inner]} around {@code axis} (non-negative). Both
 * forward rules subtract the maximum of each slice before exponentiating, so they are exact at
 * logits of ±1000. The exponentials are {@link FastMath#exp} in the element type (vectorized along
 * a contiguous last axis); sums are accumulated in double. Outputs are overwritten.
 *
 * <p>A slice whose maximum is not finite (all {@code -inf}, or holding {@code +inf} or NaN) gives
 * NaN, as in PyTorch.
 */
public final class Softmax {
  private Softmax() {}

  // twin: double
  /** {@code y = exp(x - max) / sum(exp(x - max))} along {@code axis}. */
  public static void softmax(float[] x, int[] shape, int axis, float[] y) {
    check("softmax", x.length, shape, axis, y.length);
    int n = shape[axis];
    int inner = Shapes.suffixProduct(shape, axis + 1);
    int outer = Shapes.product(shape, 0, axis);
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * n * inner + i;
        double scale = 1 / expShifted(x, y, base, n, inner, max(x, base, n, inner));
        for (int r = 0; r < n; r++) {
          y[base + r * inner] = (float) (y[base + r * inner] * scale);
        }
      }
    }
  }

  /** {@code y = x - max - log(sum(exp(x - max)))} along {@code axis}. */
  public static void logSoftmax(float[] x, int[] shape, int axis, float[] y) {
    check("log_softmax", x.length, shape, axis, y.length);
    int n = shape[axis];
    int inner = Shapes.suffixProduct(shape, axis + 1);
    int outer = Shapes.product(shape, 0, axis);
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * n * inner + i;
        float m = max(x, base, n, inner);
        double shift = m + Math.log(expShifted(x, y, base, n, inner, m));
        for (int r = 0; r < n; r++) {
          y[base + r * inner] = (float) (x[base + r * inner] - shift);
        }
      }
    }
  }

  /** The maximum of {@code x[base + r·inner]} for {@code r < n}; NaN if one is NaN. */
  static float max(float[] x, int base, int n, int inner) {
    float m = Float.NEGATIVE_INFINITY;
    for (int r = 0; r < n; r++) {
      m = Math.max(m, x[base + r * inner]);
    }
    return m;
  }

  /**
   * {@code y[base + r·inner] = exp(x[base + r·inner] - m)} for {@code r < n}, in the element type
   * ({@link FastMath#exp}; the kernels' vectorized form where the slice is contiguous, same bits),
   * and their sum accumulated in double. {@code y} may be {@code x}.
   */
  static double expShifted(float[] x, float[] y, int base, int n, int inner, float m) {
    double s = 0;
    if (inner == 1) {
      for (int r = 0; r < n; r++) {
        y[base + r] = x[base + r] - m;
      }
      Kernels.impl().exp(y, base, y, base, n);
      for (int r = 0; r < n; r++) {
        s += y[base + r];
      }
    } else {
      for (int r = 0; r < n; r++) {
        float e = FastMath.exp(x[base + r * inner] - m);
        y[base + r * inner] = e;
        s += e;
      }
    }
    return s;
  }

  /**
   * Backward of softmax from its output: {@code dx = y * (dy - sum(dy * y))} along {@code axis}.
   *
   * @param y the softmax output of the forward pass
   */
  public static void softmaxBackward(float[] y, float[] dy, int[] shape, int axis, float[] dx) {
    check("softmax backward", y.length, shape, axis, dx.length);
    Shapes.checkLength("softmax backward", "dy", dy.length, y.length);
    int n = shape[axis];
    int inner = Shapes.suffixProduct(shape, axis + 1);
    int outer = Shapes.product(shape, 0, axis);
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * n * inner + i;
        double dot = 0;
        for (int r = 0; r < n; r++) {
          double yk = y[base + r * inner];
          dot += yk * dy[base + r * inner];
        }
        for (int r = 0; r < n; r++) {
          int k = base + r * inner;
          dx[k] = (float) (y[k] * (dy[k] - dot));
        }
      }
    }
  }

  /**
   * Backward of log-softmax from its output: {@code dx = dy - exp(y) * sum(dy)} along {@code axis}
   * ({@code exp(y)} is the softmax of the input).
   *
   * @param y the log-softmax output of the forward pass
   */
  public static void logSoftmaxBackward(float[] y, float[] dy, int[] shape, int axis, float[] dx) {
    check("log_softmax backward", y.length, shape, axis, dx.length);
    Shapes.checkLength("log_softmax backward", "dy", dy.length, y.length);
    int n = shape[axis];
    int inner = Shapes.suffixProduct(shape, axis + 1);
    int outer = Shapes.product(shape, 0, axis);
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * n * inner + i;
        double total = 0;
        for (int r = 0; r < n; r++) {
          total += dy[base + r * inner];
        }
        for (int r = 0; r < n; r++) {
          int k = base + r * inner;
          dx[k] = (float) (dy[k] - FastMath.exp(y[k]) * total);
        }
      }
    }
  }
  // end twin

  private static void check(String op, int xLength, int[] shape, int axis, int yLength) {
    Shapes.checkAxis(axis, shape.length);
    Shapes.checkLength(op, "input", xLength, shape);
    Shapes.checkLength(op, "output", yLength, xLength);
  }
}
