package dev.adjoint.bench;

import dev.adjoint.runtime.Conv2d;
import dev.adjoint.runtime.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code f32} convolution, stride 1, padding 1, 3x3 filters: the runtime's {@link Conv2d} (im2col and the matrix
 * kernels) against a direct loop over the taps ({@link #directForward} and its two gradients below, written so
 * that the innermost loop runs along a row of the image and the JIT vectorizes it). A shape is
 * {@code NxCxHxW:O}. {@code forward} is {@code y = conv2d(x, w)}; {@code step} is the forward, the input gradient
 * and the filter gradient, as in a training step. One thread.
 *
 * <pre>
 * mvn -B -o -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar Conv2dBench
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Conv2dBench {
  /** The two layers of samples/models/digits_conv.model at batch 32, and an MNIST-sized layer. */
  @Param({"32x1x8x8:32", "32x32x4x4:32", "32x16x28x28:32"})
  public String shape;

  private static final int[] STEPS = {1, 1, 1, 1, 1, 1};    // stride, padding, dilation
  private int[] xShape;
  private int[] wShape;
  private float[] x;
  private float[] w;
  private float[] y;
  private float[] dx;
  private float[] dw;
  private float[] columns;
  private float[] products;

  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = shape.split(":");
    String[] d = parts[0].split("x");
    xShape = new int[] {Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]),
        Integer.parseInt(d[3])};
    wShape = new int[] {Integer.parseInt(parts[1]), xShape[1], 3, 3};
    int positions = xShape[2] * xShape[3];                  // padding 1 keeps the size
    SplittableRandom r = new SplittableRandom(1);
    x = random(r, xShape[0] * xShape[1] * positions);
    w = random(r, wShape[0] * wShape[1] * 9);
    y = random(r, xShape[0] * wShape[0] * positions);
    dx = new float[x.length];
    dw = new float[w.length];
    columns = new float[xShape[0] * positions * xShape[1] * 9];
    products = new float[xShape[0] * positions * wShape[0]];
    System.out.println("kernels: " + Kernels.implementation() + ", threads " + Kernels.threads());
    im2colStep();
    float[] y1 = y.clone();
    float[] dx1 = dx.clone();
    float[] dw1 = dw.clone();
    directStep();
    agree("y", y1, y);
    agree("dx", dx1, dx);
    agree("dw", dw1, dw);
  }

  /** The two kernels compute the same thing (up to the order of the sums). */
  private static void agree(String what, float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-3f * Math.max(1f, Math.abs(a[i]))) {
        throw new IllegalStateException(what + "[" + i + "]: im2col " + a[i] + ", direct " + b[i]);
      }
    }
  }

  private static float[] random(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
    }
    return a;
  }

  @Benchmark
  public float[] im2colForward() {
    Conv2d.forward(x, xShape, w, wShape, STEPS, y, columns, products);
    return y;
  }

  @Benchmark
  public float[] directForward() {
    directForward(x, xShape, w, wShape, y);
    return y;
  }

  @Benchmark
  public float[] im2colStep() {
    Conv2d.forward(x, xShape, w, wShape, STEPS, y, columns, products);
    Conv2d.backwardInput(y, w, wShape, STEPS, dx, xShape, columns, products);
    Conv2d.backwardFilter(x, xShape, y, STEPS, dw, wShape, columns, products);
    return dw;
  }

  @Benchmark
  public float[] directStep() {
    directForward(x, xShape, w, wShape, y);
    directInputGrad(y, w, wShape, dx, xShape);
    directFilterGrad(x, xShape, y, dw, wShape);
    return dw;
  }

  /** The first and last output column {@code j} whose tap {@code b} lands inside a row of {@code width}. */
  private static int lo(int b) {
    return Math.max(0, 1 - b);
  }

  private static int hi(int b, int width) {
    return Math.min(width, width + 1 - b);
  }

  /** {@code y[n, o, i, j] = Σ x[n, c, i - 1 + a, j - 1 + b] · w[o, c, a, b]} (stride 1, padding 1, 3x3). */
  static void directForward(float[] x, int[] xs, float[] w, int[] ws, float[] y) {
    int channels = xs[1];
    int height = xs[2];
    int width = xs[3];
    int plane = height * width;
    java.util.Arrays.fill(y, 0f);
    for (int n = 0; n < xs[0]; n++) {
      for (int o = 0; o < ws[0]; o++) {
        int yo = (n * ws[0] + o) * plane;
        for (int c = 0; c < channels; c++) {
          int xo = (n * channels + c) * plane;
          for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
              float k = w[((o * channels + c) * 3 + a) * 3 + b];
              int j0 = lo(b);
              int j1 = hi(b, width);
              for (int i = Math.max(0, 1 - a); i < Math.min(height, height + 1 - a); i++) {
                int yr = yo + i * width;
                int xr = xo + (i - 1 + a) * width - 1 + b;
                for (int j = j0; j < j1; j++) {
                  y[yr + j] += k * x[xr + j];
                }
              }
            }
          }
        }
      }
    }
  }

  /** {@code dx[n, c, r, s] = Σ dy[n, o, i, j] · w[o, c, a, b]} over the taps that read {@code x[n, c, r, s]}. */
  static void directInputGrad(float[] dy, float[] w, int[] ws, float[] dx, int[] xs) {
    int channels = xs[1];
    int height = xs[2];
    int width = xs[3];
    int plane = height * width;
    java.util.Arrays.fill(dx, 0f);
    for (int n = 0; n < xs[0]; n++) {
      for (int o = 0; o < ws[0]; o++) {
        int yo = (n * ws[0] + o) * plane;
        for (int c = 0; c < channels; c++) {
          int xo = (n * channels + c) * plane;
          for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
              float k = w[((o * channels + c) * 3 + a) * 3 + b];
              int j0 = lo(b);
              int j1 = hi(b, width);
              for (int i = Math.max(0, 1 - a); i < Math.min(height, height + 1 - a); i++) {
                int yr = yo + i * width;
                int xr = xo + (i - 1 + a) * width - 1 + b;
                for (int j = j0; j < j1; j++) {
                  dx[xr + j] += k * dy[yr + j];
                }
              }
            }
          }
        }
      }
    }
  }

  /** {@code dw[o, c, a, b] = Σ dy[n, o, i, j] · x[n, c, i - 1 + a, j - 1 + b]}. */
  static void directFilterGrad(float[] x, int[] xs, float[] dy, float[] dw, int[] ws) {
    int channels = xs[1];
    int height = xs[2];
    int width = xs[3];
    int plane = height * width;
    java.util.Arrays.fill(dw, 0f);
    for (int n = 0; n < xs[0]; n++) {
      for (int o = 0; o < ws[0]; o++) {
        int yo = (n * ws[0] + o) * plane;
        for (int c = 0; c < channels; c++) {
          int xo = (n * channels + c) * plane;
          for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
              int j0 = lo(b);
              int j1 = hi(b, width);
              float s = 0f;
              for (int i = Math.max(0, 1 - a); i < Math.min(height, height + 1 - a); i++) {
                int yr = yo + i * width;
                int xr = xo + (i - 1 + a) * width - 1 + b;
                for (int j = j0; j < j1; j++) {
                  s += dy[yr + j] * x[xr + j];
                }
              }
              dw[((o * channels + c) * 3 + a) * 3 + b] += s;
            }
          }
        }
      }
    }
  }
}
