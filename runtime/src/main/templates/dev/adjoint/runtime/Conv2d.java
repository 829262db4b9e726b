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
 * <p>All three go through the matrix kernels (im2col): the {@code C·kh·kw} taps of every output position of every
 * image are copied into {@code columns} (zeros where a tap falls in the padding), one product for the whole batch,
 * which keeps the matrix kernel on large operands (a direct loop over the taps was measured against it:
 * BENCHMARKS.md, "Convolution"). The layouts depend on the channels; with {@code P = H'·W'}:
 * <ul>
 *   <li>From 8 channels on, a row of {@code columns [N·P, C·kh·kw]} per output position, the taps before the
 *       channels ({@code (a·kw + b)·C + c}), copied from the images laid out channels last, the filters reordered to
 *       match ({@link #im2colLast}). The convolution is {@code products [N·P, O] = columns · wᵀ}, transposed image by
 *       image into {@code y}; the filter gradient is {@code dw = productsᵀ · columns} with {@code products} holding
 *       {@code dy} transposed to {@code [N·P, O]}; the input gradient is {@code columns = products · w}, each row
 *       added back to the taps it came from.
 *   <li>Below 8 (an image's first convolution), a row of {@code columns [C·kh·kw, N·P]} per tap, the channels
 *       first ({@code (c·kh + a)·kw + b}), each image's positions in a run ({@link #im2col}, runs of input rows).
 *       The convolution is {@code products [O, N·P] = w · columns}, whose runs of {@code P} are {@code y [N, O, P]}
 *       in another order ({@link #regroup}: copies, no transpose); the filter gradient is {@code dw = dy' ·
 *       columnsᵀ}, with {@code products} holding {@code dy} regrouped to {@code dy' [O, N·P]}; the input gradient is
 *       {@code columns = wᵀ · dy'}, each entry added back to its tap ({@link #col2im}).
 * </ul>
 * In both, each output of the convolution is one chain of fused multiply-adds over the taps in the order of the
 * columns, each of the filter gradient one over the batch's output positions in order, and each of the input
 * gradient a sum of the taps that land on it in the order of the output positions ({@code Conv2dBitsTest}): which of
 * the two operands of a product is transposed changes no bit ({@link MatMul}'s contract).
 * {@code columns} and {@code products} are the caller's scratch buffers of exactly those sizes (the channels-last
 * images and reordered filters live in the thread's {@link GemmScratch}, grown once), so a warm call allocates
 * nothing. Outputs are overwritten and must not share storage with the inputs; the summation order is fixed, so
 * results are the same on every run.
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
    int taps = wShape[1] * window(wShape);
    if (channelsLast(xShape)) {
      GemmScratch scratch = GemmScratch.current();
      float[] image = scratch.imageF32(x.length);
      transposeEach(x, xShape[0], xShape[1], plane(xShape), image);        // [N, C, H·W] -> [N, H·W, C]
      im2colLast(image, xShape, wShape, steps, columns);
      float[] filter = scratch.filterF32(w.length);
      transposeEach(w, wShape[0], wShape[1], window(wShape), filter);     // [O, C, taps] -> [O, taps, C]
      MatMul.gemm(columns, 0, taps, 1, filter, 0, 1, taps, products, 0, wShape[0], rows, taps, wShape[0], false);
      transposeEach(products, xShape[0], positions(xShape, wShape, steps), wShape[0], y); // [N, P, O] -> [N, O, P]
    } else {
      im2col(x, xShape, wShape, steps, columns);                          // [taps, N·P]
      MatMul.gemm(w, 0, taps, 1, columns, 0, rows, 1, products, 0, rows, wShape[0], taps, rows, false);
      regroup(products, wShape[0], xShape[0], positions(xShape, wShape, steps), y);   // [O, N, P] -> [N, O, P]
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
    int taps = wShape[1] * window(wShape);
    int positions = positions(xShape, wShape, steps);
    if (channelsLast(xShape)) {
      transposeEach(dy, xShape[0], wShape[0], positions, products);      // [N, O, P] -> [N, P, O]
      GemmScratch scratch = GemmScratch.current();
      float[] filter = scratch.filterF32(w.length);
      transposeEach(w, wShape[0], wShape[1], window(wShape), filter);     // [O, C, taps] -> [O, taps, C]
      MatMul.gemm(products, 0, wShape[0], 1, filter, 0, taps, 1, columns, 0, taps, rows, wShape[0], taps, false);
      float[] image = scratch.imageF32(dx.length);
      col2imLast(columns, xShape, wShape, steps, image);
      transposeEach(image, xShape[0], plane(xShape), xShape[1], dx);      // [N, H·W, C] -> [N, C, H·W]
    } else {
      regroup(dy, xShape[0], wShape[0], positions, products);             // [N, O, P] -> [O, N, P]
      MatMul.gemm(w, 0, 1, taps, products, 0, rows, 1, columns, 0, rows, taps, wShape[0], rows, false);
      col2im(columns, xShape, wShape, steps, dx);                         // [taps, N·P]
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
    int taps = wShape[1] * window(wShape);
    int positions = positions(xShape, wShape, steps);
    if (channelsLast(xShape)) {
      transposeEach(dy, xShape[0], wShape[0], positions, products);      // [N, O, P] -> [N, P, O]
      GemmScratch scratch = GemmScratch.current();
      float[] image = scratch.imageF32(x.length);
      transposeEach(x, xShape[0], xShape[1], plane(xShape), image);        // [N, C, H·W] -> [N, H·W, C]
      im2colLast(image, xShape, wShape, steps, columns);
      float[] filter = scratch.filterF32(dw.length);
      MatMul.gemm(products, 0, 1, wShape[0], columns, 0, taps, 1, filter, 0, taps, wShape[0], rows, taps, false);
      transposeEach(filter, wShape[0], window(wShape), wShape[1], dw);    // [O, taps, C] -> [O, C, taps]
    } else {
      regroup(dy, xShape[0], wShape[0], positions, products);             // [N, O, P] -> [O, N, P]
      im2col(x, xShape, wShape, steps, columns);                          // [taps, N·P]
      MatMul.gemm(products, 0, rows, 1, columns, 0, 1, rows, dw, 0, taps, wShape[0], rows, taps, false);
    }
  }

  /**
   * Below 8 channels (an image's first convolution): {@code columns[(c·kh + a)·kw + b, n·H'·W' + i·W' + j] =
   * x[n, c, i·sh - ph + a·dh, j·sw - pw + b·dw]}, a row per tap holding the output positions of the batch, image
   * after image. {@code columns} is zeroed first, then for each tap, image and output row, the output columns whose
   * tap falls in the image read one stretch of an input row ({@code sw} apart: at stride 1, one run copied whole).
   * (One fill of the whole was faster than zeroing the padded ends of each row: the sample's forward, 16.5 against
   * 20 µs.)
   */
  private static void im2col(float[] x, int[] xShape, int[] wShape, int[] steps, float[] columns) {
    int batch = xShape[0];
    int channels = xShape[1];
    int height = xShape[2];
    int width = xShape[3];
    int kh = wShape[2];
    int kw = wShape[3];
    int oh = outputSize(height, kh, steps[0], steps[2], steps[4]);
    int ow = outputSize(width, kw, steps[1], steps[3], steps[5]);
    int sw = steps[1];
    Arrays.fill(columns, 0f);
    for (int c = 0, k = 0; c < channels; c++) {
      for (int a = 0; a < kh; a++) {
        for (int b = 0; b < kw; b++, k++) {
          int s0 = b * steps[5] - steps[3];                 // the input column of output column 0
          int j0 = firstInside(s0, sw, ow);
          int j1 = endInside(s0, sw, width, ow, j0);
          for (int n = 0; n < batch; n++) {
            int plane = (n * channels + c) * height * width;
            int col = (k * batch + n) * oh * ow;
            for (int i = 0; i < oh; i++, col += ow) {
              int r = i * steps[0] - steps[2] + a * steps[4];
              if (r < 0 || r >= height) {
                continue;
              }
              int from = plane + r * width + s0;             // where output column j reads: from + j·sw
              if (sw == 1 && j1 > j0) {
                System.arraycopy(x, from + j0, columns, col + j0, j1 - j0);
              } else {
                for (int j = j0; j < j1; j++) {
                  columns[col + j] = x[from + j * sw];
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col}: {@code dx} zeroed, then every entry of {@code columns} whose tap is in the image
   * added to it. Each element of {@code dx} gets its terms in the order of the output positions, as
   * {@link #col2imLast} adds them: the output rows go in order, and within one, an input row meets at most one row
   * of the window, whose columns go from the last to the first, so that the output columns that land on one element
   * come in order.
   */
  private static void col2im(float[] columns, int[] xShape, int[] wShape, int[] steps, float[] dx) {
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
    int sw = steps[1];
    for (int n = 0; n < batch; n++) {
      for (int c = 0; c < channels; c++) {
        int plane = (n * channels + c) * height * width;
        for (int i = 0; i < oh; i++) {
          for (int a = 0; a < kh; a++) {
            int r = i * steps[0] - steps[2] + a * steps[4];
            if (r < 0 || r >= height) {
              continue;
            }
            for (int b = kw - 1; b >= 0; b--) {
              int s0 = b * steps[5] - steps[3];
              int j0 = firstInside(s0, sw, ow);
              int j1 = endInside(s0, sw, width, ow, j0);
              int to = plane + r * width + s0;
              int col = (((c * kh + a) * kw + b) * batch + n) * positions + i * ow;
              for (int j = j0; j < j1; j++) {
                dx[to + j * sw] += columns[col + j];
              }
            }
          }
        }
      }
    }
  }

  /**
   * From 8 channels on: {@code columns[(n·H'·W' + i·W' + j), (a·kw + b)·C + c] = image[n, i·sh - ph + a·dh,
   * j·sw - pw + b·dw, c]}, from the images laid out channels last ({@link #transposeEach}), so that each tap of each
   * row is one run of {@code C} values copied whole, a loop the JIT vectorizes. The taps come before the channels
   * here, so the filters go through {@link #transposeEach} to match.
   */
  private static void im2colLast(float[] image, int[] xShape, int[] wShape, int[] steps, float[] columns) {
    int batch = xShape[0];
    int channels = xShape[1];
    int plane = plane(xShape);
    int kw = wShape[3];
    int window = window(wShape);
    int taps = channels * window;
    int ow = outputSize(xShape[3], kw, steps[1], steps[3], steps[5]);
    int positions = positions(xShape, wShape, steps);
    for (int pos = 0; pos < positions; pos++) {
      for (int t = 0; t < window; t++) {
        int xo = tap(xShape, steps, ow, kw, pos, t);
        for (int n = 0; n < batch; n++) {
          int col = (n * positions + pos) * taps + t * channels;
          if (xo < 0) {
            Arrays.fill(columns, col, col + channels, 0f);
          } else {
            System.arraycopy(image, (n * plane + xo) * channels, columns, col, channels);
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2colLast}: {@code image} (channels last) zeroed, then every run of {@code columns} added
   * to its tap; each element gets its terms in the order of the output positions, as in {@link #col2im}.
   */
  private static void col2imLast(float[] columns, int[] xShape, int[] wShape, int[] steps, float[] image) {
    int batch = xShape[0];
    int channels = xShape[1];
    int plane = plane(xShape);
    Arrays.fill(image, 0, batch * channels * plane, 0f);
    int kw = wShape[3];
    int window = window(wShape);
    int taps = channels * window;
    int ow = outputSize(xShape[3], kw, steps[1], steps[3], steps[5]);
    int positions = positions(xShape, wShape, steps);
    for (int pos = 0; pos < positions; pos++) {
      for (int t = 0; t < window; t++) {
        int xo = tap(xShape, steps, ow, kw, pos, t);
        if (xo < 0) {
          continue;
        }
        for (int n = 0; n < batch; n++) {
          int col = (n * positions + pos) * taps + t * channels;
          int xi = (n * plane + xo) * channels;
          for (int c = 0; c < channels; c++) {
            image[xi + c] += columns[col + c];
          }
        }
      }
    }
  }

  /** {@code to [inner, outer, run] = from [outer, inner, run]}: whole runs copied, no element transposed. */
  private static void regroup(float[] from, int outer, int inner, int run, float[] to) {
    for (int e = 0; e < outer; e++) {
      for (int f = 0; f < inner; f++) {
        System.arraycopy(from, (e * inner + f) * run, to, (f * outer + e) * run, run);
      }
    }
  }

  /**
   * Transposes each of {@code blocks} consecutive {@code rows × cols} matrices of {@code from} into {@code to}
   * ({@link GemmScratch#transpose}, eight rows at a time): the layouts this class moves between.
   */
  private static void transposeEach(float[] from, int blocks, int rows, int cols, float[] to) {
    for (int e = 0, o = 0; e < blocks; e++, o += rows * cols) {
      GemmScratch.transpose(from, o, cols, rows, cols, to, o, rows);
    }
  }
  // end twin

  /** {@code H·W}, the positions of an image plane. */
  private static int plane(int[] xShape) {
    return xShape[2] * xShape[3];
  }

  /** {@code kh·kw}, the taps of a filter's window. */
  private static int window(int[] wShape) {
    return wShape[2] * wShape[3];
  }

  /**
   * The first of the {@code out} output columns {@code j} whose tap, at input column {@code s0 + j·stride}, is not
   * left of 0 ({@code out} when none is).
   */
  private static int firstInside(int s0, int stride, int out) {
    int first = stride == 1 ? -s0 : -Math.floorDiv(s0, stride);        // no division at stride 1 (col2im's loops)
    return Math.min(out, Math.max(0, first));
  }

  /**
   * The end (exclusive, at least {@code first}) of the output columns {@code j} whose tap, at input column
   * {@code s0 + j·stride}, is left of {@code width}.
   */
  private static int endInside(int s0, int stride, int width, int out, int first) {
    int end = stride == 1 ? width - s0 : Math.floorDiv(width - 1 - s0, stride) + 1;
    return Math.max(first, Math.min(out, end));
  }

  /** Whether {@code x} goes through the channels-last columns ({@link #im2colLast}): from 8 channels on. */
  private static boolean channelsLast(int[] xShape) {
    return xShape[1] >= 8;
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
