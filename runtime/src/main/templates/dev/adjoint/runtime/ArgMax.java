package dev.adjoint.runtime;

/**
 * {@code argmax} along one axis, as {@code torch.argmax}: the index of the first maximal element of
 * each line along {@code axis}, as an {@code int}. A NaN counts as larger than every number (the
 * first NaN wins), as in PyTorch and NumPy. The output has the input's shape without the axis (or
 * with it as 1: the layout is the same). Allocation-free.
 */
public final class ArgMax {
  private ArgMax() {}

  // twin: double
  /** {@code y = argmax(x, axis)}. */
  public static void argmax(float[] x, int[] shape, int axis, int[] y) {
    int n = check(x.length, shape, axis, y.length);
    int inner = Shapes.suffixProduct(shape, axis + 1);
    for (int j = 0; j < y.length; j++) {
      int base = j / inner * n * inner + j % inner;
      int best = 0;
      float m = x[base];
      for (int q = 1; q < n && !Float.isNaN(m); q++) {
        float v = x[base + q * inner];
        if (v > m || Float.isNaN(v)) {
          m = v;
          best = q;
        }
      }
      y[j] = best;
    }
  }
  // end twin

  /** {@code y = argmax(x, axis)}. */
  public static void argmax(int[] x, int[] shape, int axis, int[] y) {
    int n = check(x.length, shape, axis, y.length);
    int inner = Shapes.suffixProduct(shape, axis + 1);
    for (int j = 0; j < y.length; j++) {
      int base = j / inner * n * inner + j % inner;
      int best = 0;
      int m = x[base];
      for (int q = 1; q < n; q++) {
        int v = x[base + q * inner];
        if (v > m) {
          m = v;
          best = q;
        }
      }
      y[j] = best;
    }
  }

  /** Validates the call and returns the length of the axis, which must not be empty. */
  private static int check(int xLength, int[] shape, int axis, int yLength) {
    Shapes.checkAxis(axis, shape.length);
    Shapes.checkLength("argmax", "input", xLength, shape);
    if (shape[axis] == 0) {
      throw new IllegalArgumentException("argmax: axis " + axis + " of " + Shapes.format(shape) + " is empty");
    }
    Shapes.checkLength("argmax", "output", yLength, (long) xLength / shape[axis]);
    return shape[axis];
  }
}
