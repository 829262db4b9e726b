package dev.adjoint.runtime;

/**
 * Scalar elementwise functions whose naive forms overflow or lose accuracy, for generated loops to
 * call (the JIT inlines them). Each is exact in the limits: {@code sigmoid(±1000)} is 1 or 0,
 * {@code softplus(1000) = 1000}, {@code softplus(-1000) = 0}, {@code logSigmoid(-1000) = -1000}.
 * The float forms compute in double and round once.
 */
public final class Activations {
  private Activations() {}

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double GELU_CUBIC = 0.044715;

  /** {@code 1 / (1 + exp(-x))}, through {@code exp(-|x|)} so nothing overflows. */
  public static double sigmoid(double x) {
    double e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }

  /** {@code log(1 + exp(x))} as {@code max(x, 0) + log1p(exp(-|x|))}; also the integral of sigmoid. */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** {@code log(sigmoid(x)) = -softplus(-x) = min(x, 0) - log1p(exp(-|x|))}. */
  public static double logSigmoid(double x) {
    return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
  }

  /**
   * GELU, tanh approximation: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
   */
  public static double gelu(double x) {
    double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x));
    return 0.5 * x * (1 + t);
  }

  /**
   * The exact derivative of {@link #gelu(double)}:
   * {@code 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)} with {@code t} the
   * tanh above. Where {@code 1 - t^2} is exactly 0 (large {@code |x|}) the second term is 0, so no
   * {@code 0 * infinity} arises.
   */
  public static double geluDerivative(double x) {
    double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x));
    double sech2 = 1 - t * t;
    double slope = sech2 == 0 ? 0 : 0.5 * x * sech2 * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
    return 0.5 * (1 + t) + slope;
  }

  /** Float form of {@link #sigmoid(double)}. */
  public static float sigmoid(float x) {
    return (float) sigmoid((double) x);
  }

  /** Float form of {@link #softplus(double)}. */
  public static float softplus(float x) {
    return (float) softplus((double) x);
  }

  /** Float form of {@link #logSigmoid(double)}. */
  public static float logSigmoid(float x) {
    return (float) logSigmoid((double) x);
  }

  /** Float form of {@link #gelu(double)}. */
  public static float gelu(float x) {
    return (float) gelu((double) x);
  }

  /** Float form of {@link #geluDerivative(double)}. */
  public static float geluDerivative(float x) {
    return (float) geluDerivative((double) x);
  }
}
