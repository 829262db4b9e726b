package dev.adjoint.runtime;

/**
 * {@code exp}, {@code log}, {@code tanh} and {@code sigmoid} in {@code f32} and {@code f64}, written
 * without calls and without branches so that the JIT can inline them into a fused loop, and so that
 * the same operations on vectors ({@code VectorMath}, used by {@link ArrayMath} with the Vector API)
 * give the same bits: a value does not depend on which implementation computed it. The {@code f32}
 * forms compute in {@code float} throughout.
 *
 * <p>Why not {@link Math}: on JDK 17 {@code Math.tanh} is not an intrinsic (it runs
 * {@code StrictMath.tanh}, about 35 ns an element on the machine of {@code BENCHMARKS.md}), and no
 * {@code Math} function is vectorized.
 *
 * <p><b>Accuracy</b>, as the largest difference from {@link StrictMath} (rounded to the type for
 * {@code f32}) in units in the last place, over the test ranges of {@code FastMathTest} (a regular
 * sample of every {@code f32} bit pattern, every {@code f32} value from -110 to 110 in steps of
 * {@code 2^-10}, for {@code f32} {@code tanh} every value of {@code [2^-12, 9.2]}, and millions of random
 * {@code f64} values, including ±100, subnormals, NaN and ±infinity):
 *
 * <table>
 *   <caption>maximum error in ulps</caption>
 *   <tr><th>function</th><th>f32</th><th>f64</th></tr>
 *   <tr><td>exp</td><td>1</td><td>1</td></tr>
 *   <tr><td>log</td><td>1</td><td>1</td></tr>
 *   <tr><td>tanh</td><td>2</td><td>4</td></tr>
 *   <tr><td>sigmoid</td><td>3</td><td>2</td></tr>
 * </table>
 *
 * <p>Special values as {@code Math}: NaN gives NaN; {@code exp(-inf) = 0}, {@code exp(inf) = inf},
 * {@code exp} overflows to infinity and underflows through the subnormals to 0 where {@code Math.exp}
 * does; {@code log(0) = -inf}, {@code log(x < 0) = NaN}, {@code log(inf) = inf}; {@code tanh(±inf) =
 * ±1}, {@code tanh(-0.0) = -0.0}; {@code sigmoid(-inf) = 0}, {@code sigmoid(inf) = 1}, and
 * {@code sigmoid(-100) = 3.7e-44} in {@code f64} (nothing overflows on the way).
 *
 * <p>Methods: {@code exp} reduces {@code x = n·ln2 + r} with {@code |r| <= ln2/2} (the rounding of
 * {@code n} by adding {@code 1.5·2^52}, the reduction with two fused multiply-adds), evaluates the
 * Taylor polynomial of {@code e^r} (degree 13 in {@code f64}, 7 in {@code f32}) by Horner's rule with
 * fused multiply-adds and multiplies by {@code 2^n} as two powers of two (so that subnormal results
 * are rounded once). {@code f64} {@code tanh(x) = sign(x)·m/(m + 2)} with {@code m = expm1(2|x|)} from the
 * same reduction (here with {@code 0 <= r < ln2}, and Taylor degree 17), {@code |x|} capped where
 * {@code tanh} rounds to 1; most of its error is the rounding of {@code m + 2} and of the quotient.
 * {@code f32} {@code tanh} (18 operations, against about 42 for that method in {@code f32}, so that its Vector
 * API form fits in one loop that C2 compiles without boxing: {@code VectorMath}) clamps {@code x} to ±9.2 and
 * takes two rational steps with no exponential: {@code u = 2·tanh(x/2)} as {@code x + x·ns·E(ns)/Q(ns)} with
 * {@code ns = -x²}, {@code E} and {@code Q} of degree 2 (a Remez fit of the error it gives {@code tanh}, within
 * {@code 2^-26}), then {@code tanh x = u·4/(u² + 4)} as {@code u + u·(-u²)/(u² + 4)}. Each correction is added
 * to a value it is small against where {@code |x|} is small, so each rounding counts about once, and an error in
 * {@code u} shrinks by {@code 1/cosh x} on its way to the result, which keeps large {@code |x|} accurate (one
 * rational {@code x·P(x²)/Q(x²)} of about the same cost measured 5.2 ulps near {@code x = 8}). Over every
 * {@code f32} value the error is at most 1.975 ulps (at 2.918; 1.0 % of the values of {@code [2^-12, 9.2]} are
 * off by more than 1 ulp), {@code |tanh x| <= 1}, and {@code tanh(-x) = -tanh(x)} bit for bit. Nothing was
 * traded: the bound went from 3 ulps to 2 and the special values are the same.
 * {@code sigmoid(x)} is {@code 1/(1 + e)} for {@code x >= 0} and {@code e/(1 + e)} otherwise, with
 * {@code e = exp(-|x|)}.
 * {@code log} is FreeBSD's (musl's) branch-free {@code log} and {@code logf}.
 */
public final class FastMath {
  private FastMath() {}

  // ---- f64 ----

  static final double LOG2E = 1.4426950408889634;
  static final double SHIFT = 0x1.8p52;
  static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
  static final double LN2_HI = 6.93147180369123816490e-01;
  static final double LN2_LO = 1.90821492927058770002e-10;
  /** Below this {@code exp} is 0, above the other bound infinite; clamping keeps {@code n} in range. */
  static final double EXP_MIN = -746;
  static final double EXP_MAX = 710;
  /** {@code tanh(x)} rounds to ±1 for {@code |x| >= 22}. */
  static final double TANH_MAX = 22;
  /** {@code 1/k!} for k = 2..13. */
  static final double C2 = 1.0 / 2;
  static final double C3 = 1.0 / 6;
  static final double C4 = 1.0 / 24;
  static final double C5 = 1.0 / 120;
  static final double C6 = 1.0 / 720;
  static final double C7 = 1.0 / 5040;
  static final double C8 = 1.0 / 40320;
  static final double C9 = 1.0 / 362880;
  static final double C10 = 1.0 / 3628800;
  static final double C11 = 1.0 / 39916800;
  static final double C12 = 1.0 / 479001600;
  static final double C13 = 1.0 / 6227020800.0;
  static final double C14 = 1.0 / 87178291200.0;
  static final double C15 = 1.0 / 1307674368000.0;
  static final double C16 = 1.0 / 20922789888000.0;
  static final double C17 = 1.0 / 355687428096000.0;

  /** {@code e^x}; see the class documentation for accuracy and special values. */
  public static double exp(double x) {
    x = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    double t = Math.fma(x, LOG2E, SHIFT);
    double n = t - SHIFT;
    double r = Math.fma(-n, LN2_HI, x);
    r = Math.fma(-n, LN2_LO, r);
    double p = expPoly(r);
    long k = Double.doubleToRawLongBits(t) - SHIFT_BITS;
    long k1 = k >> 1;
    double s1 = Double.longBitsToDouble((k1 + 1023) << 52);
    double s2 = Double.longBitsToDouble((k - k1 + 1023) << 52);
    return p * s1 * s2;
  }

  /** {@code e^r} for {@code |r| <= ln2/2}. */
  private static double expPoly(double r) {
    double q = Math.fma(C13, r, C12);
    q = Math.fma(q, r, C11);
    q = Math.fma(q, r, C10);
    q = Math.fma(q, r, C9);
    q = Math.fma(q, r, C8);
    q = Math.fma(q, r, C7);
    q = Math.fma(q, r, C6);
    q = Math.fma(q, r, C5);
    q = Math.fma(q, r, C4);
    q = Math.fma(q, r, C3);
    q = Math.fma(q, r, C2);
    q = Math.fma(q, r, 1);
    return Math.fma(q, r, 1);
  }

  /** {@code tanh x}; see the class documentation. */
  public static double tanh(double x) {
    double a = Math.min(Math.abs(x), TANH_MAX);
    double y = a + a;
    double n = Math.fma(y, LOG2E, SHIFT) - SHIFT;
    double r = Math.fma(-n, LN2_HI, y);
    r = Math.fma(-n, LN2_LO, r);
    // Reduce to 0 <= r < ln2 instead, so that the parts of e^y - 1 below never cancel.
    n = r < 0 ? n - 1 : n;
    r = Math.fma(-n, LN2_HI, y);
    r = Math.fma(-n, LN2_LO, r);
    double q = Math.fma(C17, r, C16);
    q = Math.fma(q, r, C15);
    q = Math.fma(q, r, C14);
    q = Math.fma(q, r, C13);
    q = Math.fma(q, r, C12);
    q = Math.fma(q, r, C11);
    q = Math.fma(q, r, C10);
    q = Math.fma(q, r, C9);
    q = Math.fma(q, r, C8);
    q = Math.fma(q, r, C7);
    q = Math.fma(q, r, C6);
    q = Math.fma(q, r, C5);
    q = Math.fma(q, r, C4);
    q = Math.fma(q, r, C3);
    q = Math.fma(q, r, C2);
    double em = Math.fma(r * r, q, r);
    double s = Double.longBitsToDouble((Double.doubleToRawLongBits(n + SHIFT) - SHIFT_BITS + 1023) << 52);
    double m = Math.fma(s, em, s - 1);
    return Math.copySign(m / (m + 2), x);
  }

  /** {@code 1 / (1 + e^-x)}; see the class documentation. */
  public static double sigmoid(double x) {
    double e = exp(-Math.abs(x));
    return (x >= 0 ? 1 : e) / (1 + e);
  }

  static final double LG1 = 6.666666666666735130e-01;
  static final double LG2 = 3.999999999940941908e-01;
  static final double LG3 = 2.857142874366239149e-01;
  static final double LG4 = 2.222219843214978396e-01;
  static final double LG5 = 1.818357216161805012e-01;
  static final double LG6 = 1.531383769920937332e-01;
  static final double LG7 = 1.479819860511658591e-01;
  static final double TWO54 = 0x1p54;

  /** The natural logarithm; see the class documentation. */
  public static double log(double x) {
    boolean subnormal = x < Double.MIN_NORMAL;
    double y = subnormal ? x * TWO54 : x;
    long bits = Double.doubleToRawLongBits(y);
    // Reduce to m in [sqrt(2)/2, sqrt(2)): x = 2^k · m.
    long hx = (bits >>> 32) + (0x3ff00000L - 0x3fe6a09eL);
    long k = (hx >> 20) - 0x3ff - (subnormal ? 54 : 0);
    hx = (hx & 0x000fffffL) + 0x3fe6a09eL;
    double m = Double.longBitsToDouble((hx << 32) | (bits & 0xffffffffL));
    double f = m - 1.0;
    double hfsq = 0.5 * f * f;
    double s = f / (2.0 + f);
    double z = s * s;
    double w = z * z;
    double t1 = w * (LG2 + w * (LG4 + w * LG6));
    double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    double r = t2 + t1;
    double dk = k;
    double v = s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI;
    return x > 0 ? (x == Double.POSITIVE_INFINITY ? x : v) : (x == 0 ? Double.NEGATIVE_INFINITY : Double.NaN);
  }

  // ---- f32 ----

  static final float LOG2E_F = 1.44269504f;
  static final float SHIFT_F = 0x1.8p23f;
  static final int SHIFT_BITS_F = Float.floatToRawIntBits(SHIFT_F);
  static final float LN2_HI_F = 6.9314575195e-01f;
  static final float LN2_LO_F = 1.4286067653e-06f;
  static final float EXP_MIN_F = -104;
  static final float EXP_MAX_F = 89;
  /**
   * {@code tanh} clamps {@code |x|} to this: {@code tanh(x)} rounds to ±1 in {@code f32} from
   * {@code |x| = 13·ln2 ≈ 9.011} on, and {@link #tanh(float)} gives exactly 1 here.
   */
  static final float TANH_MAX_F = 9.2f;
  /**
   * {@code tanh}'s coefficients, in {@code ns = -x²}: {@code 2·tanh(x/2) ≈ x + x·ns·E(ns)/Q(ns)} with
   * {@code E = TE0 + TE1·ns + TE2·ns²}, {@code Q = 1 + TQ1·ns + TQ2·ns²} (a rational of degree 3 over 2 in
   * {@code x²}, {@code TE0} is about 1/12). Fitted for {@code |x| <= 9.2} by a Remez exchange (mpmath, 40 digits)
   * that minimized the largest relative error this {@code u} gives {@code tanh x} (to first order the error of
   * {@code u} weighted by {@code 1/cosh x}): {@code 2^-26.07}; then rounded to {@code f32}.
   * {@code tools/tanh_fit.py} redoes the fit and prints these constants.
   */
  static final float TE0 = 0x1.555544p-4f;
  static final float TE1 = -0x1.feae32p-11f;
  static final float TE2 = 0x1.29271ep-24f;
  static final float TQ1 = -0x1.c97916p-4f;
  static final float TQ2 = 0x1.137672p-10f;
  static final float F2 = 1f / 2;
  static final float F3 = 1f / 6;
  static final float F4 = 1f / 24;
  static final float F5 = 1f / 120;
  static final float F6 = 1f / 720;
  static final float F7 = 1f / 5040;

  /** {@code e^x} in {@code f32}. */
  public static float exp(float x) {
    x = Math.min(Math.max(x, EXP_MIN_F), EXP_MAX_F);
    float t = Math.fma(x, LOG2E_F, SHIFT_F);
    float n = t - SHIFT_F;
    float r = Math.fma(-n, LN2_HI_F, x);
    r = Math.fma(-n, LN2_LO_F, r);
    float q = Math.fma(F7, r, F6);
    q = Math.fma(q, r, F5);
    q = Math.fma(q, r, F4);
    q = Math.fma(q, r, F3);
    q = Math.fma(q, r, F2);
    q = Math.fma(q, r, 1);
    float p = Math.fma(q, r, 1);
    int k = Float.floatToRawIntBits(t) - SHIFT_BITS_F;
    int k1 = k >> 1;
    float s1 = Float.intBitsToFloat((k1 + 127) << 23);
    float s2 = Float.intBitsToFloat((k - k1 + 127) << 23);
    return p * s1 * s2;
  }

  /**
   * {@code tanh x} in {@code f32}, from two rational steps (see the class documentation): {@code c} is {@code x}
   * clamped to {@code ±TANH_MAX_F}, {@code u = c + c·ns·E(ns)/Q(ns)} with {@code ns = -c²} is
   * {@code 2·tanh(c/2)}, and {@code tanh c = u·4/(u² + 4) = u + u·(-u²)/(u² + 4)}. Both corrections are added
   * last, to values they are small against where {@code x} is small, and an error in {@code u} shrinks by
   * {@code 1/cosh x} on its way to the result, which is what keeps large {@code |x|} accurate.
   * {@code ns} is {@code 0 - c²} rather than {@code -(c²)} so that it is +0 at {@code x = ±0}: then
   * {@code c·ns·E/Q} is a zero of the sign of {@code x}, and {@code tanh(-0.0) = -0.0}.
   */
  public static float tanh(float x) {
    float c = Math.max(Math.min(x, TANH_MAX_F), -TANH_MAX_F);
    float ns = 0f - c * c;
    float e = Math.fma(Math.fma(TE2, ns, TE1), ns, TE0);
    float q = Math.fma(Math.fma(TQ2, ns, TQ1), ns, 1f);
    float u = Math.fma(c * ns, e / q, c);
    float u2 = u * u;
    return Math.fma(u, (0f - u2) / (u2 + 4f), u);
  }

  /** {@code 1 / (1 + e^-x)} in {@code f32}. */
  public static float sigmoid(float x) {
    float e = exp(-Math.abs(x));
    return (x >= 0 ? 1 : e) / (1 + e);
  }

  static final float LG1_F = 0.66666662693f;
  static final float LG2_F = 0.40000972152f;
  static final float LG3_F = 0.28498786688f;
  static final float LG4_F = 0.24279078841f;
  static final float LN2_HI_LOG_F = 6.9313812256e-01f;
  static final float LN2_LO_LOG_F = 9.0580006145e-06f;
  static final float TWO25_F = 0x1p25f;

  /** The natural logarithm in {@code f32}. */
  public static float log(float x) {
    boolean subnormal = x < Float.MIN_NORMAL;
    float y = subnormal ? x * TWO25_F : x;
    int ix = Float.floatToRawIntBits(y) + (0x3f800000 - 0x3f3504f3);
    int k = (ix >> 23) - 0x7f - (subnormal ? 25 : 0);
    ix = (ix & 0x007fffff) + 0x3f3504f3;
    float f = Float.intBitsToFloat(ix) - 1.0f;
    float s = f / (2.0f + f);
    float z = s * s;
    float w = z * z;
    float t1 = w * (LG2_F + w * LG4_F);
    float t2 = z * (LG1_F + w * LG3_F);
    float r = t2 + t1;
    float hfsq = 0.5f * f * f;
    float dk = k;
    float v = s * (hfsq + r) + dk * LN2_LO_LOG_F - hfsq + f + dk * LN2_HI_LOG_F;
    return x > 0 ? (x == Float.POSITIVE_INFINITY ? x : v) : (x == 0 ? Float.NEGATIVE_INFINITY : Float.NaN);
  }

  /**
   * {@code c ? a : b}, without a branch: the bits of one or the other, chosen by an integer
   * conditional move. The JIT compiles a {@code float} or {@code double} {@code ?:} on x86 to a jump,
   * which a mask like {@code relu}'s {@code u > 0} on varied data mispredicts about half the time
   * (2.7–6 ns an element against 0.37–0.65 ns this way on the machine of {@code BENCHMARKS.md}:
   * {@code tools/bench/WhereBench.java}).
   * Exactly {@code c ? a : b}, NaN payloads and the sign of zero included.
   */
  public static float where(boolean c, float a, float b) {
    return Float.intBitsToFloat(c ? Float.floatToRawIntBits(a) : Float.floatToRawIntBits(b));
  }

  /** {@code c ? a : b}, without a branch: see {@link #where(boolean, float, float)}. */
  public static double where(boolean c, double a, double b) {
    return Double.longBitsToDouble(c ? Double.doubleToRawLongBits(a) : Double.doubleToRawLongBits(b));
  }
}
