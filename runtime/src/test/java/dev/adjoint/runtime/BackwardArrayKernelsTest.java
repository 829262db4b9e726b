package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The array kernels the generated backward pass calls instead of its own loops: relu's mask
 * ({@link ArrayMath#wherePositive}) on both implementations, and the sums over rows of a bias gradient
 * ({@link ArrayMath#columnSums}), each against the loop the emitter wrote before, bit for bit (for the sums, NaNs
 * with any payload count as one): special values (±0, ±∞, NaN, subnormals) included, lengths either side of every
 * vector width, in place, f32 and f64.
 */
class BackwardArrayKernelsTest {

  private static final float[] SPECIAL_F = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00001), Float.MAX_VALUE};
  private static final double[] SPECIAL_D = {0d, -0d, 1d, -1d, Double.MIN_VALUE, -Double.MIN_VALUE,
    Double.MIN_NORMAL, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
    Double.longBitsToDouble(0xfff8000000000001L), Double.MAX_VALUE};

  /** Values where a quarter are special, the rest uniform in [-1, 1). */
  private static float[] floats(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(4) == 0 ? SPECIAL_F[r.nextInt(SPECIAL_F.length)] : (float) r.nextDouble(-1, 1);
    }
    return v;
  }

  private static double[] doubles(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(4) == 0 ? SPECIAL_D[r.nextInt(SPECIAL_D.length)] : r.nextDouble(-1, 1);
    }
    return v;
  }

  /** The raw bits of each element, so that arrays compare bit for bit. */
  static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  /** The raw bits of each element, so that arrays compare bit for bit. */
  static long[] bits(double[] v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Double.doubleToRawLongBits(v[i]);
    }
    return b;
  }

  @ParameterizedTest(name = "n={0}")
  @CsvSource({"0", "1", "7", "8", "15", "16", "17", "31", "33", "64", "100", "1000", "65536"})
  void wherePositiveGivesTheBitsOfTheGeneratedLoopOnBothImplementations(int n) {
    SplittableRandom r = new SplittableRandom(n + 11L);
    float[] x = floats(r, n);
    float[] a = floats(r, n);
    double[] xd = doubles(r, n);
    double[] ad = doubles(r, n);
    float[] want = new float[n];
    double[] wantD = new double[n];
    for (int i = 0; i < n; i++) {
      want[i] = FastMath.where(x[i] > 0.0f, a[i], 0.0f);    // the loop the emitter writes without the kernel
      wantD[i] = FastMath.where(xd[i] > 0.0, ad[i], 0.0);
    }
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      float[] y = new float[n];
      impl.wherePositive(x, 0, a, 0, y, 0, n);
      assertArrayEquals(bits(want), bits(y), impl.name());
      double[] yd = new double[n];
      impl.wherePositive(xd, 0, ad, 0, yd, 0, n);
      assertArrayEquals(bits(wantD), bits(yd), impl.name() + " f64");
      // in place, over either operand
      float[] inA = a.clone();
      impl.wherePositive(x, 0, inA, 0, inA, 0, n);
      assertArrayEquals(bits(want), bits(inA), impl.name() + " in place of a");
      float[] inX = x.clone();
      impl.wherePositive(inX, 0, a, 0, inX, 0, n);
      assertArrayEquals(bits(want), bits(inX), impl.name() + " in place of x");
      // at offsets
      if (n > 3) {
        float[] shifted = new float[n + 5];
        impl.wherePositive(x, 1, a, 2, shifted, 5, n - 3);
        for (int i = 0; i < n - 3; i++) {
          assertEquals(Float.floatToRawIntBits(FastMath.where(x[1 + i] > 0, a[2 + i], 0)),
              Float.floatToRawIntBits(shifted[5 + i]), impl.name() + " at offsets, element " + i);
        }
      }
    }
    float[] y = new float[n];
    ArrayMath.wherePositive(x, a, y);
    assertArrayEquals(bits(want), bits(y), "ArrayMath");
    double[] yd = new double[n];
    ArrayMath.wherePositive(xd, ad, yd);
    assertArrayEquals(bits(wantD), bits(yd), "ArrayMath f64");
  }

  @ParameterizedTest(name = "{0} x {1}")
  @CsvSource({"0, 5", "5, 0", "1, 1", "3, 10", "128, 10", "7, 31", "7, 32", "9, 33", "128, 512", "33, 100",
    "1, 1000", "300, 47"})
  void columnSumsAddEachColumnInRowOrderAsTheGeneratedLoopDid(int rows, int cols) {
    SplittableRandom r = new SplittableRandom(31L * rows + cols);
    float[] x = floats(r, rows * cols);
    double[] xd = doubles(r, rows * cols);
    float[] want = new float[cols];
    double[] wantD = new double[cols];
    for (int i = 0; i < rows; i++) {                       // the loop the emitter writes without the kernel
      for (int j = 0; j < cols; j++) {
        want[j] += x[i * cols + j];
        wantD[j] += xd[i * cols + j];
      }
    }
    // Bits compared with every NaN as one: which of two NaNs an addition returns depends on the order of its
    // operands in the machine instruction, which the JIT chooses (for the generated loop as well).
    float[] y = new float[cols];
    java.util.Arrays.fill(y, 7f);                          // overwritten, not added to
    ArrayMath.columnSums(x, rows, cols, y);
    assertArrayEquals(want, y);
    double[] yd = new double[cols];
    java.util.Arrays.fill(yd, 7);
    ArrayMath.columnSums(xd, rows, cols, yd);
    assertArrayEquals(wantD, yd);
  }

  @ParameterizedTest(name = "{0} x {1} x {2}")
  @CsvSource({"0, 4, 5", "3, 0, 5", "2, 3, 0", "1, 1, 1", "32, 16, 64", "5, 7, 9", "3, 5, 64", "2, 8, 1",
    "4, 13, 33", "1, 4, 1000"})
  void channelSumsAddEachRunInOrderAsTheGeneratedLoopDid(int outer, int channels, int inner) {
    SplittableRandom r = new SplittableRandom(97L * outer + 13L * channels + inner);
    float[] x = floats(r, outer * channels * inner);
    double[] xd = doubles(r, outer * channels * inner);
    float[] want = new float[channels];
    double[] wantD = new double[channels];
    for (int o = 0; o < outer; o++) {                       // the loop the emitter writes without the kernel
      for (int c = 0; c < channels; c++) {
        int b = (o * channels + c) * inner;
        double s = 0;
        double sd = 0;
        for (int j = 0; j < inner; j++) {
          s += x[b + j];
          sd += xd[b + j];
        }
        want[c] += (float) s;
        wantD[c] += sd;
      }
    }
    float[] y = new float[channels];
    java.util.Arrays.fill(y, 7f);                           // overwritten, not added to
    ArrayMath.channelSums(x, outer, channels, inner, y);
    assertArrayEquals(want, y);                             // NaNs as one, as for columnSums above
    double[] yd = new double[channels];
    java.util.Arrays.fill(yd, 7);
    ArrayMath.channelSums(xd, outer, channels, inner, yd);
    assertArrayEquals(wantD, yd);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ArrayMath.channelSums(new float[outer * channels * inner + 1], outer, channels, inner,
            new float[channels]));
    assertTrue(e.getMessage().startsWith("channelSums: " + outer + " x " + channels + " x " + inner
        + " does not fit arrays of "), e.getMessage());
  }

  @Test
  void aColumnOfNegativeZerosSumsToPositiveZeroAsTheLoopStartingFromZeroDoes() {
    float[] y = {5f, 5f};
    ArrayMath.columnSums(new float[] {-0f, 1f, -0f, 2f}, 2, 2, y);
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(y[0]));
    assertEquals(3f, y[1]);
  }

  @Test
  void sizesThatDoNotFitAreRejectedWithTheirNumbers() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ArrayMath.columnSums(new float[6], 2, 4, new float[4]));
    assertEquals("columnSums: 2 x 4 does not fit arrays of 6 and 4", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ArrayMath.wherePositive(new float[4], new float[3], new float[4]));
    assertTrue(e.getMessage().startsWith("wherePositive: "), e.getMessage());
  }
}
