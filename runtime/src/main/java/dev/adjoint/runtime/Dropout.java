package dev.adjoint.runtime;

/**
 * {@code dropout(x, p)}: inverted dropout. In {@link Mode#TRAINING} each element is kept with
 * probability {@code 1 - p} and scaled by {@code 1 / (1 - p)}, else set to 0 (all are 0 when
 * {@code p = 1}); in {@link Mode#EVALUATION} {@code y = x}.
 *
 * <p>The masks are a function of four numbers, so that they are the same on every machine, can be
 * computed again for the backward pass (the derivative of {@code y = x * m / (1 - p)} is the same
 * {@code dropout} of {@code dy}), and a training step can be repeated exactly (a gradient check, a
 * resumed run):
 *
 * <ul>
 *   <li>{@code seed}: the model's seed (the one its parameters were initialized with);
 *   <li>{@code step}: the model's training step ({@link AdjointModel#trainingStep()});
 *   <li>{@code site}: which {@code dropout} call of the model (0, 1, … in source order, every
 *       iteration of a loop and every inlined {@code fn} call its own);
 *   <li>{@code i}: the element's flat row-major index.
 * </ul>
 *
 * Element {@code i} is dropped when {@code u < p}, where {@code u} is the {@code i}-th output (from
 * 0) of a SplitMix64 generator whose state starts at {@code mix(mix(mix(seed) ^ step) ^ site)}, as
 * a double in [0, 1) from its top 53 bits ({@code mix} is one SplitMix64 step, as in
 * {@link SeededRandom}).
 */
public final class Dropout {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long MIX_1 = 0xBF58476D1CE4E5B9L; // SplitMix64's output function (Stafford's variant 13)
  private static final long MIX_2 = 0x94D049BB133111EBL;

  /** The elements {@link #forward} masks at a time. */
  static final int CHUNK = 2048;

  /** {@code (i + 1)·γ} for {@code i < CHUNK}: a chunk's generator states less its start. */
  private static final long[] STATES = new long[CHUNK];

  static {
    for (int i = 0; i < CHUNK; i++) {
      STATES[i] = (i + 1) * GOLDEN_GAMMA;
    }
  }

  private Dropout() {}

  /** The state of the generator of the masks of one call ({@code site}) at one training step. */
  public static long stream(long seed, long step, int site) {
    return SeededRandom.mix(SeededRandom.mix(SeededRandom.mix(seed) ^ step) ^ site);
  }

  /** Whether element {@code i} is kept by the generator {@code stream} with drop probability {@code p}. */
  public static boolean keep(long stream, long i, double p) {
    return draw(stream, i) * 0x1.0p-53 >= p;
  }

  /** The top 53 bits of output {@code i} (from 0) of the generator {@code stream}, an integer below 2⁵³. */
  static long draw(long stream, long i) {
    return mix(stream + (i + 1) * GOLDEN_GAMMA) >>> 11;
  }

  /** SplitMix64's output function of a generator state. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * MIX_1;
    z = (z ^ (z >>> 27)) * MIX_2;
    return z ^ (z >>> 31);
  }

  /**
   * {@code ⌈p·2⁵³⌉}: {@code draw >= threshold(p)} exactly when {@link #keep} holds, {@code draw·2⁻⁵³ >= p}, since
   * both products are exact and {@code draw} is an integer. The masks compare integers.
   */
  static long threshold(double p) {
    return (long) Math.ceil(p * 0x1.0p53);
  }

  /** The factor a kept element is multiplied by: {@code 1 / (1 - p)}, or 0 when {@code p = 1}. */
  public static double scale(double p) {
    return p >= 1 ? 0 : 1 / (1 - p);
  }

  /**
   * {@code y = dropout(x, p)} in {@code mode}; see the class comment.
   *
   * @throws IllegalArgumentException if the lengths differ or {@code p} is not in [0, 1]
   */
  public static void forward(float[] x, float[] y, double p, long seed, long step, int site, Mode mode) {
    check(x.length, y.length, p);
    if (mode == Mode.EVALUATION) {
      System.arraycopy(x, 0, y, 0, x.length);
      return;
    }
    long stream = stream(seed, step, site);
    long threshold = threshold(p);
    float scale = (float) scale(p);
    long[] masks = GemmScratch.current().masks();
    for (int from = 0; from < x.length; from += CHUNK) {
      int n = Math.min(CHUNK, x.length - from);
      masks(stream + from * GOLDEN_GAMMA, threshold, masks, n);
      for (int i = 0; i < n; i++) {
        y[from + i] = Float.intBitsToFloat(Float.floatToRawIntBits(x[from + i] * scale) & (int) masks[i]);
      }
    }
  }

  /** {@code y = dropout(x, p)} in {@code mode}, f64. */
  public static void forward(double[] x, double[] y, double p, long seed, long step, int site, Mode mode) {
    check(x.length, y.length, p);
    if (mode == Mode.EVALUATION) {
      System.arraycopy(x, 0, y, 0, x.length);
      return;
    }
    long stream = stream(seed, step, site);
    long threshold = threshold(p);
    double scale = scale(p);
    long[] masks = GemmScratch.current().masks();
    for (int from = 0; from < x.length; from += CHUNK) {
      int n = Math.min(CHUNK, x.length - from);
      masks(stream + from * GOLDEN_GAMMA, threshold, masks, n);
      for (int i = 0; i < n; i++) {
        y[from + i] = Double.longBitsToDouble(Double.doubleToRawLongBits(x[from + i] * scale) & masks[i]);
      }
    }
  }

  /**
   * {@code masks[i]} for {@code i < n}: all ones when element {@code i} of a chunk whose generator starts at
   * {@code start} is kept ({@code draw >= threshold}), else 0. Long arithmetic only and no branch, a loop C2
   * vectorizes; the elements then take their masks with an AND, so a dropped one is {@code +0} and a kept one
   * {@code x·scale}, bit for bit. (The one loop of the definition, a hash and a branch an element, cost 3-4 ns an
   * element: 20 % of the convolutional sample's step.)
   */
  private static void masks(long start, long threshold, long[] masks, int n) {
    for (int i = 0; i < n; i++) {
      masks[i] = ~(((mix(start + STATES[i]) >>> 11) - threshold) >> 63);  // draw < threshold: dropped, 0; else ones
    }
  }

  private static void check(int xLength, int yLength, double p) {
    Shapes.checkLength("dropout", "output", yLength, xLength);
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
    }
  }
}
