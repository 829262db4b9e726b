package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FastMath} against {@link StrictMath}: the documented error bounds in ulps over wide ranges
 * (a regular sample of every {@code f32} bit pattern, and random {@code f64} values spread over many
 * binades and around ±100), the special values, and {@link ArrayMath} on both kernel implementations
 * giving exactly {@code FastMath}'s bits.
 */
class FastMathTest {

  /** A function under test: its name, f32 and f64 forms, reference and documented bounds. */
  private record Fn(String name, FloatOp f32, DoubleUnaryOperator f64, DoubleUnaryOperator reference,
      double ulpsF32, double ulpsF64) {}

  private interface FloatOp {
    float apply(float x);
  }

  private static final Fn[] FUNCTIONS = {
    new Fn("exp", FastMath::exp, FastMath::exp, StrictMath::exp, 1, 1),
    new Fn("log", FastMath::log, FastMath::log, StrictMath::log, 1, 1),
    new Fn("tanh", FastMath::tanh, FastMath::tanh, StrictMath::tanh, 2, 4),
    new Fn("sigmoid", FastMath::sigmoid, FastMath::sigmoid, FastMathTest::sigmoid, 3, 2),
  };

  /** The reference sigmoid, in the form that does not overflow for large negative x. */
  private static double sigmoid(double x) {
    return x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
  }

  private static Fn fn(String name) {
    for (Fn f : FUNCTIONS) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** Error of {@code got} in ulps of the reference rounded to float. */
  private static double ulpsF32(float got, double reference) {
    float ref = (float) reference;
    if (Float.isNaN(ref) || Float.isNaN(got)) {
      return Float.isNaN(ref) == Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Float.isInfinite(ref) || Float.isInfinite(got)) {
      return ref == got ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs((double) got - reference) / Math.ulp(ref);
  }

  private static double ulpsF64(double got, double ref) {
    if (Double.isNaN(ref) || Double.isNaN(got)) {
      return Double.isNaN(ref) == Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Double.isInfinite(ref) || Double.isInfinite(got)) {
      return ref == got ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(got - ref) / Math.ulp(ref);
  }

  @ParameterizedTest
  @ValueSource(strings = {"exp", "log", "tanh", "sigmoid"})
  void f32WithinItsBoundOverASampleOfEveryBitPattern(String name) {
    Fn f = fn(name);
    double worst = 0;
    float worstAt = 0;
    // Every 1021st bit pattern: all signs, binades, subnormals, infinities and NaNs.
    for (long bits = 0; bits <= 0xffffffffL; bits += 1021) {
      float x = Float.intBitsToFloat((int) bits);
      double e = ulpsF32(f.f32().apply(x), f.reference().applyAsDouble(x));
      if (e > worst) {
        worst = e;
        worstAt = x;
      }
    }
    // Densely around 0 and ±100.
    for (float x = -110f; x <= 110f; x += 0.0009765625f) {
      double e = ulpsF32(f.f32().apply(x), f.reference().applyAsDouble(x));
      if (e > worst) {
        worst = e;
        worstAt = x;
      }
    }
    assertTrue(worst <= f.ulpsF32(), name + " f32: " + worst + " ulps at " + worstAt);
  }

  @ParameterizedTest
  @ValueSource(strings = {"exp", "log", "tanh", "sigmoid"})
  void f64WithinItsBoundOverRandomValuesOfEveryMagnitude(String name) {
    Fn f = fn(name);
    SplittableRandom r = new SplittableRandom(name.hashCode());
    double worst = 0;
    double worstAt = 0;
    for (int i = 0; i < 600_000; i++) {
      double x = switch (i % 4) {
        case 0 -> r.nextDouble(-110, 110);
        case 1 -> r.nextDouble(-1, 1);
        case 2 -> Math.scalb(r.nextDouble(1, 2), r.nextInt(-1080, 1024)) * (r.nextBoolean() ? 1 : -1);
        default -> Double.longBitsToDouble(r.nextLong());
      };
      double e = ulpsF64(f.f64().applyAsDouble(x), f.reference().applyAsDouble(x));
      if (e > worst) {
        worst = e;
        worstAt = x;
      }
    }
    assertTrue(worst <= f.ulpsF64(), name + " f64: " + worst + " ulps at " + worstAt);
  }

  @Test
  void specialValuesAreThoseOfMath() {
    double[] xs = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL / 3, 100, -100, 1000, -1000, 709.7, -745.1,
        88.7, -103.9, 1e300, -1e300};
    for (double x : xs) {
      float xf = (float) x;
      assertSame("exp", Math.exp(x), FastMath.exp(x), x);
      assertSame("log", Math.log(x), FastMath.log(x), x);
      assertSame("tanh", Math.tanh(x), FastMath.tanh(x), x);
      assertSame("exp f32", (float) Math.exp(xf), FastMath.exp(xf), xf);
      assertSame("log f32", (float) Math.log(xf), FastMath.log(xf), xf);
      assertSame("tanh f32", (float) Math.tanh(xf), FastMath.tanh(xf), xf);
    }
    assertEquals(0.0, FastMath.sigmoid(Double.NEGATIVE_INFINITY));
    assertEquals(1.0, FastMath.sigmoid(Double.POSITIVE_INFINITY));
    assertEquals(0.5, FastMath.sigmoid(-0.0));
    assertTrue(Double.isNaN(FastMath.sigmoid(Double.NaN)));
    assertEquals(Math.exp(-100) / (1 + Math.exp(-100)), FastMath.sigmoid(-100.0), 1e-57);
    assertEquals(1.0, FastMath.sigmoid(100.0));
    assertEquals(0f, FastMath.sigmoid(Float.NEGATIVE_INFINITY));
    assertEquals(1f, FastMath.sigmoid(Float.POSITIVE_INFINITY));
    assertEquals((float) Math.exp(-100), FastMath.sigmoid(-100f), 1e-45f);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(FastMath.tanh(-0.0)));
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(FastMath.tanh(-0.0f)));
  }

  /**
   * {@code f32} {@code tanh} over every {@code float} from {@code 2^-12} (below it {@code tanh x} rounds to
   * {@code x}) to the clamp {@code FastMath.TANH_MAX_F}, {@code 1/stride} of them when {@code -Dadjoint.tanh.stride}
   * says so (default 1: all 127 million): the documented 2 ulps, never above 1 in magnitude, and exactly odd.
   * (The same check over every {@code float}, by a one-off program, gave at most 1.975 ulps: BENCHMARKS.md,
   * "A one-pass f32 tanh".)
   */
  @Test
  void f32TanhWithinTwoUlpsOverEveryValueOfItsBand() {
    int stride = Integer.getInteger("adjoint.tanh.stride", 1);
    int from = Float.floatToRawIntBits(0x1p-12f);
    int to = Float.floatToRawIntBits(FastMath.TANH_MAX_F);
    double worst = 0;
    float worstAt = 0;
    for (int bits = from; bits <= to; bits += stride) {
      float x = Float.intBitsToFloat(bits);
      float got = FastMath.tanh(x);
      double e = ulpsF32(got, StrictMath.tanh(x));
      if (e > worst || !(got <= 1f)) {
        worst = got <= 1f ? e : Double.POSITIVE_INFINITY;
        worstAt = x;
      }
      if (Float.floatToRawIntBits(FastMath.tanh(-x)) != (Float.floatToRawIntBits(got) ^ 0x80000000)) {
        throw new AssertionError("tanh(" + (-x) + ") is not -tanh(" + x + ")");
      }
    }
    assertTrue(worst <= 2, "tanh f32: " + worst + " ulps at " + worstAt);
  }

  /** {@code tanh}'s special values exactly, in {@code f32} and through both kernel implementations. */
  @Test
  void f32TanhSpecialValuesAreExact() {
    float[] xs = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 100f, -100f, 9.2f, -9.2f,
        9.5f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        -Float.MIN_NORMAL, 3e-39f, -3e-39f, 0x1p-13f, -0x1p-13f};
    float[] want = {Float.NaN, 1f, -1f, 0f, -0f, 1f, -1f, 1f, -1f, 1f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, 3e-39f, -3e-39f, 0x1p-13f, -0x1p-13f};
    for (int i = 0; i < xs.length; i++) {
      assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(FastMath.tanh(xs[i])), "tanh(" + xs[i] + "f)");
      assertEquals(Float.floatToIntBits((float) StrictMath.tanh(xs[i])), Float.floatToIntBits(want[i]),
          "StrictMath.tanh(" + xs[i] + "f)");
    }
    float[] x = new float[64];
    for (int i = 0; i < x.length; i++) {
      x[i] = xs[i % xs.length];
    }
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      float[] y = new float[x.length];
      impl.tanh(x, 0, y, 0, x.length);
      for (int i = 0; i < x.length; i++) {
        assertEquals(Float.floatToRawIntBits(FastMath.tanh(x[i])), Float.floatToRawIntBits(y[i]),
            impl.name() + " tanh(" + x[i] + "f)");
      }
    }
  }

  /** Equal values, or both NaN; a one-ulp difference is allowed away from the special cases. */
  private static void assertSame(String what, double want, double got, double x) {
    if (Double.isNaN(want) || Double.isInfinite(want) || want == 0) {
      assertEquals(want, got, 0.0, what + "(" + x + ")");
    } else {
      assertTrue(ulpsF64(got, want) <= 2, what + "(" + x + "): " + got + " vs " + want);
    }
  }

  private static void assertSame(String what, float want, float got, float x) {
    if (Float.isNaN(want) || Float.isInfinite(want) || want == 0) {
      assertEquals(want, got, 0.0f, what + "(" + x + ")");
    } else {
      assertTrue(ulpsF32(got, want) <= 2, what + "(" + x + "): " + got + " vs " + want);
    }
  }

  @Test
  void arrayKernelsOnBothImplementationsGiveFastMathsBits() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 1000;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = switch (i % 5) {
        case 0 -> r.nextDouble(-120, 120);
        case 1 -> r.nextDouble(-2, 2);
        case 2 -> Math.scalb(r.nextDouble(1, 2), r.nextInt(-1080, 1030));
        case 3 -> Double.longBitsToDouble(r.nextLong());
        default -> new double[] {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Float.MIN_VALUE}[r.nextInt(7)];
      };
    }
    float[] xf = MatMulKernelTest.toFloat(x);
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      for (int offset : new int[] {0, 3}) {
        int len = n - offset - 2;
        double[] y = new double[n];
        float[] yf = new float[n];
        for (String name : new String[] {"exp", "log", "tanh", "sigmoid"}) {
          apply(impl, name, x, offset, y, len);
          apply(impl, name, xf, offset, yf, len);
          Fn f = fn(name);
          for (int i = 0; i < len; i++) {
            double want = f.f64().applyAsDouble(x[offset + i]);
            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(y[1 + i]),
                impl.name() + " " + name + "(" + x[offset + i] + ")");
            float wantF = f.f32().apply(xf[offset + i]);
            assertEquals(Float.floatToIntBits(wantF), Float.floatToIntBits(yf[1 + i]),
                impl.name() + " " + name + "(" + xf[offset + i] + "f)");
          }
        }
      }
    }
  }

  /**
   * In place ({@code y} is {@code x}) and out of place, at lengths around the vector lengths (8 and 16 lanes of
   * 512 bits, 4 and 8 of 256), where the kernels switch between whole vectors, an overlapping last vector and
   * {@code FastMath} for the rest.
   */
  @Test
  void arrayKernelsInPlaceAndAtShortLengthsGiveFastMathsBits() {
    SplittableRandom r = new SplittableRandom(12);
    int[] lengths = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 33, 47, 48, 63, 64, 65, 100, 4096};
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      for (int len : lengths) {
        double[] x = r.doubles(len + 5, -30, 30).toArray();
        x[r.nextInt(x.length)] = -0.0;
        float[] xf = MatMulKernelTest.toFloat(x);
        for (String name : new String[] {"exp", "log", "tanh", "sigmoid"}) {
          Fn f = fn(name);
          double[] out = new double[x.length];
          float[] outF = new float[x.length];
          double[] in = x.clone();
          float[] inF = xf.clone();
          apply(impl, name, x, 2, out, len, 3);
          apply(impl, name, xf, 2, outF, len, 3);
          apply(impl, name, in, 2, in, len, 2);
          apply(impl, name, inF, 2, inF, len, 2);
          for (int i = 0; i < len; i++) {
            String what = impl.name() + " " + name + " of " + len + " at " + i;
            long want = Double.doubleToLongBits(f.f64().applyAsDouble(x[2 + i]));
            assertEquals(want, Double.doubleToLongBits(out[3 + i]), what);
            assertEquals(want, Double.doubleToLongBits(in[2 + i]), what + ", in place");
            int wantF = Float.floatToIntBits(f.f32().apply(xf[2 + i]));
            assertEquals(wantF, Float.floatToIntBits(outF[3 + i]), what + " (f32)");
            assertEquals(wantF, Float.floatToIntBits(inF[2 + i]), what + " (f32), in place");
          }
          assertEquals(x[1], in[1], "before the range");
          assertEquals(x[2 + len], in[2 + len], "after the range");
        }
      }
    }
  }

  private static void apply(KernelImpl impl, String name, double[] x, int xo, double[] y, int len, int yo) {
    switch (name) {
      case "exp" -> impl.exp(x, xo, y, yo, len);
      case "log" -> impl.log(x, xo, y, yo, len);
      case "tanh" -> impl.tanh(x, xo, y, yo, len);
      default -> impl.sigmoid(x, xo, y, yo, len);
    }
  }

  private static void apply(KernelImpl impl, String name, float[] x, int xo, float[] y, int len, int yo) {
    switch (name) {
      case "exp" -> impl.exp(x, xo, y, yo, len);
      case "log" -> impl.log(x, xo, y, yo, len);
      case "tanh" -> impl.tanh(x, xo, y, yo, len);
      default -> impl.sigmoid(x, xo, y, yo, len);
    }
  }

  private static void apply(KernelImpl impl, String name, double[] x, int offset, double[] y, int len) {
    switch (name) {
      case "exp" -> impl.exp(x, offset, y, 1, len);
      case "log" -> impl.log(x, offset, y, 1, len);
      case "tanh" -> impl.tanh(x, offset, y, 1, len);
      default -> impl.sigmoid(x, offset, y, 1, len);
    }
  }

  private static void apply(KernelImpl impl, String name, float[] x, int offset, float[] y, int len) {
    switch (name) {
      case "exp" -> impl.exp(x, offset, y, 1, len);
      case "log" -> impl.log(x, offset, y, 1, len);
      case "tanh" -> impl.tanh(x, offset, y, 1, len);
      default -> impl.sigmoid(x, offset, y, 1, len);
    }
  }

  @Test
  void thePublicArrayMethodsCheckTheirBounds() {
    float[] x = new float[4];
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ArrayMath.tanh(x, 2, new float[4], 0, 3));
    assertEquals("tanh: 3 elements from offsets 2 and 0 do not fit arrays of 4 and 4", e.getMessage());
    double[] d = {0, 1, 2};
    ArrayMath.exp(d, d);
    assertEquals(Math.E, d[1], Math.ulp(Math.E));
  }

  /** {@code where} is {@code ?:} bit for bit: signed zeros, infinities, NaNs with their payloads. */
  @Test
  void whereChoosesTheBitsOfOneOperand() {
    SplittableRandom r = new SplittableRandom(20261206);
    float[] specialF = {0f, -0f, Float.NaN, Float.intBitsToFloat(0xffc00123), Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE, 1.5f};
    double[] specialD = {0, -0.0, Double.NaN, Double.longBitsToDouble(0xfff8000000000123L),
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE, 1.5};
    for (int i = 0; i < 20_000; i++) {
      boolean c = r.nextBoolean();
      float a = i < 81 ? specialF[i % 9] : Float.intBitsToFloat(r.nextInt());
      float b = i < 81 ? specialF[i / 9] : Float.intBitsToFloat(r.nextInt());
      assertEquals(Float.floatToRawIntBits(c ? a : b), Float.floatToRawIntBits(FastMath.where(c, a, b)));
      double x = i < 81 ? specialD[i % 9] : Double.longBitsToDouble(r.nextLong());
      double y = i < 81 ? specialD[i / 9] : Double.longBitsToDouble(r.nextLong());
      assertEquals(Double.doubleToRawLongBits(c ? x : y), Double.doubleToRawLongBits(FastMath.where(c, x, y)));
    }
  }
}
