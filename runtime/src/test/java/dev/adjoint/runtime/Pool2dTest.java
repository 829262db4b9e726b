package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Pool2d#maxForward} and {@link Pool2d#maxBackward} (loops over blocks of planes, a search for the first
 * element equal to the maximum) against the rule written plainly: the first maximal element of each window in
 * row-major order, the last NaN when there is one, the gradient summed where windows overlap. Seeded random shapes,
 * windows, strides and paddings; values from a small set so that windows have ties, with infinities, both zeros and
 * sometimes a NaN. And the running maximum both kernel implementations give it ({@link KernelImpl#maxInto}): the bits
 * of {@link Math#max}, the sign of a zero included, where NaNs of any payload count as one ({@code Math.max} itself
 * does not keep a payload the same way in the interpreter and in C2).
 */
class Pool2dTest {
  private static final double[] VALUES = {-2, -1, -0.0, 0.0, 1, 3, Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY};

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 60);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void maxPoolingFollowsTheRuleOfTheFirstMaximum(long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(3);
    int c = 1 + r.nextInt(r.nextBoolean() ? 40 : 400);      // up to 1,200 planes: several blocks, the last one short
    int h = 1 + r.nextInt(9);
    int wd = 1 + r.nextInt(9);
    int kh = 1 + r.nextInt(Math.min(h, 3));
    int kw = 1 + r.nextInt(Math.min(wd, 3));
    int[] window = {kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1)};
    int oh = (h + 2 * window[4] - kh) / window[2] + 1;
    int ow = (wd + 2 * window[5] - kw) / window[3] + 1;
    int[] xShape = {n, c, h, wd};
    double[] x = new double[n * c * h * wd];
    for (int i = 0; i < x.length; i++) {
      x[i] = VALUES[r.nextInt(VALUES.length)];
    }
    if (r.nextInt(4) == 0) {
      x[r.nextInt(x.length)] = Double.NaN;
    }
    double[] dy = new double[n * c * oh * ow];
    for (int i = 0; i < dy.length; i++) {
      dy[i] = 1 + r.nextInt(1000);
    }
    double[] y = new double[dy.length];
    Pool2d.maxForward(x, xShape, window, y);
    double[] dx = new double[x.length];
    Pool2d.maxBackward(x, xShape, y, dy, window, dx);
    double[] wantDx = new double[x.length];
    for (int p = 0, yi = 0; p < n * c; p++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++, yi++) {
          int best = -1;
          for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
              int row = i * window[2] - window[4] + a;
              int col = j * window[3] - window[5] + b;
              if (row < 0 || row >= h || col < 0 || col >= wd) {
                continue;
              }
              int at = (p * h + row) * wd + col;
              if (best < 0 || x[at] > x[best] || Double.isNaN(x[at])) {
                best = at;
              }
            }
          }
          assertEquals(x[best], y[yi], 0, "y[" + yi + "]");    // 0 == -0: the sign of a zero is not checked
          wantDx[best] += dy[yi];
        }
      }
    }
    for (int i = 0; i < x.length; i++) {
      assertEquals(wantDx[i], dx[i], 0, "dx[" + i + "]");
    }
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    float[] yf = new float[y.length];
    Pool2d.maxForward(xf, xShape, window, yf);
    for (int i = 0; i < y.length; i++) {
      assertEquals(y[i], yf[i], 0, "f32 y[" + i + "]");
    }
  }

  /** Ties everywhere: few values, both zeros. */
  private static final float[] TIES = {0f, -0f, 0f, 1f, 1f, 2f, 3f, -1f};

  /**
   * {@link Pool2d#maxForward} and {@link Pool2d#maxBackward} on 2×2 windows of stride 2 without padding (the paths
   * of {@link KernelImpl#maxPool2x2} and the gradient's 2×2 routine), in both precisions, bit for bit
   * against the rule: {@code y} as {@link Math#max} in window order (a NaN as any NaN), {@code 0 + dy} at
   * the first maximal element of each window, the last NaN where there is one, zero elsewhere (also in the last row
   * of an odd height). Widths that are and are not a whole number of vectors, many planes, several NaNs, {@code dy}
   * of both zeros; {@code dx} starts as garbage.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twoByTwoPoolingAndGradientAreTheRuleBitForBit(long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(4);
    int c = 1 + r.nextInt(r.nextBoolean() ? 8 : 100);
    int h = 2 + r.nextInt(10);
    int wd = 2 * (1 + r.nextInt(r.nextBoolean() ? 4 : 12));
    int[] xShape = {n, c, h, wd};
    int[] window = {2, 2, 2, 2, 0, 0};
    int oh = h / 2;
    int ow = wd / 2;
    float[] x = new float[n * c * h * wd];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(5) == 0 ? r.nextInt(100) / 8f : TIES[r.nextInt(TIES.length)];
    }
    for (int k = r.nextInt(3) == 0 ? 1 + r.nextInt(6) : 0; k > 0; k--) {
      x[r.nextInt(x.length)] = Float.NaN;
    }
    float[] dy = new float[n * c * oh * ow];
    for (int i = 0; i < dy.length; i++) {
      dy[i] = r.nextInt(6) == 0 ? -0f : (r.nextInt(200) - 100) / 4f;
    }
    float[] y = new float[dy.length];
    Pool2d.maxForward(x, xShape, window, y);
    float[] dx = new float[x.length];
    java.util.Arrays.fill(dx, 42f);
    Pool2d.maxBackward(x, xShape, y, dy, window, dx);
    float[] want = new float[x.length];
    float[] wantY = new float[y.length];
    for (int p = 0, yi = 0; p < n * c; p++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++, yi++) {
          int top = (p * h + 2 * i) * wd + 2 * j;
          int best = firstMaximum(x, top, top + 1, top + wd, top + wd + 1);
          want[best] = 0f + dy[yi];
          wantY[yi] = Math.max(Math.max(Math.max(x[top], x[top + 1]), x[top + wd]), x[top + wd + 1]);
        }
      }
    }
    assertArrayEquals(bits(wantY), bits(y), "y");
    assertArrayEquals(bits(want), bits(dx));

    double[] xd = new double[x.length];
    double[] dyd = new double[dy.length];
    for (int i = 0; i < x.length; i++) {
      xd[i] = x[i];
    }
    for (int i = 0; i < dy.length; i++) {
      dyd[i] = dy[i];
    }
    double[] yd = new double[dy.length];
    Pool2d.maxForward(xd, xShape, window, yd);
    for (int i = 0; i < y.length; i++) {
      assertEquals(bits(wantY)[i], bits(new float[] {(float) yd[i]})[0], "f64 y[" + i + "]");
    }
    double[] dxd = new double[x.length];
    java.util.Arrays.fill(dxd, 42d);
    Pool2d.maxBackward(xd, xShape, yd, dyd, window, dxd);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits((float) dxd[i]), "f64 dx[" + i + "]");
    }
  }

  /**
   * Both implementations of {@link KernelImpl#maxPool2x2}, and the gradient's 2×2 routine, against the rule, at
   * offsets in longer arrays (whose other elements they must leave alone), with {@code y} ending where the
   * last window's maximum is (the vector ones may not read or write a whole vector there).
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twoByTwoKernelsFollowTheRuleAtOffsets(long seed) {
    Random r = new Random(seed + 1000);
    int pairs = 1 + r.nextInt(20);
    int wd = 2 * (1 + r.nextInt(20));
    int xo = r.nextInt(5);
    int yo = r.nextInt(5);
    float[] x = new float[xo + 2 * pairs * wd + r.nextInt(5)];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(40) == 0 ? Float.NaN : TIES[r.nextInt(TIES.length)];
    }
    float[] y = new float[yo + pairs * wd / 2];
    java.util.Arrays.fill(y, 42f);
    float[] dy = new float[y.length];
    float[] want = new float[x.length];
    java.util.Arrays.fill(want, 42f);
    for (int q = 0; q < pairs; q++) {
      for (int j = 0; j < wd / 2; j++) {
        int top = xo + 2 * q * wd + 2 * j;
        int yi = yo + q * wd / 2 + j;
        int best = firstMaximum(x, top, top + 1, top + wd, top + wd + 1);
        y[yi] = Math.max(Math.max(x[top], x[top + 1]), Math.max(x[top + wd], x[top + wd + 1]));
        dy[yi] = r.nextInt(6) == 0 ? -0f : 1 + r.nextInt(9);
        want[top] = 0f;
        want[top + 1] = 0f;
        want[top + wd] = 0f;
        want[top + wd + 1] = 0f;
        want[best] = 0f + dy[yi];
      }
    }
    float[] dx = new float[x.length];
    java.util.Arrays.fill(dx, 42f);
    for (int q = 0; q < pairs; q++) {
      int t = xo + 2 * q * wd;
      Pool2d.max2x2Backward(x, t, t + wd, y, dy, yo + q * wd / 2, dx, wd / 2);
    }
    assertArrayEquals(bits(want), bits(dx), "dx");
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      float[] got = new float[y.length];
      java.util.Arrays.fill(got, 42f);
      impl.maxPool2x2(x, xo, got, yo, pairs, wd);
      assertArrayEquals(bits(y), bits(got), impl.name() + " y");
    }
  }

  /** The first of the elements at {@code at} (window order) that is maximal, the last NaN where there is one. */
  private static int firstMaximum(float[] x, int... at) {
    int best = at[0];
    for (int e : at) {
      if (x[e] > x[best] || Float.isNaN(x[e])) {
        best = e;
      }
    }
    return best;
  }

  /** The bits of each element, every NaN as {@link Float#NaN} (pooling keeps no payload the same way). */
  private static int[] bits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToIntBits(v[i]);
    }
    return out;
  }

  private static final float[] SPECIAL_F = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00001),
      Float.intBitsToFloat(0x7f800001), Float.MAX_VALUE};
  private static final double[] SPECIAL_D = {0d, -0d, 1d, -1d, Double.MIN_VALUE, -Double.MIN_VALUE,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0xfff8000000000001L),
      Double.longBitsToDouble(0x7ff0000000000001L), Double.MAX_VALUE};

  @ParameterizedTest(name = "n={0}")
  @CsvSource({"0", "1", "7", "8", "15", "16", "17", "31", "33", "64", "100", "1000"})
  void maxIntoIsMathMaxBitForBitOnBothImplementations(int n) {
    Random r = new Random(n + 5L);
    float[] y = new float[n + 3];
    float[] x = new float[n + 2];
    double[] yd = new double[n + 3];
    double[] xd = new double[n + 2];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(3) == 0 ? SPECIAL_F[r.nextInt(SPECIAL_F.length)] : r.nextFloat() * 2 - 1;
      yd[i] = r.nextInt(3) == 0 ? SPECIAL_D[r.nextInt(SPECIAL_D.length)] : r.nextDouble() * 2 - 1;
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(3) == 0 ? SPECIAL_F[r.nextInt(SPECIAL_F.length)] : r.nextFloat() * 2 - 1;
      xd[i] = r.nextInt(3) == 0 ? SPECIAL_D[r.nextInt(SPECIAL_D.length)] : r.nextDouble() * 2 - 1;
    }
    int[] want = new int[y.length];
    long[] wantD = new long[yd.length];
    for (int i = 0; i < y.length; i++) {
      boolean in = i >= 3;                                 // y from offset 3, x from offset 2: n elements each
      want[i] = Float.floatToIntBits(in ? Math.max(y[i], x[i - 1]) : y[i]);
      wantD[i] = Double.doubleToLongBits(in ? Math.max(yd[i], xd[i - 1]) : yd[i]);
    }
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      float[] got = java.util.Arrays.copyOf(y, y.length);
      impl.maxInto(got, 3, x, 2, n);
      int[] gotBits = new int[got.length];
      for (int i = 0; i < got.length; i++) {
        gotBits[i] = Float.floatToIntBits(got[i]);
      }
      assertArrayEquals(want, gotBits, impl.name());
      double[] gotD = java.util.Arrays.copyOf(yd, yd.length);
      impl.maxInto(gotD, 3, xd, 2, n);
      long[] gotDBits = new long[gotD.length];
      for (int i = 0; i < gotD.length; i++) {
        gotDBits[i] = Double.doubleToLongBits(gotD[i]);
      }
      assertArrayEquals(wantD, gotDBits, impl.name() + " f64");
    }
  }
}
