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
  static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  static final long MIX_1 = 0xBF58476D1CE4E5B9L; // SplitMix64's output function (Stafford's variant 13)
  static final long MIX_2 = 0x94D049BB133111EBL;

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
    long z = stream + (i + 1) * GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * MIX_1;
    z = (z ^ (z >>> 27)) * MIX_2;
    z ^= z >>> 31;
    return z >>> 11;
  }

  /**
   * {@code ⌈p·2⁵³⌉}: {@code draw >= threshold(p)} exactly when {@link #keep} holds, {@code draw·2⁻⁵³ >= p}, since
   * both products are exact and {@code draw} is an integer. The kernels compare integers.
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
    Kernels.impl().dropout(x, y, x.length, stream(seed, step, site), threshold(p), (float) scale(p));
  }

  /** {@code y = dropout(x, p)} in {@code mode}, f64. */
  public static void forward(double[] x, double[] y, double p, long seed, long step, int site, Mode mode) {
    check(x.length, y.length, p);
    if (mode == Mode.EVALUATION) {
      System.arraycopy(x, 0, y, 0, x.length);
      return;
    }
    Kernels.impl().dropout(x, y, x.length, stream(seed, step, site), threshold(p), scale(p));
  }

  private static void check(int xLength, int yLength, double p) {
    Shapes.checkLength("dropout", "output", yLength, xLength);
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout: p must be in [0, 1], got " + p);
    }
  }
}
