package dev.adjoint.runtime;

/**
 * Axis permutation: {@code y = transpose(x, perm)}, where axis {@code d} of {@code y} is axis
 * {@code perm[d]} of {@code x}, so {@code y.shape[d] = x.shape[perm[d]]}. The backward is the
 * transpose by {@link Shapes#inversePermutation(int...)}. {@code .T} of a matrix is
 * {@code perm = [1, 0]}, for which {@code transpose2d} is the direct form.
 *
 * <p>Outputs are overwritten and must not share storage with the input. Reshape needs no kernel:
 * the data of a row-major tensor is the same under any shape of the same size.
 */
public final class Transpose {
  private Transpose() {}

  // twin: double int
  /** {@code y[c, r] = x[r, c]} for {@code x} of shape {@code [rows, cols]}. */
  public static void transpose2d(float[] x, int rows, int cols, float[] y) {
    Shapes.checkLength("transpose", "input", x.length, (long) rows * cols);
    Shapes.checkLength("transpose", "output", y.length, x.length);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        y[c * rows + r] = x[r * cols + c];
      }
    }
  }

  /** {@code y = transpose(x, perm)} for any rank; {@code perm} is a permutation of the axes. */
  public static void transpose(float[] x, int[] shape, int[] perm, float[] y) {
    check(x.length, shape, perm, y.length);
    if (shape.length == 0) {
      y[0] = x[0];
    } else if (x.length > 0) {
      permute(x, shape, perm, y, 0, 0, 0);
    }
  }

  private static void permute(float[] x, int[] shape, int[] perm, float[] y, int d, int xo, int yo) {
    int n = shape[perm[d]];
    int xs = Shapes.suffixProduct(shape, perm[d] + 1);
    if (d == perm.length - 1) {
      for (int i = 0; i < n; i++) {
        y[yo + i] = x[xo + i * xs];
      }
      return;
    }
    int ys = 1;
    for (int e = d + 1; e < perm.length; e++) {
      ys *= shape[perm[e]];
    }
    for (int i = 0; i < n; i++) {
      permute(x, shape, perm, y, d + 1, xo + i * xs, yo + i * ys);
    }
  }
  // end twin

  private static void check(int xLength, int[] shape, int[] perm, int yLength) {
    if (perm.length != shape.length) {
      throw new IllegalArgumentException("transpose: permutation " + Shapes.format(perm)
          + " does not match rank " + shape.length + " of shape " + Shapes.format(shape));
    }
    Axes.checkPermutation(perm);
    Shapes.checkLength("transpose", "input", xLength, shape);
    Shapes.checkLength("transpose", "output", yLength, xLength);
  }
}
