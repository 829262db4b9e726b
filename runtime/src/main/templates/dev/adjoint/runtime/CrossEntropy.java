package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Cross-entropy from logits and integer labels, and {@code one_hot}.
 *
 * <p>Logits are viewed as {@code [rows, classes]}: any leading axes are flattened into rows, and
 * {@code labels} has one entry per row. The loss of a row is
 * {@code logsumexp(logits[r]) - logits[r, label]}, computed with the row maximum subtracted, so it
 * stays finite and exact at logits of ±1000. Dedicated rather than composed from log-softmax because
 * the fused backward {@code softmax - one_hot} is both cheaper and more accurate.
 *
 * <p>Exponentials are {@link FastMath#exp} in the element type, sums accumulate in double; the
 * backward computes each exponential once, into {@code dlogits}, vectorized.
 *
 * <p>A label outside {@code [0, classes)} throws {@link IllegalArgumentException} naming the row,
 * the label and the number of classes. Outputs are overwritten.
 */
public final class CrossEntropy {
  private CrossEntropy() {}

  // twin: double
  /**
   * {@code loss[r] = logsumexp(logits[r, :]) - logits[r, labels[r]]} for each row.
   *
   * @throws IllegalArgumentException for an out-of-range label or mismatched lengths
   */
  public static void crossEntropy(float[] logits, int[] labels, int rows, int classes, float[] loss) {
    check(logits.length, labels, rows, classes, loss.length);
    for (int r = 0; r < rows; r++) {
      int base = r * classes;
      float m = Softmax.max(logits, base, classes, 1);
      double s = 0;
      for (int c = 0; c < classes; c++) {
        s += FastMath.exp(logits[base + c] - m);
      }
      loss[r] = (float) (m - logits[base + labels[r]] + Math.log(s));
    }
  }

  /**
   * Backward of {@link #crossEntropy(float[], int[], int, int, float[])}:
   * {@code dlogits[r, c] = (softmax(logits[r])[c] - (c == labels[r] ? 1 : 0)) * dloss[r]}.
   *
   * @param dloss the upstream gradient, one value per row
   */
  public static void crossEntropyBackward(
      float[] logits, int[] labels, float[] dloss, int rows, int classes, float[] dlogits) {
    check(logits.length, labels, rows, classes, dloss.length);
    Shapes.checkLength("cross_entropy backward", "dlogits", dlogits.length, logits.length);
    for (int r = 0; r < rows; r++) {
      int base = r * classes;
      float m = Softmax.max(logits, base, classes, 1);
      double scale = 1 / Softmax.expShifted(logits, dlogits, base, classes, 1, m);
      int label = labels[r];
      double g = dloss[r];
      for (int c = 0; c < classes; c++) {
        double p = dlogits[base + c] * scale;
        dlogits[base + c] = (float) ((c == label ? p - 1 : p) * g);
      }
    }
  }

  /**
   * {@code out[e, c] = (c == labels[e]) ? 1 : 0}; {@code labels} may have any shape, {@code out}
   * has that shape with {@code classes} appended.
   *
   * @throws IllegalArgumentException for an out-of-range label or a wrong output length
   */
  public static void oneHot(int[] labels, int classes, float[] out) {
    checkOneHot(labels, classes, out.length);
    Arrays.fill(out, 0);
    for (int e = 0; e < labels.length; e++) {
      out[e * classes + labels[e]] = 1;
    }
  }
  // end twin

  /** {@code one_hot(labels, classes, dtype=i32)}; same checks as the float variant. */
  public static void oneHot(int[] labels, int classes, int[] out) {
    checkOneHot(labels, classes, out.length);
    Arrays.fill(out, 0);
    for (int e = 0; e < labels.length; e++) {
      out[e * classes + labels[e]] = 1;
    }
  }

  private static void check(int logitsLength, int[] labels, int rows, int classes, int rowValues) {
    if (rows < 0 || classes < 0) {
      throw new IllegalArgumentException("cross_entropy: negative size " + rows + " x " + classes);
    }
    Shapes.checkLength("cross_entropy", "logits", logitsLength, (long) rows * classes);
    Shapes.checkLength("cross_entropy", "labels", labels.length, rows);
    Shapes.checkLength("cross_entropy", "per-row values", rowValues, rows);
    for (int r = 0; r < rows; r++) {
      if (labels[r] < 0 || labels[r] >= classes) {
        throw outOfRange("cross_entropy", "row", r, labels[r], classes);
      }
    }
  }

  private static void checkOneHot(int[] labels, int classes, int outLength) {
    if (classes < 0) {
      throw new IllegalArgumentException("one_hot: negative class count " + classes);
    }
    Shapes.checkLength("one_hot", "output", outLength, (long) labels.length * classes);
    for (int e = 0; e < labels.length; e++) {
      if (labels[e] < 0 || labels[e] >= classes) {
        throw outOfRange("one_hot", "element", e, labels[e], classes);
      }
    }
  }

  /** {@code cross_entropy: label 12 in row 3 is out of range for 10 classes (expected 0 <= label < 10)}. */
  private static IllegalArgumentException outOfRange(String op, String where, int index, int label, int classes) {
    return new IllegalArgumentException(op + ": label " + label + " in " + where + " " + index
        + " is out of range for " + classes + " classes (expected 0 <= label < " + classes + ")");
  }
}
