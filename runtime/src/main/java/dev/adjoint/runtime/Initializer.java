package dev.adjoint.runtime;

import java.util.Objects;

/**
 * The parameter initializers of the language: {@code zeros}, {@code ones}, {@code constant(v)},
 * {@code uniform(lo, hi)}, {@code normal(mean, std)}, {@code glorot_uniform} and {@code he_normal}.
 *
 * <p>Random initializers draw from {@link SeededRandom#forParameter(long, String)}, one value per
 * element in row-major order, so a parameter's values depend only on the model seed, the
 * parameter's name, its shape and its initializer. Values are computed in double and rounded once
 * to float for {@code f32}:
 *
 * <ul>
 *   <li>{@code uniform(lo, hi)}: {@code lo + (hi - lo) * u} with {@code u = nextDouble()};
 *   <li>{@code normal(mean, std)}: {@code mean + std * z} with {@code z = nextGaussian()};
 *   <li>{@code glorot_uniform}: {@code uniform(-l, l)} with {@code l = sqrt(6 / (fanIn + fanOut))};
 *   <li>{@code he_normal}: {@code normal(0, sqrt(2 / fanIn))}.
 * </ul>
 *
 * <p>Generated code calls, for example, {@code Initializer.heNormal().fill(W1, seed, "W1", 64, 32)}.
 */
public final class Initializer {
  private enum Kind { ZEROS, ONES, CONSTANT, UNIFORM, NORMAL, GLOROT_UNIFORM, HE_NORMAL }

  private static final Initializer ZEROS = new Initializer(Kind.ZEROS, 0, 0);
  private static final Initializer ONES = new Initializer(Kind.ONES, 1, 0);
  private static final Initializer GLOROT_UNIFORM = new Initializer(Kind.GLOROT_UNIFORM, 0, 0);
  private static final Initializer HE_NORMAL = new Initializer(Kind.HE_NORMAL, 0, 0);

  private final Kind kind;
  private final double a;
  private final double b;

  private Initializer(Kind kind, double a, double b) {
    this.kind = kind;
    this.a = a;
    this.b = b;
  }

  /** {@code zeros}. */
  public static Initializer zeros() {
    return ZEROS;
  }

  /** {@code ones}. */
  public static Initializer ones() {
    return ONES;
  }

  /** {@code constant(v)}: every element equals {@code value}. */
  public static Initializer constant(double value) {
    return new Initializer(Kind.CONSTANT, value, 0);
  }

  /**
   * {@code uniform(lo, hi)}: uniform in [lo, hi).
   *
   * @throws IllegalArgumentException unless {@code lo <= hi}, both finite
   */
  public static Initializer uniform(double lo, double hi) {
    if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi)) {
      throw new IllegalArgumentException("uniform(" + lo + ", " + hi + "): need finite lo <= hi");
    }
    return new Initializer(Kind.UNIFORM, lo, hi);
  }

  /**
   * {@code normal(mean, std)}.
   *
   * @throws IllegalArgumentException unless {@code mean} is finite and {@code std >= 0} finite
   */
  public static Initializer normal(double mean, double std) {
    if (!(Double.isFinite(mean) && Double.isFinite(std) && std >= 0)) {
      throw new IllegalArgumentException("normal(" + mean + ", " + std + "): need finite mean and std >= 0");
    }
    return new Initializer(Kind.NORMAL, mean, std);
  }

  /** {@code glorot_uniform}: uniform in ±{@code sqrt(6 / (fanIn + fanOut))}. */
  public static Initializer glorotUniform() {
    return GLOROT_UNIFORM;
  }

  /** {@code he_normal}: normal with mean 0 and standard deviation {@code sqrt(2 / fanIn)}. */
  public static Initializer heNormal() {
    return HE_NORMAL;
  }

  /**
   * The fan-in of a parameter shape, as in PyTorch but with matrices stored {@code [in, out]}
   * (the language multiplies {@code x @ W}, so rows are inputs):
   *
   * <ul>
   *   <li>scalar {@code []}: 1;
   *   <li>rank 1 {@code [n]}: {@code n};
   *   <li>rank 2 {@code [in, out]}: {@code in};
   *   <li>rank 3 and more, PyTorch's convolution layout {@code [out, in, k1, k2, ...]}:
   *       {@code in * k1 * k2 * ...}.
   * </ul>
   */
  public static int fanIn(int... shape) {
    switch (shape.length) {
      case 0:
        return 1;
      case 1:
      case 2:
        return shape[0];
      default:
        return shape[1] * Shapes.suffixProduct(shape, 2);
    }
  }

  /**
   * The fan-out of a parameter shape: scalar 1; {@code [n]}: {@code n}; {@code [in, out]}:
   * {@code out}; {@code [out, in, k1, ...]}: {@code out * k1 * ...}. See {@link #fanIn(int...)}.
   */
  public static int fanOut(int... shape) {
    switch (shape.length) {
      case 0:
        return 1;
      case 1:
        return shape[0];
      case 2:
        return shape[1];
      default:
        return shape[0] * Shapes.suffixProduct(shape, 2);
    }
  }

  /**
   * Fills an {@code f32} parameter of the given shape (values computed in double, rounded once).
   *
   * @param into the parameter's storage, of length {@code Shapes.size(shape)}
   * @param seed the model seed
   * @param parameterName the parameter's name, which selects its random stream
   * @param shape the parameter's shape, which gives the fans
   */
  public void fill(float[] into, long seed, String parameterName, int... shape) {
    Shapes.checkLength("parameter " + parameterName, into.length, shape);
    Sampler sampler = sampler(seed, parameterName, shape);
    for (int i = 0; i < into.length; i++) {
      into[i] = (float) sampler.next();
    }
  }

  /** Fills an {@code f64} parameter; see {@link #fill(float[], long, String, int...)}. */
  public void fill(double[] into, long seed, String parameterName, int... shape) {
    Shapes.checkLength("parameter " + parameterName, into.length, shape);
    Sampler sampler = sampler(seed, parameterName, shape);
    for (int i = 0; i < into.length; i++) {
      into[i] = sampler.next();
    }
  }

  /** A new {@code f32} tensor initialized as by {@link #fill(float[], long, String, int...)}. */
  public FloatTensor f32(long seed, String parameterName, int... shape) {
    float[] data = new float[Shapes.size(shape)];
    fill(data, seed, parameterName, shape);
    return FloatTensor.wrap(data, shape);
  }

  /** A new {@code f64} tensor initialized as by {@link #fill(double[], long, String, int...)}. */
  public DoubleTensor f64(long seed, String parameterName, int... shape) {
    double[] data = new double[Shapes.size(shape)];
    fill(data, seed, parameterName, shape);
    return DoubleTensor.wrap(data, shape);
  }

  /** Draws the values of one parameter in row-major order. */
  private interface Sampler {
    double next();
  }

  private Sampler sampler(long seed, String parameterName, int[] shape) {
    switch (kind) {
      case ZEROS:
      case ONES:
      case CONSTANT:
        return () -> a;
      case UNIFORM:
        return uniformSampler(SeededRandom.forParameter(seed, parameterName), a, b);
      case NORMAL:
        return normalSampler(SeededRandom.forParameter(seed, parameterName), a, b);
      case GLOROT_UNIFORM:
        double limit = StrictMath.sqrt(6.0 / (fanIn(shape) + (double) fanOut(shape)));
        return uniformSampler(SeededRandom.forParameter(seed, parameterName), -limit, limit);
      case HE_NORMAL:
        double std = StrictMath.sqrt(2.0 / fanIn(shape));
        return normalSampler(SeededRandom.forParameter(seed, parameterName), 0, std);
      default:
        throw new AssertionError(kind);
    }
  }

  private static Sampler uniformSampler(SeededRandom random, double lo, double hi) {
    return () -> lo + (hi - lo) * random.nextDouble();
  }

  private static Sampler normalSampler(SeededRandom random, double mean, double std) {
    return () -> mean + std * random.nextGaussian();
  }

  /** The language spelling: {@code he_normal}, {@code uniform(-0.1, 0.1)}, {@code constant(0.5)}. */
  @Override
  public String toString() {
    switch (kind) {
      case CONSTANT:
        return "constant(" + a + ")";
      case UNIFORM:
        return "uniform(" + a + ", " + b + ")";
      case NORMAL:
        return "normal(" + a + ", " + b + ")";
      case GLOROT_UNIFORM:
        return "glorot_uniform";
      case HE_NORMAL:
        return "he_normal";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Initializer i
        && kind == i.kind
        && Double.compare(a, i.a) == 0
        && Double.compare(b, i.b) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, a, b);
  }
}
