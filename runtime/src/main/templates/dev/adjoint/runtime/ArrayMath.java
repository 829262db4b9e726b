package dev.adjoint.runtime;

/**
 * {@link FastMath}'s functions over arrays, vectorized: with the Vector API when it is available (see
 * {@link Kernels}), else as plain loops. Either way each element gets exactly the bits
 * {@code FastMath} gives for it, so a generated loop that calls {@code FastMath.tanh(x[i])} and one
 * that calls {@code ArrayMath.tanh} agree.
 *
 * <p>{@code y} may be {@code x} itself (in place, same offsets); other overlaps are not allowed.
 */
public final class ArrayMath {
  private ArrayMath() {}

  // twin: double

  /** {@code y[i] = exp(x[i])}. */
  public static void exp(float[] x, float[] y) {
    check("exp", x.length, 0, y.length, 0, x.length);
    Kernels.impl().exp(x, 0, y, 0, x.length);
  }

  /** {@code y[yOffset + i] = exp(x[xOffset + i])} for {@code i < length}. */
  public static void exp(float[] x, int xOffset, float[] y, int yOffset, int length) {
    check("exp", x.length, xOffset, y.length, yOffset, length);
    Kernels.impl().exp(x, xOffset, y, yOffset, length);
  }

  /** {@code y[i] = log(x[i])}. */
  public static void log(float[] x, float[] y) {
    check("log", x.length, 0, y.length, 0, x.length);
    Kernels.impl().log(x, 0, y, 0, x.length);
  }

  /** {@code y[yOffset + i] = log(x[xOffset + i])} for {@code i < length}. */
  public static void log(float[] x, int xOffset, float[] y, int yOffset, int length) {
    check("log", x.length, xOffset, y.length, yOffset, length);
    Kernels.impl().log(x, xOffset, y, yOffset, length);
  }

  /** {@code y[i] = tanh(x[i])}. */
  public static void tanh(float[] x, float[] y) {
    check("tanh", x.length, 0, y.length, 0, x.length);
    Kernels.impl().tanh(x, 0, y, 0, x.length);
  }

  /** {@code y[yOffset + i] = tanh(x[xOffset + i])} for {@code i < length}. */
  public static void tanh(float[] x, int xOffset, float[] y, int yOffset, int length) {
    check("tanh", x.length, xOffset, y.length, yOffset, length);
    Kernels.impl().tanh(x, xOffset, y, yOffset, length);
  }

  /** {@code y[i] = sigmoid(x[i])}. */
  public static void sigmoid(float[] x, float[] y) {
    check("sigmoid", x.length, 0, y.length, 0, x.length);
    Kernels.impl().sigmoid(x, 0, y, 0, x.length);
  }

  /** {@code y[yOffset + i] = sigmoid(x[xOffset + i])} for {@code i < length}. */
  public static void sigmoid(float[] x, int xOffset, float[] y, int yOffset, int length) {
    check("sigmoid", x.length, xOffset, y.length, yOffset, length);
    Kernels.impl().sigmoid(x, xOffset, y, yOffset, length);
  }

  // end twin

  private static void check(String op, int xLength, int xOffset, int yLength, int yOffset, int length) {
    if (xOffset < 0 || yOffset < 0 || length < 0 || (long) xOffset + length > xLength
        || (long) yOffset + length > yLength) {
      throw new IllegalArgumentException(op + ": " + length + " elements from offsets " + xOffset + " and "
          + yOffset + " do not fit arrays of " + xLength + " and " + yLength);
    }
  }
}
