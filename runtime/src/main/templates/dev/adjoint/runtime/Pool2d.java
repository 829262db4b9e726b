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
  /** {@code y = max_pool2d(x)}. */
  public static void maxForward(float[] x, int[] xShape, int[] window, float[] y) {
    int oh = check("max_pool2d", x.length, xShape, window, y.length);
    int ow = y.length == 0 ? 0 : y.length / (xShape[0] * xShape[1] * oh);
    int height = xShape[2];
    int width = xShape[3];
    for (int p = 0, yi = 0; p < xShape[0] * xShape[1]; p++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++, yi++) {
          y[yi] = x[argmax(x, p, i, j, height, width, window)];
        }
      }
    }
  }

  /** The gradient of {@link #maxForward(float[], int[], int[], float[])}: {@code dx} from {@code x} and {@code dy}. */
  public static void maxBackward(float[] x, int[] xShape, float[] dy, int[] window, float[] dx) {
    int oh = check("max_pool2d backward", x.length, xShape, window, dy.length);
    Shapes.checkLength("max_pool2d backward", "dx", dx.length, xShape);
    int ow = dy.length == 0 ? 0 : dy.length / (xShape[0] * xShape[1] * oh);
    Arrays.fill(dx, 0f);
    for (int p = 0, yi = 0; p < xShape[0] * xShape[1]; p++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++, yi++) {
          dx[argmax(x, p, i, j, xShape[2], xShape[3], window)] += dy[yi];
        }
      }
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
