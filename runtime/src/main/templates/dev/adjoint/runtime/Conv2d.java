package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Two-dimensional convolution of images {@code x [N, C, H, W]} by filters {@code w [O, C, kh, kw]} into
 * {@code y [N, O, H', W']}, as PyTorch's {@code conv2d} without bias (zero padding), and its two gradients:
 *
 * <pre>
 *   y[n, o, i, j] = Σ_c Σ_a Σ_b x[n, c, i·sh - ph + a·dh, j·sw - pw + b·dw] · w[o, c, a, b]
 *   H' = (H + 2·ph - dh·(kh - 1) - 1) / sh + 1        (W' likewise)
 * </pre>
 *
 * <p>{@code steps} is {@code {sh, sw, ph, pw, dh, dw}}: the stride, the padding and the dilation, height first.
 *
 * <p>All three go through the matrix kernels (im2col): the {@code kh·kw} taps of every channel at every output
 * position of every image are copied into one matrix {@code columns} (zeros where a tap falls in the padding), so
 * that the convolution, the filter gradient and the input gradient are each one product for the whole batch, which
 * keeps the matrix kernel on large operands (a direct loop over the taps was measured against it: BENCHMARKS.md,
 * "Convolution"). The matrix is laid out one of two ways:
 * <ul>
 *   <li>with 8 channels or more, a row per output position: {@code columns [N·H'·W', C·kh·kw]}, the convolution
 *       {@code products [N·H'·W', O] = columns · wᵀ}, the filter gradient {@code dw = productsᵀ · columns} (with
 *       {@code products} holding {@code dy} laid out as {@code [N·H'·W', O]}), the input gradient
 *       {@code columns = products · w}. The copies run over the channels of a tap: long loops.
 *   <li>with fewer (an image's first convolution), a row per tap: {@code columns [C·kh·kw, N·H'·W']}, the convolution
 *       {@code products [O, N·H'·W'] = w · columns}, the filter gradient {@code dw = products · columnsᵀ} (with
 *       {@code products} holding {@code dy} laid out as {@code [O, N·H'·W']}), the input gradient
 *       {@code columns = wᵀ · products}. A loop over the few channels would be short, so the copies run along the
 *       rows of the images instead, and the outputs are copied as runs of {@code H'·W'}; the product's long dimension
 *       is the batch's positions rather than its {@code C·kh·kw} (9 for one channel and a 3x3 filter).
 * </ul>
 * {@code columns} and {@code products} are the caller's scratch buffers of exactly those sizes, so a call allocates
 * nothing. Outputs are overwritten and must not share storage with the inputs; the summation order is fixed (every
 * product over ascending {@code k}; each element of {@code dx} gets its terms in the order of the output positions),
 * so results are the same on every run, in either layout.
 */
public final class Conv2d {
  private Conv2d() {}

  /** The number of output positions along one axis, or a negative number when the window does not fit. */
  public static int outputSize(int in, int taps, int stride, int pad, int dilation) {
    int span = dilation * (taps - 1) + 1;
    int padded = in + 2 * pad;
    return span > padded ? -1 : (padded - span) / stride + 1;
  }

  // twin: double
  /** {@code y = conv2d(x, w)} ({@code xShape} {@code [N, C, H, W]}, {@code wShape} {@code [O, C, kh, kw]}). */
  public static void forward(float[] x, int[] xShape, float[] w, int[] wShape, int[] steps, float[] y,
      float[] columns, float[] products) {
    int rows = check("conv2d", x.length, xShape, w.length, wShape, steps, y.length, columns.length,
        products.length);
    int taps = wShape[1] * wShape[2] * wShape[3];
    int positions = positions(xShape, wShape, steps);
    if (byTap(xShape)) {
      im2colByTap(x, xShape, wShape, steps, columns);
      MatMul.matmul(w, columns, products, wShape[0], taps, rows, false);
      unpackByMap(products, xShape[0], wShape[0], positions, y);
    } else {
      im2col(x, xShape, wShape, steps, columns);
      MatMul.matmulTransB(columns, w, products, rows, taps, wShape[0], false);
      unpack(products, xShape[0], wShape[0], positions, y);
    }
  }

  /**
   * The gradient of {@link #forward(float[], int[], float[], int[], int[], float[], float[], float[])} with
   * respect to {@code x}: {@code dx [N, C, H, W]} ({@code xShape}) from {@code dy [N, O, H', W']}.
   */
  public static void backwardInput(float[] dy, float[] w, int[] wShape, int[] steps, float[] dx, int[] xShape,
      float[] columns, float[] products) {
    int rows = check("conv2d backward", dx.length, xShape, w.length, wShape, steps, dy.length, columns.length,
        products.length);
    int taps = wShape[1] * wShape[2] * wShape[3];
    int positions = positions(xShape, wShape, steps);
    if (byTap(xShape)) {
      packByMap(dy, xShape[0], wShape[0], positions, products);
      MatMul.matmulTransA(w, products, columns, taps, wShape[0], rows, false);
      col2imByTap(columns, xShape, wShape, steps, dx);
    } else {
      pack(dy, xShape[0], wShape[0], positions, products);
      MatMul.matmul(products, w, columns, rows, wShape[0], taps, false);
      col2im(columns, xShape, wShape, steps, dx);
    }
  }

  /**
   * The gradient of {@link #forward(float[], int[], float[], int[], int[], float[], float[], float[])} with
   * respect to {@code w}: {@code dw [O, C, kh, kw]} ({@code wShape}) from {@code x} and {@code dy}.
   */
  public static void backwardFilter(float[] x, int[] xShape, float[] dy, int[] steps, float[] dw, int[] wShape,
      float[] columns, float[] products) {
    int rows = check("conv2d backward", x.length, xShape, dw.length, wShape, steps, dy.length, columns.length,
        products.length);
    int taps = wShape[1] * wShape[2] * wShape[3];
    int positions = positions(xShape, wShape, steps);
    if (byTap(xShape)) {
      im2colByTap(x, xShape, wShape, steps, columns);
      packByMap(dy, xShape[0], wShape[0], positions, products);
      MatMul.matmulTransB(products, columns, dw, wShape[0], rows, taps, false);
    } else {
      im2col(x, xShape, wShape, steps, columns);
      pack(dy, xShape[0], wShape[0], positions, products);
      MatMul.matmulTransA(products, columns, dw, wShape[0], rows, taps, false);
    }
  }

  /**
   * {@code columns[(n·H'·W' + i·W' + j), (c·kh + a)·kw + b] = x[n, c, i·sh - ph + a·dh, j·sw - pw + b·dw]}. The loops
   * run over the output positions and the taps outside, where whether a tap falls in the padding is decided once,
   * and over the channels of an image inside, so that the inner loop is long rather than the {@code kw} taps of one
   * row of a window.
   */
  private static void im2col(float[] x, int[] xShape, int[] wShape, int[] steps, float[] columns) {
    int batch = xShape[0];
    int channels = xShape[1];
    int plane = xShape[2] * xShape[3];
    int kw = wShape[3];
    int window = wShape[2] * kw;
    int taps = channels * window;
    int ow = outputSize(xShape[3], kw, steps[1], steps[3], steps[5]);
    int positions = outputSize(xShape[2], wShape[2], steps[0], steps[2], steps[4]) * ow;
    for (int n = 0; n < batch; n++) {
      for (int pos = 0; pos < positions; pos++) {
        for (int t = 0; t < window; t++) {
          int xo = tap(xShape, steps, ow, kw, pos, t);
          int col = (n * positions + pos) * taps + t;
          int xi = n * channels * plane + xo;
          if (xo < 0) {
            for (int c = 0; c < channels; c++) {
              columns[col + c * window] = 0f;
            }
          } else {
            for (int c = 0; c < channels; c++) {
              columns[col + c * window] = x[xi + c * plane];
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col}: {@code dx} zeroed, then every entry of {@code columns} added to its tap, by the
   * same loops (each element of {@code dx} gets its terms in the order of the output positions, as a loop over the
   * rows of {@code columns} would add them).
   */
  private static void col2im(float[] columns, int[] xShape, int[] wShape, int[] steps, float[] dx) {
    Arrays.fill(dx, 0f);
    int batch = xShape[0];
    int channels = xShape[1];
    int plane = xShape[2] * xShape[3];
    int kw = wShape[3];
    int window = wShape[2] * kw;
    int taps = channels * window;
    int ow = outputSize(xShape[3], kw, steps[1], steps[3], steps[5]);
    int positions = outputSize(xShape[2], wShape[2], steps[0], steps[2], steps[4]) * ow;
    for (int n = 0; n < batch; n++) {
      for (int pos = 0; pos < positions; pos++) {
        for (int t = 0; t < window; t++) {
          int xo = tap(xShape, steps, ow, kw, pos, t);
          if (xo < 0) {
            continue;
          }
          int col = (n * positions + pos) * taps + t;
          int xi = n * channels * plane + xo;
          for (int c = 0; c < channels; c++) {
            dx[xi + c * plane] += columns[col + c * window];
          }
        }
      }
    }
  }

  /** {@code y[n, o, p] = products[n·P + p, o]}: the product's rows laid out as {@code [N, O, H'·W']}. */
  private static void unpack(float[] products, int batch, int maps, int positions, float[] y) {
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < maps; o++) {
        int out = (n * maps + o) * positions;
        int in = n * positions * maps + o;
        for (int p = 0; p < positions; p++) {
          y[out + p] = products[in + p * maps];
        }
      }
    }
  }

  /** The inverse of {@link #unpack}: {@code products[n·P + p, o] = dy[n, o, p]}. */
  private static void pack(float[] dy, int batch, int maps, int positions, float[] products) {
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < maps; o++) {
        int in = (n * maps + o) * positions;
        int out = n * positions * maps + o;
        for (int p = 0; p < positions; p++) {
          products[out + p * maps] = dy[in + p];
        }
      }
    }
  }

  /**
   * {@code columns[(c·kh + a)·kw + b, n·H'·W' + i·W' + j] = x[n, c, i·sh - ph + a·dh, j·sw - pw + b·dw]}: for each tap
   * and image, one run of {@code W'} per output row, copied from a row of the image (zeros in the padding).
   */
  private static void im2colByTap(float[] x, int[] xShape, int[] wShape, int[] steps, float[] columns) {
    int batch = xShape[0];
    int channels = xShape[1];
    int height = xShape[2];
    int width = xShape[3];
    int kh = wShape[2];
    int kw = wShape[3];
    int oh = outputSize(height, kh, steps[0], steps[2], steps[4]);
    int ow = outputSize(width, kw, steps[1], steps[3], steps[5]);
    int positions = oh * ow;
    int rows = batch * positions;
    for (int c = 0, t = 0; c < channels; c++) {
      for (int a = 0; a < kh; a++) {
        for (int b = 0; b < kw; b++, t++) {
          int shift = b * steps[5] - steps[3];       // the image column of output column j is j·sw + shift
          int j0 = firstInside(shift, steps[1], 0, ow);
          int j1 = firstInside(shift - width, steps[1], j0, ow);
          for (int n = 0; n < batch; n++) {
            int plane = (n * channels + c) * height * width;
            for (int i = 0; i < oh; i++) {
              int col = t * rows + n * positions + i * ow;
              int r = i * steps[0] - steps[2] + a * steps[4];
              if (r < 0 || r >= height) {
                for (int j = 0; j < ow; j++) {
                  columns[col + j] = 0f;
                }
                continue;
              }
              int xi = plane + r * width + shift;
              for (int j = 0; j < j0; j++) {
                columns[col + j] = 0f;
              }
              for (int j = j0; j < j1; j++) {
                columns[col + j] = x[xi + j * steps[1]];
              }
              for (int j = j1; j < ow; j++) {
                columns[col + j] = 0f;
              }
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2colByTap}: {@code dx} zeroed, then every entry of {@code columns} added to its tap. The taps of
   * a channel run backwards, so each element of {@code dx} gets its terms in the order of the output positions.
   */
  private static void col2imByTap(float[] columns, int[] xShape, int[] wShape, int[] steps, float[] dx) {
    Arrays.fill(dx, 0f);
    int batch = xShape[0];
    int channels = xShape[1];
    int height = xShape[2];
    int width = xShape[3];
    int kh = wShape[2];
    int kw = wShape[3];
    int oh = outputSize(height, kh, steps[0], steps[2], steps[4]);
    int ow = outputSize(width, kw, steps[1], steps[3], steps[5]);
    int positions = oh * ow;
    int rows = batch * positions;
    for (int c = 0; c < channels; c++) {
      for (int a = kh - 1; a >= 0; a--) {
        for (int b = kw - 1; b >= 0; b--) {
          int t = (c * kh + a) * kw + b;
          int shift = b * steps[5] - steps[3];
          int j0 = firstInside(shift, steps[1], 0, ow);
          int j1 = firstInside(shift - width, steps[1], j0, ow);
          for (int n = 0; n < batch; n++) {
            int plane = (n * channels + c) * height * width;
            for (int i = 0; i < oh; i++) {
              int r = i * steps[0] - steps[2] + a * steps[4];
              if (r < 0 || r >= height) {
                continue;
              }
              int col = t * rows + n * positions + i * ow;
              int xi = plane + r * width + shift;
              for (int j = j0; j < j1; j++) {
                dx[xi + j * steps[1]] += columns[col + j];
              }
            }
          }
        }
      }
    }
  }

  /** {@code y[n, o, p] = products[o, n·P + p]}: each image's run of the product's rows laid out as {@code [N, O, P]}. */
  private static void unpackByMap(float[] products, int batch, int maps, int positions, float[] y) {
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < maps; o++) {
        System.arraycopy(products, (o * batch + n) * positions, y, (n * maps + o) * positions, positions);
      }
    }
  }

  /** The inverse of {@link #unpackByMap}: {@code products[o, n·P + p] = dy[n, o, p]}. */
  private static void packByMap(float[] dy, int batch, int maps, int positions, float[] products) {
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < maps; o++) {
        System.arraycopy(dy, (n * maps + o) * positions, products, (o * batch + n) * positions, positions);
      }
    }
  }
  // end twin

  /** Whether the convolution of {@code x} lays its im2col matrix out a row per tap (fewer than 8 channels). */
  private static boolean byTap(int[] xShape) {
    return xShape[1] < 8;
  }

  /**
   * The offset in an image plane ({@code xShape}'s height and width) of tap {@code t} (row-major in the window of
   * width {@code kw}) at output position {@code pos} (row-major, {@code ow} wide), or -1 when it is in the padding.
   */
  private static int tap(int[] xShape, int[] steps, int ow, int kw, int pos, int t) {
    int r = pos / ow * steps[0] - steps[2] + t / kw * steps[4];
    int s = pos % ow * steps[1] - steps[3] + t % kw * steps[5];
    return r < 0 || r >= xShape[2] || s < 0 || s >= xShape[3] ? -1 : r * xShape[3] + s;
  }

  /**
   * The first {@code j} from {@code from} to {@code to} with {@code j·stride + shift >= 0} ({@code to} when there is
   * none): with {@code shift} a tap's column offset, where the padding on the left ends; with {@code shift - width},
   * where the padding on the right begins.
   */
  private static int firstInside(int shift, int stride, int from, int to) {
    int j = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
    return Math.min(to, Math.max(from, j));
  }

  // ---- checks ----

  /** {@code H'·W'}, the output positions of one image. */
  private static int positions(int[] xShape, int[] wShape, int[] steps) {
    return outputSize(xShape[2], wShape[2], steps[0], steps[2], steps[4])
        * outputSize(xShape[3], wShape[3], steps[1], steps[3], steps[5]);
  }

  /**
   * Checks the shapes, the steps and every length; returns the number of output positions of the batch
   * ({@code N·H'·W'}, the rows of {@code columns}).
   */
  private static int check(String op, int xLength, int[] xShape, int wLength, int[] wShape, int[] steps,
      int yLength, int columnsLength, int productsLength) {
    if (xShape.length != 4 || wShape.length != 4 || steps.length != 6) {
      throw new IllegalArgumentException(op + ": x " + Shapes.format(xShape) + " must be [N, C, H, W], w "
          + Shapes.format(wShape) + " [O, C, kh, kw], and steps {sh, sw, ph, pw, dh, dw}");
    }
    if (xShape[1] != wShape[1]) {
      throw new IllegalArgumentException(op + ": x " + Shapes.format(xShape) + " has " + xShape[1]
          + " channels, w " + Shapes.format(wShape) + " takes " + wShape[1]);
    }
    if (steps[0] < 1 || steps[1] < 1 || steps[2] < 0 || steps[3] < 0 || steps[4] < 1 || steps[5] < 1) {
      throw new IllegalArgumentException(op + ": bad steps " + Shapes.format(steps)
          + " (stride and dilation at least 1, padding at least 0)");
    }
    int oh = outputSize(xShape[2], wShape[2], steps[0], steps[2], steps[4]);
    int ow = outputSize(xShape[3], wShape[3], steps[1], steps[3], steps[5]);
    if (oh < 1 || ow < 1) {
      throw new IllegalArgumentException(op + ": the kernel of " + Shapes.format(wShape) + " does not fit in "
          + Shapes.format(xShape) + " with steps " + Shapes.format(steps));
    }
    Shapes.checkLength(op, "x", xLength, xShape);
    Shapes.checkLength(op, "w", wLength, wShape);
    long rows = (long) xShape[0] * oh * ow;
    Shapes.checkLength(op, "y", yLength, rows * wShape[0]);
    Shapes.checkLength(op, "columns", columnsLength, rows * wShape[1] * wShape[2] * wShape[3]);
    Shapes.checkLength(op, "products", productsLength, rows * wShape[0]);
    return Math.toIntExact(rows);
  }
}
