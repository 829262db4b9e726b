package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Conv2d} bit for bit against sequential loops: whatever the layouts of its columns and products, each output
 * of the convolution and of the filter gradient is one chain of fused multiply-adds over the taps in the order of
 * a row of the columns (channels first below 8 channels, taps first from 8 on), or over the batch's output positions
 * (image by image, row-major), with zeros where a tap falls in the padding; each value of the input gradient is the
 * sum, in the order of the output positions, of chains of fused multiply-adds over the filters. (The sample's
 * accuracy depends on those bits; {@link Conv2dTest} checks the arithmetic with a tolerance.) Seeded random shapes:
 * odd sizes, strides, paddings, dilations, 1 to 7 channels (and 8 to 10), 1 to 5 images, f32 and f64.
 */
class Conv2dBitsTest {
  static LongStream seeds() {
    return LongStream.rangeClosed(1, 60);
  }

  /** One random problem: shapes, steps and data (about one value in five zero, to meet signed zeros). */
  private record Case(int[] xShape, int[] wShape, int[] steps, int oh, int ow, double[] x, double[] w, double[] dy) {
    static Case random(long seed) {
      Random r = new Random(seed);
      while (true) {
        int n = 1 + r.nextInt(5);
        int c = r.nextInt(4) > 0 ? 1 + r.nextInt(7) : 8 + r.nextInt(3);
        int h = 1 + r.nextInt(11);
        int wd = 1 + r.nextInt(11);
        int o = 1 + r.nextInt(20);
        int kh = 1 + r.nextInt(4);
        int kw = 1 + r.nextInt(4);
        int[] steps = {1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(5), r.nextInt(5), 1 + r.nextInt(3),
            1 + r.nextInt(3)};
        if (r.nextBoolean()) {
          steps[0] = steps[1] = steps[4] = steps[5] = 1;        // the common case: stride and dilation 1
        }
        int oh = Conv2d.outputSize(h, kh, steps[0], steps[2], steps[4]);
        int ow = Conv2d.outputSize(wd, kw, steps[1], steps[3], steps[5]);
        if (oh > 0 && ow > 0) {
          return new Case(new int[] {n, c, h, wd}, new int[] {o, c, kh, kw}, steps, oh, ow,
              data(r, n * c * h * wd), data(r, o * c * kh * kw), data(r, n * o * oh * ow));
        }
      }
    }

    static double[] data(Random r, int size) {
      double[] a = new double[size];
      for (int i = 0; i < size; i++) {
        a[i] = r.nextInt(5) == 0 ? 0 : r.nextDouble() * 2 - 1;
      }
      return a;
    }

    @Override
    public String toString() {
      return "x " + Arrays.toString(xShape) + ", w " + Arrays.toString(wShape) + ", steps " + Arrays.toString(steps);
    }

    int rows() {
      return xShape[0] * oh * ow;
    }

    int taps() {
      return wShape[1] * wShape[2] * wShape[3];
    }

    /** The offset of tap {@code (a, b)} at output position {@code (i, j)} in an image plane, or -1 in the padding. */
    int at(int i, int j, int a, int b) {
      int row = i * steps[0] - steps[2] + a * steps[4];
      int col = j * steps[1] - steps[3] + b * steps[5];
      return row < 0 || row >= xShape[2] || col < 0 || col >= xShape[3] ? -1 : row * xShape[3] + col;
    }

    /** The taps of one row of the columns, in their order: {@code {c, a, b}} each. */
    int[][] order() {
      int c = wShape[1];
      int kh = wShape[2];
      int kw = wShape[3];
      int[][] order = new int[taps()][];
      int k = 0;
      if (c >= 8) {
        for (int a = 0; a < kh; a++) {
          for (int b = 0; b < kw; b++) {
            for (int ch = 0; ch < c; ch++) {
              order[k++] = new int[] {ch, a, b};
            }
          }
        }
      } else {
        for (int ch = 0; ch < c; ch++) {
          for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
              order[k++] = new int[] {ch, a, b};
            }
          }
        }
      }
      return order;
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void f32IsTheSequentialChains(long seed) {
    checkF32(Case.random(seed));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void f64IsTheSequentialChains(long seed) {
    checkF64(Case.random(seed));
  }

  /**
   * Windows that reach past the image on both sides, and dilated taps that never meet it for some output rows or
   * columns (the first or last of a window: all padding), at stride 1 and 2.
   */
  @Test
  void tapsThatNeverMeetTheImage() {
    int[][] shapes = {
        // N, C, H, W, O, kh, kw, sh, sw, ph, pw, dh, dw
        {2, 1, 1, 1, 3, 2, 2, 1, 1, 2, 2, 4, 4},
        {3, 2, 1, 2, 5, 3, 3, 1, 1, 3, 3, 3, 3},
        {2, 3, 3, 1, 4, 2, 2, 2, 2, 2, 2, 4, 4},
        {1, 1, 2, 5, 2, 1, 3, 1, 1, 4, 2, 1, 4},
        {2, 7, 4, 4, 9, 3, 3, 1, 1, 4, 4, 1, 1},
    };
    Random r = new Random(7);
    for (int[] s : shapes) {
      int oh = Conv2d.outputSize(s[2], s[5], s[7], s[9], s[11]);
      int ow = Conv2d.outputSize(s[3], s[6], s[8], s[10], s[12]);
      Case t = new Case(new int[] {s[0], s[1], s[2], s[3]}, new int[] {s[4], s[1], s[5], s[6]},
          new int[] {s[7], s[8], s[9], s[10], s[11], s[12]}, oh, ow, Case.data(r, s[0] * s[1] * s[2] * s[3]),
          Case.data(r, s[4] * s[1] * s[5] * s[6]), Case.data(r, s[0] * s[4] * oh * ow));
      checkF32(t);
      checkF64(t);
    }
  }

  private static void checkF32(Case t) {
    float[] x = TestSupport.toFloat(t.x());
    float[] w = TestSupport.toFloat(t.w());
    float[] dy = TestSupport.toFloat(t.dy());
    float[] columns = new float[t.rows() * t.taps()];
    float[] products = new float[t.rows() * t.wShape()[0]];
    float[] y = new float[dy.length];
    Conv2d.forward(x, t.xShape(), w, t.wShape(), t.steps(), y, columns, products);
    float[] dx = new float[x.length];
    Conv2d.backwardInput(dy, w, t.wShape(), t.steps(), dx, t.xShape(), columns, products);
    float[] dw = new float[w.length];
    Conv2d.backwardFilter(x, t.xShape(), dy, t.steps(), dw, t.wShape(), columns, products);
    assertArrayEquals(forward(t, x, w), y, () -> "y of " + t);
    assertArrayEquals(backwardInput(t, dy, w), dx, () -> "dx of " + t);
    assertArrayEquals(backwardFilter(t, x, dy), dw, () -> "dw of " + t);
  }

  private static void checkF64(Case t) {
    double[] columns = new double[t.rows() * t.taps()];
    double[] products = new double[t.rows() * t.wShape()[0]];
    double[] y = new double[t.dy().length];
    Conv2d.forward(t.x(), t.xShape(), t.w(), t.wShape(), t.steps(), y, columns, products);
    double[] dx = new double[t.x().length];
    Conv2d.backwardInput(t.dy(), t.w(), t.wShape(), t.steps(), dx, t.xShape(), columns, products);
    double[] dw = new double[t.w().length];
    Conv2d.backwardFilter(t.x(), t.xShape(), t.dy(), t.steps(), dw, t.wShape(), columns, products);
    assertArrayEquals(forward(t, t.x(), t.w()), y, () -> "y of " + t);
    assertArrayEquals(backwardInput(t, t.dy(), t.w()), dx, () -> "dx of " + t);
    assertArrayEquals(backwardFilter(t, t.x(), t.dy()), dw, () -> "dw of " + t);
  }

  // ---- the sequential loops, f32 ----

  /** {@code y[n, o, i, j]}: one chain over the taps in the columns' order, zeros in the padding. */
  private static float[] forward(Case t, float[] x, float[] w) {
    int n = t.xShape()[0];
    int c = t.xShape()[1];
    int plane = t.xShape()[2] * t.xShape()[3];
    int o = t.wShape()[0];
    int kh = t.wShape()[2];
    int kw = t.wShape()[3];
    float[] y = new float[n * o * t.oh() * t.ow()];
    int e = 0;
    for (int b = 0; b < n; b++) {
      for (int q = 0; q < o; q++) {
        for (int i = 0; i < t.oh(); i++) {
          for (int j = 0; j < t.ow(); j++) {
            float s = 0;
            for (int[] tap : t.order()) {
              int at = t.at(i, j, tap[1], tap[2]);
              float xv = at < 0 ? 0 : x[(b * c + tap[0]) * plane + at];
              s = Math.fma(xv, w[((q * c + tap[0]) * kh + tap[1]) * kw + tap[2]], s);
            }
            y[e++] = s;
          }
        }
      }
    }
    return y;
  }

  /** {@code dw[o, c, a, b]}: one chain over the images and their output positions, zeros in the padding. */
  private static float[] backwardFilter(Case t, float[] x, float[] dy) {
    int n = t.xShape()[0];
    int c = t.xShape()[1];
    int plane = t.xShape()[2] * t.xShape()[3];
    int o = t.wShape()[0];
    int kh = t.wShape()[2];
    int kw = t.wShape()[3];
    int positions = t.oh() * t.ow();
    float[] dw = new float[o * c * kh * kw];
    for (int q = 0; q < o; q++) {
      for (int[] tap : t.order()) {
        float s = 0;
        for (int b = 0; b < n; b++) {
          for (int i = 0; i < t.oh(); i++) {
            for (int j = 0; j < t.ow(); j++) {
              int at = t.at(i, j, tap[1], tap[2]);
              float xv = at < 0 ? 0 : x[(b * c + tap[0]) * plane + at];
              s = Math.fma(dy[(b * o + q) * positions + i * t.ow() + j], xv, s);
            }
          }
        }
        dw[((q * c + tap[0]) * kh + tap[1]) * kw + tap[2]] = s;
      }
    }
    return dw;
  }

  /**
   * {@code dx[n, c, r, s]}: zero, plus, in the order of the output positions, each tap's chain over the filters
   * ({@code Σ_o dy[n, o, i, j]·w[o, c, a, b]}) that lands on it (none from the padding).
   */
  private static float[] backwardInput(Case t, float[] dy, float[] w) {
    int n = t.xShape()[0];
    int c = t.xShape()[1];
    int plane = t.xShape()[2] * t.xShape()[3];
    int o = t.wShape()[0];
    int kh = t.wShape()[2];
    int kw = t.wShape()[3];
    int positions = t.oh() * t.ow();
    float[] dx = new float[n * c * plane];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < t.oh(); i++) {
        for (int j = 0; j < t.ow(); j++) {
          for (int[] tap : t.order()) {
            int at = t.at(i, j, tap[1], tap[2]);
            if (at >= 0) {
              float s = 0;
              for (int q = 0; q < o; q++) {
                s = Math.fma(dy[(b * o + q) * positions + i * t.ow() + j],
                    w[((q * c + tap[0]) * kh + tap[1]) * kw + tap[2]], s);
              }
              dx[(b * c + tap[0]) * plane + at] += s;
            }
          }
        }
      }
    }
    return dx;
  }

  // ---- the same loops, f64 ----

  private static double[] forward(Case t, double[] x, double[] w) {
    int n = t.xShape()[0];
    int c = t.xShape()[1];
    int plane = t.xShape()[2] * t.xShape()[3];
    int o = t.wShape()[0];
    int kh = t.wShape()[2];
    int kw = t.wShape()[3];
    double[] y = new double[n * o * t.oh() * t.ow()];
    int e = 0;
    for (int b = 0; b < n; b++) {
      for (int q = 0; q < o; q++) {
        for (int i = 0; i < t.oh(); i++) {
          for (int j = 0; j < t.ow(); j++) {
            double s = 0;
            for (int[] tap : t.order()) {
              int at = t.at(i, j, tap[1], tap[2]);
              double xv = at < 0 ? 0 : x[(b * c + tap[0]) * plane + at];
              s = Math.fma(xv, w[((q * c + tap[0]) * kh + tap[1]) * kw + tap[2]], s);
            }
            y[e++] = s;
          }
        }
      }
    }
    return y;
  }

  private static double[] backwardFilter(Case t, double[] x, double[] dy) {
    int n = t.xShape()[0];
    int c = t.xShape()[1];
    int plane = t.xShape()[2] * t.xShape()[3];
    int o = t.wShape()[0];
    int kh = t.wShape()[2];
    int kw = t.wShape()[3];
    int positions = t.oh() * t.ow();
    double[] dw = new double[o * c * kh * kw];
    for (int q = 0; q < o; q++) {
      for (int[] tap : t.order()) {
        double s = 0;
        for (int b = 0; b < n; b++) {
          for (int i = 0; i < t.oh(); i++) {
            for (int j = 0; j < t.ow(); j++) {
              int at = t.at(i, j, tap[1], tap[2]);
              double xv = at < 0 ? 0 : x[(b * c + tap[0]) * plane + at];
              s = Math.fma(dy[(b * o + q) * positions + i * t.ow() + j], xv, s);
            }
          }
        }
        dw[((q * c + tap[0]) * kh + tap[1]) * kw + tap[2]] = s;
      }
    }
    return dw;
  }

  private static double[] backwardInput(Case t, double[] dy, double[] w) {
    int n = t.xShape()[0];
    int c = t.xShape()[1];
    int plane = t.xShape()[2] * t.xShape()[3];
    int o = t.wShape()[0];
    int kh = t.wShape()[2];
    int kw = t.wShape()[3];
    int positions = t.oh() * t.ow();
    double[] dx = new double[n * c * plane];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < t.oh(); i++) {
        for (int j = 0; j < t.ow(); j++) {
          for (int[] tap : t.order()) {
            int at = t.at(i, j, tap[1], tap[2]);
            if (at >= 0) {
              double s = 0;
              for (int q = 0; q < o; q++) {
                s = Math.fma(dy[(b * o + q) * positions + i * t.ow() + j],
                    w[((q * c + tap[0]) * kh + tap[1]) * kw + tap[2]], s);
              }
              dx[(b * c + tap[0]) * plane + at] += s;
            }
          }
        }
      }
    }
    return dx;
  }
}
