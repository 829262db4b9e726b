package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Max and average pooling of images {@code x [N, C, H, W]} into {@code y [N, C, H', W']}, as PyTorch's
 * {@code max_pool2d} and {@code avg_pool2d} (defaults: {@code ceil_mode=False}, {@code count_include_pad=True}),
 * and their gradients. {@code window} is {@code {kh, kw, sh, sw, ph, pw}}: the window's size, stride and padding,
 * height first; {@code H' = (H + 2·ph - kh) / sh + 1} (W' likewise), and the padding is at most half the window,
 * so every window holds some of the input.
 *
 * <ul>
 *   <li>max: the first maximal element of the window in row-major window order (padding never wins; a NaN is the
 *       maximum, the last NaN of the window), and the gradient goes to that element alone, summed where windows
 *       overlap;
 *   <li>average: the sum of the window's input elements divided by {@code kh·kw} (the padding counts as zeros), and
 *       the gradient spreads each {@code dy / (kh·kw)} over the window.
 * </ul>
 * Outputs are overwritten and must not share storage with the inputs.
 */
public final class Pool2d {
  private Pool2d() {}

  // twin: double
  /**
   * {@code y = max_pool2d(x)}. The maximum of a window that holds both zeros is {@code +0} ({@link Math#max}), whatever
   * their order; otherwise it is the element {@link #maxBackward} gives the gradient to.
   */
  public static void maxForward(float[] x, int[] xShape, int[] window, float[] y) {
    int oh = check("max_pool2d", x.length, xShape, window, y.length);
    if (isTwoByTwo(xShape, window)) {
      int planes = xShape[0] * xShape[1];
      int height = xShape[2];
      int width = xShape[3];
      KernelImpl impl = Kernels.impl();
      if (height % 2 == 0) {
        impl.maxPool2x2(x, 0, y, 0, planes * oh, width);
      } else {
        for (int p = 0; p < planes; p++) {
          impl.maxPool2x2(x, p * height * width, y, p * oh * (width / 2), oh, width);
        }
      }
      return;
    }
    maxValues(x, xShape, window, oh, y);
  }

  /**
   * The maxima of {@code n} 2×2 windows side by side, the top row of the first from {@code x[t]}, its bottom row
   * from {@code x[u]}, into {@code y[yi]}: the scalar form of {@link KernelImpl#maxPool2x2}, and the vector one's
   * way out.
   */
  static void max2x2(float[] x, int t, int u, float[] y, int yi, int n) {
    for (int k = 0; k < n; k++) {
      y[yi + k] = Math.max(Math.max(x[t + 2 * k], x[t + 2 * k + 1]), Math.max(x[u + 2 * k], x[u + 2 * k + 1]));
    }
  }

  /**
   * The gradient of {@link #maxForward(float[], int[], int[], float[])}: {@code dx} from {@code x}, its pooling
   * {@code y} and {@code dy}. Each {@code dy} goes to the first element of its window equal to the window's maximum
   * (the last NaN when that is NaN): the element the rule of {@link #argmax} takes, found with one comparison per
   * element and no running maximum. 2×2 windows of stride 2 without padding have a path of their own
   * ({@link #max2x2Backward(float[], int[], float[], float[], int, float[])}), the same bits.
   */
  public static void maxBackward(float[] x, int[] xShape, float[] y, float[] dy, int[] window, float[] dx) {
    int oh = check("max_pool2d backward", x.length, xShape, window, dy.length);
    Shapes.checkLength("max_pool2d backward", "dx", dx.length, xShape);
    Shapes.checkLength("max_pool2d backward", "y", y.length, dy.length);
    int ow = dy.length == 0 ? 0 : dy.length / (xShape[0] * xShape[1] * oh);
    int height = xShape[2];
    int width = xShape[3];
    if (isTwoByTwo(xShape, window)) {
      max2x2Backward(x, xShape, y, dy, oh, dx);
      return;
    }
    Arrays.fill(dx, 0f);
    for (int p = 0, yi = 0; p < xShape[0] * xShape[1]; p++) {
      for (int i = 0; i < oh; i++) {
        int r0 = Math.max(0, i * window[2] - window[4]);
        int r1 = Math.min(height, i * window[2] - window[4] + window[0]);
        for (int j = 0; j < ow; j++, yi++) {
          int s0 = Math.max(0, j * window[3] - window[5]);
          int s1 = Math.min(width, j * window[3] - window[5] + window[1]);
          dx[first(x, y[yi], p, i, j, r0, r1, s0, s1, height, width, window)] += dy[yi];
        }
      }
    }
  }

  /**
   * {@link #maxBackward} for 2×2 windows of stride 2 without padding on rows of even width, the sample's pooling:
   * the windows do not overlap and, but for the last row of an odd height, cover {@code x}, so {@code dx} is written
   * once, each window's four elements by {@link #max2x2Backward(float[], int, int, float[], float[], int, float[],
   * int)}, with no zero fill first. The pairs of rows follow one another through the planes when the height is even,
   * and plane by plane when it is not. Scalar on purpose: a Vector API form was 3 times as fast once compiled, but
   * until C2 compiles it every vector operation allocates, and the sample's first epoch took 0.2-0.3 s longer
   * (whole training 1.3 against 1.2 s, medians of six alternated runs).
   */
  private static void max2x2Backward(float[] x, int[] xShape, float[] y, float[] dy, int oh, float[] dx) {
    int planes = xShape[0] * xShape[1];
    int height = xShape[2];
    int width = xShape[3];
    int rows = height % 2 == 0 ? planes * oh : oh;               // pairs of rows at a time
    for (int p = 0; p < (height % 2 == 0 ? 1 : planes); p++) {
      int xo = p * height * width;
      int yo = p * oh * (width / 2);
      for (int q = 0; q < rows; q++) {
        int t = xo + 2 * q * width;
        max2x2Backward(x, t, t + width, y, dy, yo + q * (width / 2), dx, width / 2);
      }
      if (height % 2 != 0) {
        Arrays.fill(dx, ((p + 1) * height - 1) * width, (p + 1) * height * width, 0f);
      }
    }
  }

  /**
   * The gradient of {@code n} 2×2 windows side by side, the top row of the first from {@code x[t]}, its bottom row
   * from {@code x[u]}, their maxima and gradients from {@code y[yi]} and {@code dy[yi]}: {@code dx} of each window's
   * four elements, {@code 0 + dy} (what the general loop of {@link #maxBackward} adds to its zeros, so {@code -0}
   * gives {@code +0}) at the first element equal to the maximum, or where {@link #argmax} would take it when none is
   * (a NaN maximum), and zero at the other three.
   */
  static void max2x2Backward(float[] x, int t, int u, float[] y, float[] dy, int yi, float[] dx, int n) {
    for (int k = 0; k < n; k++) {
      int a = t + 2 * k;
      int c = u + 2 * k;
      float max = y[yi + k];
      int at = x[a] == max ? a : x[a + 1] == max ? a + 1 : x[c] == max ? c : x[c + 1] == max ? c + 1 : -1;
      if (at < 0) {
        at = taken(x, c + 1, taken(x, c, taken(x, a + 1, a)));
      }
      dx[a] = 0f;
      dx[a + 1] = 0f;
      dx[c] = 0f;
      dx[c + 1] = 0f;
      dx[at] = 0f + dy[yi + k];
    }
  }

  /** {@code e} if {@link #argmax}'s running maximum, at {@code best}, moves to {@code x[e]}; else {@code best}. */
  private static int taken(float[] x, int e, int best) {
    return x[e] > x[best] || x[e] != x[e] ? e : best;
  }

  /**
   * The flat index in {@code x} of the first element of rows {@code r0..r1-1}, columns {@code s0..s1-1} of plane
   * {@code p} (window {@code (i, j)}) equal to its maximum {@code max}: the first maximal element. A NaN equals
   * nothing: then the reference loop finds the last NaN.
   */
  private static int first(float[] x, float max, int p, int i, int j, int r0, int r1, int s0, int s1, int height,
      int width, int[] window) {
    for (int r = r0; r < r1; r++) {
      int base = (p * height + r) * width;
      for (int s = s0; s < s1; s++) {
        if (x[base + s] == max) {
          return base + s;
        }
      }
    }
    return argmax(x, p, i, j, height, width, window);
  }

  /**
   * Each window's maximum into {@code y}. A block of planes is transposed so that the planes come last
   * ({@code [H·W, planes]}, about 32 KB), each window position's maximum is then a running {@link Math#max} over its
   * taps of whole rows of that block ({@link KernelImpl#maxInto}: vectors, where C2 compiles the scalar
   * {@code Math.max} to a jump that varied data mispredicts), and the block's outputs are transposed back. Whether a
   * tap is in the padding is decided once per block; the taps are taken in window order, as before.
   */
  private static void maxValues(float[] x, int[] xShape, int[] window, int oh, float[] y) {
    int planes = xShape[0] * xShape[1];
    int height = xShape[2];
    int width = xShape[3];
    int in = height * width;
    int out = planes == 0 ? 0 : y.length / planes;
    int ow = out / oh;
    int block = Math.max(1, Math.min(planes, 8192 / in));
    GemmScratch scratch = GemmScratch.current();
    float[] rows = scratch.imageF32(block * in);
    float[] pooled = scratch.pooledF32(block * out);
    KernelImpl impl = Kernels.impl();
    for (int p0 = 0; p0 < planes; p0 += block) {
      int nb = Math.min(block, planes - p0);
      GemmScratch.transpose(x, p0 * in, in, nb, in, rows, 0, nb);
      for (int yo = 0; yo < out; yo++) {
        int rTop = yo / ow * window[2] - window[4];
        int sLeft = yo % ow * window[3] - window[5];
        boolean first = true;
        for (int r = Math.max(0, rTop); r < Math.min(height, rTop + window[0]); r++) {
          for (int s = Math.max(0, sLeft); s < Math.min(width, sLeft + window[1]); s++) {
            int xo = (r * width + s) * nb;
            if (first) {
              System.arraycopy(rows, xo, pooled, yo * nb, nb);
              first = false;
            } else {
              impl.maxInto(pooled, yo * nb, rows, xo, nb);
            }
          }
        }
      }
      GemmScratch.transpose(pooled, 0, nb, out, nb, y, p0 * out, out);
    }
  }

  /** The flat index in {@code x} of the maximum of window {@code (i, j)} of plane {@code p}. */
  private static int argmax(float[] x, int p, int i, int j, int height, int width, int[] window) {
    int r0 = Math.max(0, i * window[2] - window[4]);
    int r1 = Math.min(height, i * window[2] - window[4] + window[0]);
    int s0 = Math.max(0, j * window[3] - window[5]);
    int s1 = Math.min(width, j * window[3] - window[5] + window[1]);
    int best = (p * height + r0) * width + s0;
    float max = x[best];
    for (int r = r0; r < r1; r++) {
      int base = (p * height + r) * width;
      for (int s = s0; s < s1; s++) {
        float v = x[base + s];
        boolean take = v > max || v != v; // v != v: a NaN wins, and the last one stays
        max = take ? v : max;             // selects, not branches: the JIT makes them conditional moves
        best = take ? base + s : best;
      }
    }
    return best;
  }

  /** {@code y = avg_pool2d(x)}. */
  public static void avgForward(float[] x, int[] xShape, int[] window, float[] y) {
    int oh = check("avg_pool2d", x.length, xShape, window, y.length);
    int ow = y.length == 0 ? 0 : y.length / (xShape[0] * xShape[1] * oh);
    int height = xShape[2];
    int width = xShape[3];
    float taps = window[0] * window[1];
    for (int p = 0, yi = 0; p < xShape[0] * xShape[1]; p++) {
      for (int i = 0; i < oh; i++) {
        int r0 = Math.max(0, i * window[2] - window[4]);
        int r1 = Math.min(height, i * window[2] - window[4] + window[0]);
        for (int j = 0; j < ow; j++, yi++) {
          int s0 = Math.max(0, j * window[3] - window[5]);
          int s1 = Math.min(width, j * window[3] - window[5] + window[1]);
          float sum = 0f;
          for (int r = r0; r < r1; r++) {
            int base = (p * height + r) * width;
            for (int s = s0; s < s1; s++) {
              sum += x[base + s];
            }
          }
          y[yi] = sum / taps;
        }
      }
    }
  }

  /** The gradient of {@link #avgForward(float[], int[], int[], float[])}: {@code dx} ({@code xShape}) from {@code dy}. */
  public static void avgBackward(float[] dy, int[] window, float[] dx, int[] xShape) {
    int oh = check("avg_pool2d backward", dx.length, xShape, window, dy.length);
    int ow = dy.length == 0 ? 0 : dy.length / (xShape[0] * xShape[1] * oh);
    int height = xShape[2];
    int width = xShape[3];
    float taps = window[0] * window[1];
    Arrays.fill(dx, 0f);
    for (int p = 0, yi = 0; p < xShape[0] * xShape[1]; p++) {
      for (int i = 0; i < oh; i++) {
        int r0 = Math.max(0, i * window[2] - window[4]);
        int r1 = Math.min(height, i * window[2] - window[4] + window[0]);
        for (int j = 0; j < ow; j++, yi++) {
          int s0 = Math.max(0, j * window[3] - window[5]);
          int s1 = Math.min(width, j * window[3] - window[5] + window[1]);
          float g = dy[yi] / taps;
          for (int r = r0; r < r1; r++) {
            int base = (p * height + r) * width;
            for (int s = s0; s < s1; s++) {
              dx[base + s] += g;
            }
          }
        }
      }
    }
  }
  // end twin

  /**
   * Whether the window is 2×2 with stride 2 and no padding on rows of even width, the sample's pooling, which has
   * kernels of its own: the windows do not overlap and, but for the last row of an odd height, cover {@code x}.
   */
  private static boolean isTwoByTwo(int[] xShape, int[] window) {
    return window[0] == 2 && window[1] == 2 && window[2] == 2 && window[3] == 2 && window[4] == 0 && window[5] == 0
        && xShape[3] % 2 == 0;
  }

  /** {@code H'} after checking the shape, the window and the lengths of {@code x} and {@code y}. */
  private static int check(String op, int xLength, int[] xShape, int[] window, int yLength) {
    if (xShape.length != 4 || window.length != 6) {
      throw new IllegalArgumentException(op + ": x " + Shapes.format(xShape)
          + " must be [N, C, H, W] and the window {kh, kw, sh, sw, ph, pw}");
    }
    if (window[0] < 1 || window[1] < 1 || window[2] < 1 || window[3] < 1 || window[4] < 0 || window[5] < 0
        || 2 * window[4] > window[0] || 2 * window[5] > window[1]) {
      throw new IllegalArgumentException(op + ": bad window " + Shapes.format(window)
          + " (size and stride at least 1, padding from 0 to half the size)");
    }
    int oh = Conv2d.outputSize(xShape[2], window[0], window[2], window[4], 1);
    int ow = Conv2d.outputSize(xShape[3], window[1], window[3], window[5], 1);
    if (oh < 1 || ow < 1) {
      throw new IllegalArgumentException(op + ": the window " + Shapes.format(window) + " does not fit in "
          + Shapes.format(xShape));
    }
    Shapes.checkLength(op, "x", xLength, xShape);
    Shapes.checkLength(op, "y", yLength, (long) xShape[0] * xShape[1] * oh * ow);
    return oh;
  }
}
