package dev.adjoint.runtime;

import java.nio.charset.StandardCharsets;

/**
 * The project's own pseudo-random generator: xoshiro256** seeded through SplitMix64.
 *
 * <p>The algorithms below are part of Adjoint's contract: the same seed gives bit-identical numbers
 * on every machine and JDK. That is why this class uses neither {@code java.util.Random} nor
 * {@code SplittableRandom} (whose algorithms are the JDK's business) nor {@code Math} (whose
 * transcendental functions may differ between JVMs); normals use {@link StrictMath}.
 *
 * <ul>
 *   <li><b>Seeding.</b> A SplitMix64 generator starting at {@code seed} produces four outputs,
 *       which become the xoshiro256** state {@code s0..s3}.
 *   <li><b>Stream.</b> {@link #nextLong()} is xoshiro256** (Blackman and Vigna, 2018).
 *   <li><b>Uniform.</b> {@link #nextDouble()} is {@code (nextLong() >>> 11) * 2^-53}, in [0, 1).
 *   <li><b>Normal.</b> {@link #nextGaussian()} is Box–Muller: with {@code u1 = 1 - nextDouble()} and
 *       {@code u2 = nextDouble()}, {@code r = sqrt(-2 ln u1)}, {@code t = 2 pi u2}, the pair
 *       {@code r cos t}, {@code r sin t} is returned over two calls (cosine first).
 *   <li><b>Per-parameter streams.</b> {@link #forParameter(long, String)} seeds with
 *       {@code mix(mix(modelSeed) ^ fnv1a64(utf8(name)))}, where {@code mix} is one SplitMix64 step
 *       (add {@code 0x9E3779B97F4A7C15}, then the finalizer). Adding or renaming one parameter leaves
 *       every other parameter's values unchanged.
 * </ul>
 *
 * <p>Instances are not thread-safe.
 */
public final class SeededRandom {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;
  private static final double TWO_PI = 2 * StrictMath.PI;

  private long s0;
  private long s1;
  private long s2;
  private long s3;
  private double spareGaussian;
  private boolean hasSpare;

  /** A generator whose xoshiro256** state comes from SplitMix64 started at {@code seed}. */
  public SeededRandom(long seed) {
    long x = seed;
    x += GOLDEN_GAMMA;
    s0 = finalizeMix(x);
    x += GOLDEN_GAMMA;
    s1 = finalizeMix(x);
    x += GOLDEN_GAMMA;
    s2 = finalizeMix(x);
    x += GOLDEN_GAMMA;
    s3 = finalizeMix(x);
  }

  /**
   * The stream of one parameter of a model: depends only on the model seed and the parameter's
   * name (as it appears in {@code parameters()}, for example {@code W1} or {@code W[0]}).
   */
  public static SeededRandom forParameter(long modelSeed, String parameterName) {
    return new SeededRandom(streamSeed(modelSeed, parameterName));
  }

  /** The seed {@link #forParameter} uses: {@code mix(mix(modelSeed) ^ fnv1a64(utf8(name)))}. */
  public static long streamSeed(long modelSeed, String parameterName) {
    return mix(mix(modelSeed) ^ fnv1a64(parameterName));
  }

  /** The next 64 random bits (xoshiro256**). */
  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** A uniform double in [0, 1) from the top 53 bits of {@link #nextLong()}. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /**
   * A uniform int in [0, bound), without modulo bias: the top 31 bits of {@link #nextLong()} are
   * drawn until one falls below the largest multiple of {@code bound}.
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    int limit = Integer.MAX_VALUE - (int) ((Integer.MAX_VALUE + 1L) % bound);
    while (true) {
      int bits = (int) (nextLong() >>> 33);
      if (bits <= limit) {
        return bits % bound;
      }
    }
  }

  /** A standard normal by Box–Muller with {@link StrictMath}; see the class comment. */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u1 = 1.0 - nextDouble(); // in (0, 1], so the log is finite
    double u2 = nextDouble();
    double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    double theta = TWO_PI * u2;
    spareGaussian = r * StrictMath.sin(theta);
    hasSpare = true;
    return r * StrictMath.cos(theta);
  }

  /** One SplitMix64 step: {@code finalize(x + 0x9E3779B97F4A7C15)}. A bijection on longs. */
  static long mix(long x) {
    return finalizeMix(x + GOLDEN_GAMMA);
  }

  /** The SplitMix64 output function (Stafford's variant 13). */
  private static long finalizeMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** 64-bit FNV-1a over the UTF-8 bytes of {@code text}. */
  static long fnv1a64(String text) {
    long h = FNV_OFFSET;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= FNV_PRIME;
    }
    return h;
  }
}
