package dev.adjoint.runtime;

/**
 * {@link FastMath}'s functions over arrays, and a few plain array loops of the backward pass (relu's mask, sums
 * over rows), vectorized: with the Vector API when it is available (see
 * {@link Kernels}), else as plain loops. Either way each element gets exactly the bits
 * {@code FastMath} gives for it, so a generated loop that calls {@code FastMath.tanh(x[i])} and one
 * that calls {@code ArrayMath.tanh} agree.
 *
 * <p>{@code y} may be {@code x} itself (in place, same offsets); other overlaps are not allowed.
 */
public final class ArrayMath {
  private ArrayMath() {}

  /** {@link #columnSums} copies rows of at least this many values to add them in a vectorized loop. */
  private static final int COPIED_ROW_MIN = 32;

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

  /**
   * {@code y[i] = x[i] > 0 ? a[i] : 0}: relu's backward mask, {@code where(x > 0, a, 0)}, with the bits of
   * {@code FastMath.where} (a NaN in {@code x} selects 0). {@code y} may be {@code x} or {@code a}.
   */
  public static void wherePositive(float[] x, float[] a, float[] y) {
    check("wherePositive", x.length, 0, y.length, 0, x.length);
    check("wherePositive", a.length, 0, y.length, 0, x.length);
    Kernels.impl().wherePositive(x, 0, a, 0, y, 0, x.length);
  }

  /**
   * {@code y[j] = Σ_i x[i·cols + j]} over the {@code rows} rows of the row-major matrix {@code x[rows, cols]}
   * ({@code sum(x, axis 0)}, a bias gradient): each column added in ascending {@code i} from 0, rounded after each
   * addition, as {@code y[j] += x[i·cols + j]} row by row would. {@code y} must not be {@code x}.
   */
  public static void columnSums(float[] x, int rows, int cols, float[] y) {
    if (rows < 0 || cols < 0 || (long) rows * cols != x.length || cols != y.length) {
      throw new IllegalArgumentException("columnSums: " + rows + " x " + cols + " does not fit arrays of "
          + x.length + " and " + y.length);
    }
    java.util.Arrays.fill(y, 0);
    if (cols < COPIED_ROW_MIN) {
      for (int i = 0; i < rows; i++) {
        int o = i * cols;
        for (int j = 0; j < cols; j++) {
          y[j] += x[o + j];
        }
      }
      return;
    }
    float[] row = GemmScratch.current().rowF32(cols);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(x, i * cols, row, 0, cols);
      addTo(y, row, cols);
    }
  }

  /**
   * {@code y[c] = Σ_o Σ_j x[(o·channels + c)·inner + j]} over {@code x[outer, channels, inner]} (the sum over every
   * axis of an NCHW value but the channels: a convolution's bias gradient), each run of {@code inner} elements added
   * in double in ascending {@code j} from 0 and rounded, then added to {@code y[c]} in ascending {@code o}: as the
   * generated loop {@code s = 0; for j: s += x[…]; y[c] += (float) s} does, to the bit. Four channels' runs are
   * added side by side, so that their four chains of additions overlap instead of each waiting for the one before.
   * {@code y} must not be {@code x}.
   */
  public static void channelSums(float[] x, int outer, int channels, int inner, float[] y) {
    if (outer < 0 || channels < 0 || inner < 0 || (long) outer * channels * inner != x.length
        || channels != y.length) {
      throw new IllegalArgumentException("channelSums: " + outer + " x " + channels + " x " + inner
          + " does not fit arrays of " + x.length + " and " + y.length);
    }
    java.util.Arrays.fill(y, 0);
    for (int o = 0; o < outer; o++) {
      int c = 0;
      for (; c + 4 <= channels; c += 4) {
        int b0 = (o * channels + c) * inner;
        int b1 = b0 + inner;
        int b2 = b1 + inner;
        int b3 = b2 + inner;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0; j < inner; j++) {
          s0 += x[b0 + j];
          s1 += x[b1 + j];
          s2 += x[b2 + j];
          s3 += x[b3 + j];
        }
        y[c] += (float) s0;
        y[c + 1] += (float) s1;
        y[c + 2] += (float) s2;
        y[c + 3] += (float) s3;
      }
      for (; c < channels; c++) {
        int b = (o * channels + c) * inner;
        double s = 0;
        for (int j = 0; j < inner; j++) {
          s += x[b + j];
        }
        y[c] += (float) s;
      }
    }
  }

  /** {@code y[j] += row[j]}: both arrays at offset 0, which C2 vectorizes (not {@code y[j] += x[o + j]}). */
  private static void addTo(float[] y, float[] row, int n) {
    for (int j = 0; j < n; j++) {
      y[j] += row[j];
    }
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
