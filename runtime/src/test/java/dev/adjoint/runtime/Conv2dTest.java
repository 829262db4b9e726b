package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Conv2d#forward} (im2col and the matrix kernels) against the definition of a convolution, written as
 * plainly as possible, on seeded random shapes: odd sizes, strides, paddings as large as the window and beyond,
 * dilations; few channels and many (the two loop orders of im2col); f64 and f32. The gradients are the adjoints of
 * the convolution: {@code <dy, conv(x, w)> = <backwardInput(dy, w), x> = <backwardFilter(x, dy), w>}.
 */
class Conv2dTest {
  static LongStream seeds() {
    return LongStream.rangeClosed(1, 40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void im2colAndAProductAreTheDefinition(long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(2);
    int c = r.nextBoolean() ? 1 + r.nextInt(3) : 8 + r.nextInt(3);   // both loop orders of im2col
    int h = 1 + r.nextInt(7);
    int wd = 1 + r.nextInt(7);
    int o = 1 + r.nextInt(3);
    int kh = 1 + r.nextInt(3);
    int kw = 1 + r.nextInt(3);
    int[] steps = {1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(4), r.nextInt(4), 1 + r.nextInt(3),
        1 + r.nextInt(3)};
    int oh = Conv2d.outputSize(h, kh, steps[0], steps[2], steps[4]);
    int ow = Conv2d.outputSize(wd, kw, steps[1], steps[3], steps[5]);
    if (oh <= 0 || ow <= 0) {
      return;                                       // the window does not fit: the shape rule refuses it
    }
    double[] x = new double[n * c * h * wd];
    double[] w = new double[o * c * kh * kw];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextDouble() * 2 - 1;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextDouble() * 2 - 1;
    }
    double[] y = new double[n * o * oh * ow];
    Conv2d.forward(x, new int[] {n, c, h, wd}, w, new int[] {o, c, kh, kw}, steps, y,
        new double[n * oh * ow * c * kh * kw], new double[n * oh * ow * o]);
    float[] xf = new float[x.length];
    float[] wf = new float[w.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    for (int i = 0; i < w.length; i++) {
      wf[i] = (float) w[i];
    }
    float[] yf = new float[y.length];
    Conv2d.forward(xf, new int[] {n, c, h, wd}, wf, new int[] {o, c, kh, kw}, steps, yf,
        new float[n * oh * ow * c * kh * kw], new float[n * oh * ow * o]);
    int k = 0;
    for (int b = 0; b < n; b++) {
      for (int q = 0; q < o; q++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++, k++) {
            double want = 0;
            for (int ch = 0; ch < c; ch++) {
              for (int a = 0; a < kh; a++) {
                for (int e = 0; e < kw; e++) {
                  int row = i * steps[0] - steps[2] + a * steps[4];
                  int col = j * steps[1] - steps[3] + e * steps[5];
                  if (row >= 0 && row < h && col >= 0 && col < wd) {
                    want += x[((b * c + ch) * h + row) * wd + col] * w[((q * c + ch) * kh + a) * kw + e];
                  }
                }
              }
            }
            assertEquals(want, y[k], 1e-12, "f64 y[" + k + "]");
            assertEquals(want, yf[k], 1e-5, "f32 y[" + k + "]");
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theGradientsAreTheAdjointsOfTheConvolution(long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(3);
    int c = r.nextBoolean() ? 1 + r.nextInt(3) : 8 + r.nextInt(3);
    int h = 1 + r.nextInt(6);
    int wd = 1 + r.nextInt(6);
    int o = 1 + r.nextInt(3);
    int kh = 1 + r.nextInt(3);
    int kw = 1 + r.nextInt(3);
    int[] steps = {1 + r.nextInt(2), 1 + r.nextInt(2), r.nextInt(3), r.nextInt(3), 1 + r.nextInt(2),
        1 + r.nextInt(2)};
    int oh = Conv2d.outputSize(h, kh, steps[0], steps[2], steps[4]);
    int ow = Conv2d.outputSize(wd, kw, steps[1], steps[3], steps[5]);
    if (oh <= 0 || ow <= 0) {
      return;
    }
    int[] xShape = {n, c, h, wd};
    int[] wShape = {o, c, kh, kw};
    double[] x = random(r, n * c * h * wd);
    double[] w = random(r, o * c * kh * kw);
    double[] dy = random(r, n * o * oh * ow);
    double[] columns = new double[n * oh * ow * c * kh * kw];
    double[] products = new double[n * oh * ow * o];
    double[] y = new double[dy.length];
    Conv2d.forward(x, xShape, w, wShape, steps, y, columns, products);
    double[] dx = new double[x.length];
    Conv2d.backwardInput(dy, w, wShape, steps, dx, xShape, columns, products);
    double[] dw = new double[w.length];
    Conv2d.backwardFilter(x, xShape, dy, steps, dw, wShape, columns, products);
    double want = dot(dy, y);
    assertEquals(want, dot(dx, x), 1e-10 * (1 + Math.abs(want)), "<dx, x>");
    assertEquals(want, dot(dw, w), 1e-10 * (1 + Math.abs(want)), "<dw, w>");
  }

  private static double[] random(Random r, int size) {
    double[] a = new double[size];
    for (int i = 0; i < size; i++) {
      a[i] = r.nextDouble() * 2 - 1;
    }
    return a;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
