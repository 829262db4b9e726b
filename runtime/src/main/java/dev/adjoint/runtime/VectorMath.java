package dev.adjoint.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastMath}'s functions over arrays with the Vector API: the same operations in the same order,
 * lane by lane, so each element gets exactly the bits {@code FastMath} gives for it. Only
 * {@link VectorKernels} refers to this class.
 *
 * <p>Written for C2 on JDK 17, which boxes a vector (a heap object per operation, 20–100× slower) whenever it
 * cannot compile an operation on it to vector instructions. What decides that, measured with
 * {@code -XX:+LogCompilation} on {@code ./adjoint bench bench/models/tanh_c.model}, where {@code tanh} used to box
 * (96 bytes per vector, 761,856 bytes per step) in about half of the runs:
 * <ul>
 *   <li>C2 inlines a loop's calls in bytecode order until the compile reaches its inlining budget
 *       ({@code DesiredMethodLimit}, {@code NodeCountInliningCutoff}); every Vector API operation brings in about
 *       400 bytes of the JDK's code, so a loop of more than about 25 operations runs past it and the last calls
 *       are inlined late. The result of a call inlined late has the static type {@code FloatVector}, not the
 *       exact {@code Float512Vector}, while the caller is parsed.</li>
 *   <li>A call on a vector whose exact class is unknown is inlined through the type profile. Its miss path is an
 *       uncommon trap, unless the compile has seen too many {@code class_check} traps: C2 adds up the traps
 *       recorded in the profile of every method it inlines, and the JDK's {@code VectorOperators.opCode} and
 *       {@code ImplCache.find}, inlined into every operation, had 4 each after other code's deoptimizations
 *       (284 in all, against {@code PerMethodTrapLimit} 100). Then the miss path is a virtual call, the species
 *       that {@code intoArray} reads from its vector is no longer a constant ("missing constant: vclass=DecodeN"
 *       with {@code -XX:+PrintIntrinsics}), the store is not intrinsified and the vector is boxed.</li>
 * </ul>
 * Whether the second happens depends on what else the JVM ran, so the code avoids the first: each function is split
 * into passes of at most about 25 vector operations (no more than 2 shifts) over blocks of {@link #BLOCK} elements,
 * through the thread's scratch block ({@code GemmScratch}); the passes are lambdas run from one loop (in
 * {@code run}) whose call site sees all of them, so C2 never inlines them back into one compile (nor into the
 * caller: a function whose passes are fewer than three, which could leave the site mono- or bimorphic, is split
 * over its block instead). {@code f32} {@code tanh} is a single pass of 18 operations that needs no scratch
 * ({@code FastMath.tanh(float)} was chosen to fit: its earlier {@code expm1} form took about 42 operations in four
 * passes, each reading {@code x} again and redoing the reduction; 0.87 against 0.33 ns an element of thread CPU
 * time, BENCHMARKS.md "A one-pass f32 tanh"), run as three lambdas over thirds of each block. Inside a pass no
 * vector value crosses a branch, and the results of {@code reinterpretAs…} (typed {@code IntVector},
 * {@code FloatVector}) are used only as arguments ({@code NEG_SHIFT_BITS_F.add(bits)} for {@code bits - SHIFT_BITS},
 * {@code NEG_ONE_F.add(s)} for {@code s - 1}: the same bits), so that every receiver has its exact class. Every
 * constant is a vector (a scalar operand adds calls), shift counts too. {@code KernelThreadsTest} checks that warm
 * calls allocate nothing.
 * Elements after the last whole vector go through {@code FastMath}, so {@code y} may be {@code x}.
 *
 * <p>Forms that differ from {@code FastMath} without changing a value: {@code (float) k} is
 * {@code (1.5·2^23 + k) - 1.5·2^23} as a bit pattern (exact for these small {@code k}, and free of a
 * conversion); {@code copySign(v, x)} for {@code v >= 0} ({@code f64} {@code tanh}) is {@code -v} where
 * {@code x < 0} and {@code x} itself where {@code x} is ±0 (only the sign of a NaN may differ); {@code a - b} is
 * {@code -b + a}; {@code Math.fma(a, b, c)} is {@code a.fma(b, c)} or {@code b.fma(a, c)} (the product is exact
 * either way).
 */
final class VectorMath {
  private VectorMath() {}

  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Long> LS = LongVector.SPECIES_PREFERRED;
  private static final int FL = FS.length();
  private static final int DL = DS.length();

  private static FloatVector f(float v) {
    return FloatVector.broadcast(FS, v);
  }

  private static IntVector i(int v) {
    return IntVector.broadcast(IS, v);
  }

  private static DoubleVector d(double v) {
    return DoubleVector.broadcast(DS, v);
  }

  private static LongVector l(long v) {
    return LongVector.broadcast(LS, v);
  }

  private static final FloatVector ZERO_F = f(0);
  private static final FloatVector ONE_F = f(1);
  private static final FloatVector NEG_ONE_F = f(-1);
  private static final FloatVector TWO_F = f(2);
  private static final FloatVector HALF_F = f(0.5f);
  private static final FloatVector INF_F = f(Float.POSITIVE_INFINITY);
  private static final FloatVector NEG_INF_F = f(Float.NEGATIVE_INFINITY);
  private static final FloatVector NAN_F = f(Float.NaN);
  private static final FloatVector EXP_MIN_F = f(FastMath.EXP_MIN_F);
  private static final FloatVector EXP_MAX_F = f(FastMath.EXP_MAX_F);
  private static final FloatVector TANH_MAX_F = f(FastMath.TANH_MAX_F);
  private static final FloatVector NEG_TANH_MAX_F = f(-FastMath.TANH_MAX_F);
  private static final FloatVector FOUR_F = f(4);
  private static final FloatVector TE0 = f(FastMath.TE0);
  private static final FloatVector TE1 = f(FastMath.TE1);
  private static final FloatVector TE2 = f(FastMath.TE2);
  private static final FloatVector TQ1 = f(FastMath.TQ1);
  private static final FloatVector TQ2 = f(FastMath.TQ2);
  private static final FloatVector LOG2E_F = f(FastMath.LOG2E_F);
  private static final FloatVector SHIFT_F = f(FastMath.SHIFT_F);
  private static final FloatVector NEG_SHIFT_F = f(-FastMath.SHIFT_F);
  private static final FloatVector LN2_HI_F = f(FastMath.LN2_HI_F);
  private static final FloatVector LN2_LO_F = f(FastMath.LN2_LO_F);
  private static final FloatVector F2 = f(FastMath.F2);
  private static final FloatVector F3 = f(FastMath.F3);
  private static final FloatVector F4 = f(FastMath.F4);
  private static final FloatVector F5 = f(FastMath.F5);
  private static final FloatVector F6 = f(FastMath.F6);
  private static final FloatVector F7 = f(FastMath.F7);
  private static final FloatVector MIN_NORMAL_F = f(Float.MIN_NORMAL);
  private static final FloatVector TWO25_F = f(FastMath.TWO25_F);
  private static final FloatVector K25_F = f(25);
  private static final FloatVector LG1_F = f(FastMath.LG1_F);
  private static final FloatVector LG2_F = f(FastMath.LG2_F);
  private static final FloatVector LG3_F = f(FastMath.LG3_F);
  private static final FloatVector LG4_F = f(FastMath.LG4_F);
  private static final FloatVector LN2_HI_LOG_F = f(FastMath.LN2_HI_LOG_F);
  private static final FloatVector LN2_LO_LOG_F = f(FastMath.LN2_LO_LOG_F);
  private static final IntVector SHIFT_BITS_F = i(FastMath.SHIFT_BITS_F);
  private static final IntVector NEG_SHIFT_BITS_F = i(-FastMath.SHIFT_BITS_F);
  private static final IntVector BIAS_F = i(127);
  private static final IntVector ONE_I = i(1);
  private static final IntVector MANTISSA_SHIFT_F = i(23);
  private static final IntVector LOG_OFFSET_F = i(0x3f800000 - 0x3f3504f3);
  private static final IntVector LOG_BIAS_F = i(0x7f);
  private static final IntVector LOG_MANTISSA_F = i(0x007fffff);
  private static final IntVector LOG_SQRT_HALF_F = i(0x3f3504f3);

  private static final DoubleVector ZERO = d(0);
  private static final DoubleVector ONE = d(1);
  private static final DoubleVector NEG_ONE = d(-1);
  private static final DoubleVector TWO = d(2);
  private static final DoubleVector HALF = d(0.5);
  private static final DoubleVector INF = d(Double.POSITIVE_INFINITY);
  private static final DoubleVector NEG_INF = d(Double.NEGATIVE_INFINITY);
  private static final DoubleVector NAN = d(Double.NaN);
  private static final DoubleVector EXP_MIN = d(FastMath.EXP_MIN);
  private static final DoubleVector EXP_MAX = d(FastMath.EXP_MAX);
  private static final DoubleVector TANH_MAX = d(FastMath.TANH_MAX);
  private static final DoubleVector LOG2E = d(FastMath.LOG2E);
  private static final DoubleVector SHIFT = d(FastMath.SHIFT);
  private static final DoubleVector NEG_SHIFT = d(-FastMath.SHIFT);
  private static final DoubleVector LN2_HI = d(FastMath.LN2_HI);
  private static final DoubleVector LN2_LO = d(FastMath.LN2_LO);
  private static final DoubleVector C2 = d(FastMath.C2);
  private static final DoubleVector C3 = d(FastMath.C3);
  private static final DoubleVector C4 = d(FastMath.C4);
  private static final DoubleVector C5 = d(FastMath.C5);
  private static final DoubleVector C6 = d(FastMath.C6);
  private static final DoubleVector C7 = d(FastMath.C7);
  private static final DoubleVector C8 = d(FastMath.C8);
  private static final DoubleVector C9 = d(FastMath.C9);
  private static final DoubleVector C10 = d(FastMath.C10);
  private static final DoubleVector C11 = d(FastMath.C11);
  private static final DoubleVector C12 = d(FastMath.C12);
  private static final DoubleVector C13 = d(FastMath.C13);
  private static final DoubleVector C14 = d(FastMath.C14);
  private static final DoubleVector C15 = d(FastMath.C15);
  private static final DoubleVector C16 = d(FastMath.C16);
  private static final DoubleVector C17 = d(FastMath.C17);
  private static final DoubleVector MIN_NORMAL = d(Double.MIN_NORMAL);
  private static final DoubleVector TWO54 = d(FastMath.TWO54);
  private static final DoubleVector K54 = d(54);
  private static final DoubleVector LG1 = d(FastMath.LG1);
  private static final DoubleVector LG2 = d(FastMath.LG2);
  private static final DoubleVector LG3 = d(FastMath.LG3);
  private static final DoubleVector LG4 = d(FastMath.LG4);
  private static final DoubleVector LG5 = d(FastMath.LG5);
  private static final DoubleVector LG6 = d(FastMath.LG6);
  private static final DoubleVector LG7 = d(FastMath.LG7);
  private static final LongVector SHIFT_BITS = l(FastMath.SHIFT_BITS);
  private static final LongVector NEG_SHIFT_BITS = l(-FastMath.SHIFT_BITS);
  private static final LongVector ZERO_L = l(0);
  private static final LongVector BIAS = l(1023);
  private static final LongVector ONE_L = l(1);
  private static final LongVector MANTISSA_SHIFT = l(52);
  private static final LongVector HIGH_SHIFT = l(32);
  private static final LongVector EXPONENT_SHIFT = l(20);
  private static final LongVector LOG_OFFSET = l(0x3ff00000L - 0x3fe6a09eL);
  private static final LongVector LOG_BIAS = l(0x3ff);
  private static final LongVector LOG_MANTISSA = l(0x000fffffL);
  private static final LongVector LOG_SQRT_HALF = l(0x3fe6a09eL);
  private static final LongVector LOW_WORD = l(0xffffffffL);

  /**
   * The elements a kernel's passes go through: the whole vectors, in blocks of {@link #BLOCK}; the rest (fewer than
   * a vector) go through {@code FastMath}.
   */
  private static final int BLOCK = 1024;

  /**
   * One pass of a kernel over {@code len} elements (whole vectors) of a block of {@code x} and {@code y}, with the
   * scratch block {@code t} (two halves, at 0 and {@link #BLOCK}). Each pass reads an element before it writes it,
   * and only the last writes {@code y}, so {@code y} may be {@code x} (in place, same offsets).
   */
  private interface PassF {
    void run(float[] x, int xo, float[] t, float[] y, int yo, int len);
  }

  /** As {@link PassF}, in {@code f64}. */
  private interface PassD {
    void run(double[] x, int xo, double[] t, double[] y, int yo, int len);
  }

  /**
   * Runs a kernel's passes over the whole vectors of {@code x}, a block at a time; returns how many elements that
   * was (the rest, fewer than a vector, go through {@code FastMath}). The passes are lambdas called from this one
   * call site, which sees them all: C2 calls them and never inlines one into another or into the kernel (inlined
   * together they would be one long loop again), and no pass's receiver type is a constant it could fold.
   */
  private static int run(PassF[] passes, float[] x, int xo, float[] y, int yo, int n) {
    int whole = n - n % FL;
    if (whole > 0) {
      float[] t = GemmScratch.current().passesF32(2 * BLOCK);
      for (int at = 0; at < whole; at += BLOCK) {
        int len = Math.min(BLOCK, whole - at);
        for (PassF pass : passes) {
          pass.run(x, xo + at, t, y, yo + at, len);
        }
      }
    }
    return whole;
  }

  private static int run(PassD[] passes, double[] x, int xo, double[] y, int yo, int n) {
    int whole = n - n % DL;
    if (whole > 0) {
      double[] t = GemmScratch.current().passesF64(2 * BLOCK);
      for (int at = 0; at < whole; at += BLOCK) {
        int len = Math.min(BLOCK, whole - at);
        for (PassD pass : passes) {
          pass.run(x, xo + at, t, y, yo + at, len);
        }
      }
    }
    return whole;
  }


  // ---- f32 ----

  /** {@code exp}: {@code e^r} for the reduced argument {@code r}, then the two powers of two. */
  private static final PassF[] EXP_F = {
    (x, xo, t, y, yo, len) -> expReduce(x, xo, t, t, 0, len),
    (x, xo, t, y, yo, len) -> expScale1(x, xo, t, t, 0, len),
    (x, xo, t, y, yo, len) -> expScale2(x, xo, t, y, yo, len)};

  /** {@code sigmoid}: {@code -|x|} into {@code t}'s second half, {@code exp}'s passes over it, the quotient. */
  private static final PassF[] SIGMOID_F = {
    (x, xo, t, y, yo, len) -> negAbs(x, xo, t, t, BLOCK, len),
    (x, xo, t, y, yo, len) -> expReduce(t, BLOCK, t, t, 0, len),
    (x, xo, t, y, yo, len) -> expScale1(t, BLOCK, t, t, 0, len),
    (x, xo, t, y, yo, len) -> expScale2(t, BLOCK, t, t, 0, len),
    (x, xo, t, y, yo, len) -> sigmoidQuotient(x, xo, t, y, yo, len)};

  /**
   * {@code tanh}: one pass (it needs no scratch), run as three lambdas over the three thirds of a block so that the
   * call site in {@code run} sees three receivers even in a model that uses no other function. With one receiver
   * the site is monomorphic and C2 inlines the pass into every caller's compile (seen with
   * {@code -XX:+PrintInlining}), where the caller's size can push it past the inlining budget: one run of
   * {@code ./adjoint bench bench/models/tanh_c.model} in 26 boxed 1 of its 31 {@code tanh} calls that way (24,576
   * bytes a step). Three receivers of a third of the calls each make the site megamorphic: never inlined.
   */
  private static final PassF[] TANH_F = {
    (x, xo, t, y, yo, len) -> tanhPass(x, xo, y, yo, 0, third(len, 1)),
    (x, xo, t, y, yo, len) -> tanhPass(x, xo, y, yo, third(len, 1), third(len, 2)),
    (x, xo, t, y, yo, len) -> tanhPass(x, xo, y, yo, third(len, 2), len)};

  /** Where the {@code k}-th third of {@code len} elements (whole vectors) ends, rounded down to a whole vector. */
  private static int third(int len, int k) {
    return len / FL * k / 3 * FL;
  }

  /** {@code log}: {@code f}, the polynomial term, the sum, the special values. */
  private static final PassF[] LOG_F = {
    (x, xo, t, y, yo, len) -> logReduce(x, xo, t, t, 0, len),
    (x, xo, t, y, yo, len) -> logPoly(x, xo, t, t, BLOCK, len),
    (x, xo, t, y, yo, len) -> logSum(x, xo, t, t, BLOCK, len),
    (x, xo, t, y, yo, len) -> logSpecial(x, xo, t, y, yo, len)};

  static void exp(float[] x, int xo, float[] y, int yo, int n) {
    for (int e = run(EXP_F, x, xo, y, yo, n); e < n; e++) {
      y[yo + e] = FastMath.exp(x[xo + e]);
    }
  }

  static void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
    for (int e = run(SIGMOID_F, x, xo, y, yo, n); e < n; e++) {
      y[yo + e] = FastMath.sigmoid(x[xo + e]);
    }
  }

  static void tanh(float[] x, int xo, float[] y, int yo, int n) {
    for (int e = run(TANH_F, x, xo, y, yo, n); e < n; e++) {
      y[yo + e] = FastMath.tanh(x[xo + e]);
    }
  }

  static void log(float[] x, int xo, float[] y, int yo, int n) {
    for (int e = run(LOG_F, x, xo, y, yo, n); e < n; e++) {
      y[yo + e] = FastMath.log(x[xo + e]);
    }
  }


  /** {@code b = e^r} for the reduced argument of {@code exp(a)}: {@code a = n·ln2 + r}. */
  private static void expReduce(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector v = FloatVector.fromArray(FS, a, ao + at).max(EXP_MIN_F).min(EXP_MAX_F);
      FloatVector nn = v.fma(LOG2E_F, SHIFT_F).sub(SHIFT_F).neg();
      FloatVector r = nn.fma(LN2_HI_F, v);
      r = nn.fma(LN2_LO_F, r);
      FloatVector q = r.fma(F7, F6);
      q = q.fma(r, F5);
      q = q.fma(r, F4);
      q = q.fma(r, F3);
      q = q.fma(r, F2);
      q = q.fma(r, ONE_F);
      q.fma(r, ONE_F).intoArray(b, bo + at);
    }
  }

  /** {@code t = e^r·2^k1} from {@code t = e^r}, with {@code n = k1 + k2} and {@code k1 = n >> 1}. */
  private static void expScale1(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector v = FloatVector.fromArray(FS, a, ao + at).max(EXP_MIN_F).min(EXP_MAX_F);
      IntVector k = NEG_SHIFT_BITS_F.add(v.fma(LOG2E_F, SHIFT_F).reinterpretAsInts());
      FloatVector s1 = k.lanewise(VectorOperators.ASHR, ONE_I).add(BIAS_F)
          .lanewise(VectorOperators.LSHL, MANTISSA_SHIFT_F).reinterpretAsFloats();
      FloatVector.fromArray(FS, t, at).mul(s1).intoArray(b, bo + at);
    }
  }

  /** {@code b = e^r·2^k1·2^k2 = exp(a)} from {@code t = e^r·2^k1}. */
  private static void expScale2(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector v = FloatVector.fromArray(FS, a, ao + at).max(EXP_MIN_F).min(EXP_MAX_F);
      IntVector k = NEG_SHIFT_BITS_F.add(v.fma(LOG2E_F, SHIFT_F).reinterpretAsInts());
      FloatVector s2 = k.sub(k.lanewise(VectorOperators.ASHR, ONE_I)).add(BIAS_F)
          .lanewise(VectorOperators.LSHL, MANTISSA_SHIFT_F).reinterpretAsFloats();
      FloatVector.fromArray(FS, t, at).mul(s2).intoArray(b, bo + at);
    }
  }

  /** {@code b = -|a|}. */
  private static void negAbs(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector.fromArray(FS, a, ao + at).abs().neg().intoArray(b, bo + at);
    }
  }

  /** {@code b = (a >= 0 ? 1 : e)/(1 + e)} from {@code t = e}. */
  private static void sigmoidQuotient(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector xv = FloatVector.fromArray(FS, a, ao + at);
      FloatVector e = FloatVector.fromArray(FS, t, at);
      e.blend(ONE_F, xv.compare(VectorOperators.GE, ZERO_F)).div(e.add(ONE_F)).intoArray(b, bo + at);
    }
  }

  /**
   * {@code b = tanh(a)} for the elements {@code from} to {@code to} (whole vectors) in one pass of 18 vector
   * operations, {@code FastMath.tanh}'s: {@code u = 2·tanh(c/2)} from a rational in {@code ns = 0 - c²}, then
   * {@code u + u·(-u²)/(u² + 4)}.
   */
  private static void tanhPass(float[] a, int ao, float[] b, int bo, int from, int to) {
    for (int at = from; at < to; at += FL) {
      FloatVector c = FloatVector.fromArray(FS, a, ao + at).min(TANH_MAX_F).max(NEG_TANH_MAX_F);
      FloatVector ns = ZERO_F.sub(c.mul(c));
      FloatVector e = ns.fma(TE2, TE1).fma(ns, TE0);
      FloatVector q = ns.fma(TQ2, TQ1).fma(ns, ONE_F);
      FloatVector u = c.mul(ns).fma(e.div(q), c);
      FloatVector u2 = u.mul(u);
      u.fma(ZERO_F.sub(u2).div(u2.add(FOUR_F)), u).intoArray(b, bo + at);
    }
  }

  /** {@code t = f}, {@code a = 2^k·(1 + f)} with {@code sqrt(2)/2 <= 1 + f < sqrt(2)}. */
  private static void logReduce(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector xv = FloatVector.fromArray(FS, a, ao + at);
      FloatVector yv = xv.blend(xv.mul(TWO25_F), xv.compare(VectorOperators.LT, MIN_NORMAL_F));
      IntVector ix = LOG_OFFSET_F.add(yv.reinterpretAsInts());
      ix = ix.and(LOG_MANTISSA_F).add(LOG_SQRT_HALF_F);
      NEG_ONE_F.add(ix.reinterpretAsFloats()).intoArray(b, bo + at);
    }
  }

  /** {@code b = s·(hfsq + R)} from {@code t = f}. */
  private static void logPoly(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector f = FloatVector.fromArray(FS, t, at);
      FloatVector s = f.div(f.add(TWO_F));
      FloatVector z = s.mul(s);
      FloatVector w = z.mul(z);
      FloatVector t1 = w.mul(w.mul(LG4_F).add(LG2_F));
      FloatVector t2 = z.mul(w.mul(LG3_F).add(LG1_F));
      FloatVector r = t2.add(t1);
      FloatVector hfsq = f.mul(HALF_F).mul(f);
      s.mul(hfsq.add(r)).intoArray(b, bo + at);
    }
  }

  /** {@code b = s·(hfsq + R) + k·ln2_lo - hfsq + f + k·ln2_hi} from {@code t = f} and {@code b}. */
  private static void logSum(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector xv = FloatVector.fromArray(FS, a, ao + at);
      VectorMask<Float> subnormal = xv.compare(VectorOperators.LT, MIN_NORMAL_F);
      FloatVector yv = xv.blend(xv.mul(TWO25_F), subnormal);
      IntVector k = LOG_OFFSET_F.add(yv.reinterpretAsInts()).lanewise(VectorOperators.ASHR, MANTISSA_SHIFT_F)
          .sub(LOG_BIAS_F);
      FloatVector dk = NEG_SHIFT_F.add(k.add(SHIFT_BITS_F).reinterpretAsFloats())
          .sub(ZERO_F.blend(K25_F, subnormal));
      FloatVector f = FloatVector.fromArray(FS, t, at);
      FloatVector hfsq = f.mul(HALF_F).mul(f);
      FloatVector.fromArray(FS, b, bo + at).add(dk.mul(LN2_LO_LOG_F)).sub(hfsq).add(f).add(dk.mul(LN2_HI_LOG_F))
          .intoArray(b, bo + at);
    }
  }

  /** {@code b = log(a)}: the sum in {@code t}'s second half, or {@code a}, NaN or -inf for the special values. */
  private static void logSpecial(float[] a, int ao, float[] t, float[] b, int bo, int len) {
    for (int at = 0; at < len; at += FL) {
      FloatVector xv = FloatVector.fromArray(FS, a, ao + at);
      FloatVector v = FloatVector.fromArray(FS, t, BLOCK + at);
      v = v.blend(xv, xv.compare(VectorOperators.EQ, INF_F));
      v = v.blend(NAN_F, xv.compare(VectorOperators.GT, ZERO_F).not());
      v.blend(NEG_INF_F, xv.compare(VectorOperators.EQ, ZERO_F)).intoArray(b, bo + at);
    }
  }

  // ---- f64 ----

  /** {@code exp}: {@code e^r} for the reduced argument {@code r}, then the two powers of two. */
  private static final PassD[] EXP_D = {
    (x, xo, t, y, yo, len) -> expReduce(x, xo, t, t, 0, len),
    (x, xo, t, y, yo, len) -> expScale1(x, xo, t, t, 0, len),
    (x, xo, t, y, yo, len) -> expScale2(x, xo, t, y, yo, len)};

  /** {@code sigmoid}: {@code -|x|} into {@code t}'s second half, {@code exp}'s passes over it, the quotient. */
  private static final PassD[] SIGMOID_D = {
    (x, xo, t, y, yo, len) -> negAbs(x, xo, t, t, BLOCK, len),
    (x, xo, t, y, yo, len) -> expReduce(t, BLOCK, t, t, 0, len),
    (x, xo, t, y, yo, len) -> expScale1(t, BLOCK, t, t, 0, len),
    (x, xo, t, y, yo, len) -> expScale2(t, BLOCK, t, t, 0, len),
    (x, xo, t, y, yo, len) -> sigmoidQuotient(x, xo, t, y, yo, len)};

  /** {@code tanh}: the reduction's {@code n}, {@code e^r - 1}, {@code m = e^(2|x|) - 1}, {@code sign(x)·m/(m + 2)}. */
  private static final PassD[] TANH_D = {
    (x, xo, t, y, yo, len) -> tanhReduce(x, xo, t, t, 0, len),
    (x, xo, t, y, yo, len) -> tanhPoly(x, xo, t, t, BLOCK, len),
    (x, xo, t, y, yo, len) -> tanhScale(x, xo, t, t, 0, len),
    (x, xo, t, y, yo, len) -> tanhQuotient(x, xo, t, y, yo, len)};

  /** {@code log}: {@code f}, the polynomial term, the sum, the special values. */
  private static final PassD[] LOG_D = {
    (x, xo, t, y, yo, len) -> logReduce(x, xo, t, t, 0, len),
    (x, xo, t, y, yo, len) -> logPoly(x, xo, t, t, BLOCK, len),
    (x, xo, t, y, yo, len) -> logSum(x, xo, t, t, BLOCK, len),
    (x, xo, t, y, yo, len) -> logSpecial(x, xo, t, y, yo, len)};

  static void exp(double[] x, int xo, double[] y, int yo, int n) {
    for (int e = run(EXP_D, x, xo, y, yo, n); e < n; e++) {
      y[yo + e] = FastMath.exp(x[xo + e]);
    }
  }

  static void sigmoid(double[] x, int xo, double[] y, int yo, int n) {
    for (int e = run(SIGMOID_D, x, xo, y, yo, n); e < n; e++) {
      y[yo + e] = FastMath.sigmoid(x[xo + e]);
    }
  }

  static void tanh(double[] x, int xo, double[] y, int yo, int n) {
    for (int e = run(TANH_D, x, xo, y, yo, n); e < n; e++) {
      y[yo + e] = FastMath.tanh(x[xo + e]);
    }
  }

  static void log(double[] x, int xo, double[] y, int yo, int n) {
    for (int e = run(LOG_D, x, xo, y, yo, n); e < n; e++) {
      y[yo + e] = FastMath.log(x[xo + e]);
    }
  }


  private static void expReduce(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector v = DoubleVector.fromArray(DS, a, ao + at).max(EXP_MIN).min(EXP_MAX);
      DoubleVector nn = v.fma(LOG2E, SHIFT).sub(SHIFT).neg();
      DoubleVector r = nn.fma(LN2_HI, v);
      r = nn.fma(LN2_LO, r);
      DoubleVector q = r.fma(C13, C12);
      q = q.fma(r, C11);
      q = q.fma(r, C10);
      q = q.fma(r, C9);
      q = q.fma(r, C8);
      q = q.fma(r, C7);
      q = q.fma(r, C6);
      q = q.fma(r, C5);
      q = q.fma(r, C4);
      q = q.fma(r, C3);
      q = q.fma(r, C2);
      q = q.fma(r, ONE);
      q.fma(r, ONE).intoArray(b, bo + at);
    }
  }

  private static void expScale1(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector v = DoubleVector.fromArray(DS, a, ao + at).max(EXP_MIN).min(EXP_MAX);
      LongVector k = NEG_SHIFT_BITS.add(v.fma(LOG2E, SHIFT).reinterpretAsLongs());
      DoubleVector s1 = k.lanewise(VectorOperators.ASHR, ONE_L).add(BIAS)
          .lanewise(VectorOperators.LSHL, MANTISSA_SHIFT).reinterpretAsDoubles();
      DoubleVector.fromArray(DS, t, at).mul(s1).intoArray(b, bo + at);
    }
  }

  private static void expScale2(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector v = DoubleVector.fromArray(DS, a, ao + at).max(EXP_MIN).min(EXP_MAX);
      LongVector k = NEG_SHIFT_BITS.add(v.fma(LOG2E, SHIFT).reinterpretAsLongs());
      DoubleVector s2 = k.sub(k.lanewise(VectorOperators.ASHR, ONE_L)).add(BIAS)
          .lanewise(VectorOperators.LSHL, MANTISSA_SHIFT).reinterpretAsDoubles();
      DoubleVector.fromArray(DS, t, at).mul(s2).intoArray(b, bo + at);
    }
  }

  private static void negAbs(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector.fromArray(DS, a, ao + at).abs().neg().intoArray(b, bo + at);
    }
  }

  private static void sigmoidQuotient(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector xv = DoubleVector.fromArray(DS, a, ao + at);
      DoubleVector e = DoubleVector.fromArray(DS, t, at);
      e.blend(ONE, xv.compare(VectorOperators.GE, ZERO)).div(e.add(ONE)).intoArray(b, bo + at);
    }
  }

  private static void tanhReduce(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector h = DoubleVector.fromArray(DS, a, ao + at).abs().min(TANH_MAX);
      DoubleVector v = h.add(h);
      DoubleVector nv = v.fma(LOG2E, SHIFT).sub(SHIFT);
      DoubleVector r = nv.neg().fma(LN2_HI, v);
      r = nv.neg().fma(LN2_LO, r);
      nv.blend(nv.sub(ONE), r.compare(VectorOperators.LT, ZERO)).intoArray(b, bo + at);
    }
  }

  private static void tanhPoly(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector h = DoubleVector.fromArray(DS, a, ao + at).abs().min(TANH_MAX);
      DoubleVector v = h.add(h);
      DoubleVector nv = DoubleVector.fromArray(DS, t, at);
      DoubleVector r = nv.neg().fma(LN2_HI, v);
      r = nv.neg().fma(LN2_LO, r);
      DoubleVector q = r.fma(C17, C16);
      q = q.fma(r, C15);
      q = q.fma(r, C14);
      q = q.fma(r, C13);
      q = q.fma(r, C12);
      q = q.fma(r, C11);
      q = q.fma(r, C10);
      q = q.fma(r, C9);
      q = q.fma(r, C8);
      q = q.fma(r, C7);
      q = q.fma(r, C6);
      q = q.fma(r, C5);
      q = q.fma(r, C4);
      q = q.fma(r, C3);
      q = q.fma(r, C2);
      r.mul(r).fma(q, r).intoArray(b, bo + at);
    }
  }

  private static void tanhScale(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector em = DoubleVector.fromArray(DS, t, BLOCK + at);
      LongVector k = NEG_SHIFT_BITS.add(DoubleVector.fromArray(DS, t, at).add(SHIFT).reinterpretAsLongs());
      DoubleVector s = k.add(BIAS).lanewise(VectorOperators.LSHL, MANTISSA_SHIFT).reinterpretAsDoubles();
      em.fma(s, NEG_ONE.add(s)).intoArray(b, bo + at);
    }
  }

  private static void tanhQuotient(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector xv = DoubleVector.fromArray(DS, a, ao + at);
      DoubleVector m = DoubleVector.fromArray(DS, t, at);
      DoubleVector w = m.div(m.add(TWO));
      w.blend(w.neg(), xv.compare(VectorOperators.LT, ZERO)).blend(xv, xv.compare(VectorOperators.EQ, ZERO))
          .intoArray(b, bo + at);
    }
  }

  private static void logReduce(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector xv = DoubleVector.fromArray(DS, a, ao + at);
      LongVector bits = ZERO_L.add(xv.blend(xv.mul(TWO54), xv.compare(VectorOperators.LT, MIN_NORMAL))
          .reinterpretAsLongs());
      LongVector hx = bits.lanewise(VectorOperators.LSHR, HIGH_SHIFT).add(LOG_OFFSET);
      hx = hx.and(LOG_MANTISSA).add(LOG_SQRT_HALF);
      NEG_ONE.add(hx.lanewise(VectorOperators.LSHL, HIGH_SHIFT).or(bits.and(LOW_WORD)).reinterpretAsDoubles())
          .intoArray(b, bo + at);
    }
  }

  private static void logPoly(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector f = DoubleVector.fromArray(DS, t, at);
      DoubleVector hfsq = f.mul(HALF).mul(f);
      DoubleVector s = f.div(f.add(TWO));
      DoubleVector z = s.mul(s);
      DoubleVector w = z.mul(z);
      DoubleVector t1 = w.mul(w.mul(w.mul(LG6).add(LG4)).add(LG2));
      DoubleVector t2 = z.mul(w.mul(w.mul(w.mul(LG7).add(LG5)).add(LG3)).add(LG1));
      DoubleVector r = t2.add(t1);
      s.mul(hfsq.add(r)).intoArray(b, bo + at);
    }
  }

  private static void logSum(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector xv = DoubleVector.fromArray(DS, a, ao + at);
      VectorMask<Double> subnormal = xv.compare(VectorOperators.LT, MIN_NORMAL);
      LongVector bits = ZERO_L.add(xv.blend(xv.mul(TWO54), subnormal).reinterpretAsLongs());
      LongVector k = bits.lanewise(VectorOperators.LSHR, HIGH_SHIFT).add(LOG_OFFSET)
          .lanewise(VectorOperators.ASHR, EXPONENT_SHIFT).sub(LOG_BIAS);
      DoubleVector dk = NEG_SHIFT.add(k.add(SHIFT_BITS).reinterpretAsDoubles()).sub(ZERO.blend(K54, subnormal));
      DoubleVector f = DoubleVector.fromArray(DS, t, at);
      DoubleVector hfsq = f.mul(HALF).mul(f);
      DoubleVector.fromArray(DS, b, bo + at).add(dk.mul(LN2_LO)).sub(hfsq).add(f).add(dk.mul(LN2_HI))
          .intoArray(b, bo + at);
    }
  }

  private static void logSpecial(double[] a, int ao, double[] t, double[] b, int bo, int len) {
    for (int at = 0; at < len; at += DL) {
      DoubleVector xv = DoubleVector.fromArray(DS, a, ao + at);
      DoubleVector v = DoubleVector.fromArray(DS, t, BLOCK + at);
      v = v.blend(xv, xv.compare(VectorOperators.EQ, INF));
      v = v.blend(NAN, xv.compare(VectorOperators.GT, ZERO).not());
      v.blend(NEG_INF, xv.compare(VectorOperators.EQ, ZERO)).intoArray(b, bo + at);
    }
  }
}
