package dev.adjoint.runtime;

/**
 * Concatenation along one axis and its backward rule. The parts must agree on every axis but
 * {@code axis}; the result has their common shape with the {@code axis} sizes added. The backward
 * splits the gradient the same way. Outputs are overwritten and must not share storage with inputs.
 */
public final class Concat {
  private Concat() {}

  // twin: double int
  /**
   * {@code y = concat(parts, axis)}: the parts (with shapes {@code shapes}) must agree on every axis
   * but {@code axis}; {@code y} has their common shape with the {@code axis} sizes added.
   */
  public static void concat(float[][] parts, int[][] shapes, int axis, float[] y) {
    checkConcat(parts.length, shapes, axis, y.length);
    for (int p = 0; p < parts.length; p++) {
      checkPart(p, parts[p].length, shapes[p]);
    }
    int outer = Shapes.product(shapes[0], 0, axis);
    int inner = Shapes.suffixProduct(shapes[0], axis + 1);
    for (int o = 0, off = 0; o < outer; o++) {
      for (int p = 0; p < parts.length; p++) {
        int chunk = shapes[p][axis] * inner;
        System.arraycopy(parts[p], o * chunk, y, off, chunk);
        off += chunk;
      }
    }
  }
  // end twin

  // twin: double
  /**
   * Backward of {@link #concat(float[][], int[][], int, float[])}: writes into each
   * {@code dparts[p]} (overwritten) its piece of {@code dy}.
   */
  public static void concatBackward(float[] dy, int[][] shapes, int axis, float[][] dparts) {
    checkConcat(dparts.length, shapes, axis, dy.length);
    for (int p = 0; p < dparts.length; p++) {
      checkPart(p, dparts[p].length, shapes[p]);
    }
    int outer = Shapes.product(shapes[0], 0, axis);
    int inner = Shapes.suffixProduct(shapes[0], axis + 1);
    for (int o = 0, off = 0; o < outer; o++) {
      for (int p = 0; p < dparts.length; p++) {
        int chunk = shapes[p][axis] * inner;
        System.arraycopy(dy, off, dparts[p], o * chunk, chunk);
        off += chunk;
      }
    }
  }
  // end twin

  private static void checkPart(int p, int length, int[] shape) {
    if (length != Shapes.size(shape)) {
      throw new IllegalArgumentException("concat: part " + p + " has " + length
          + " elements but shape " + Shapes.format(shape) + " needs " + Shapes.size(shape));
    }
  }

  /** Validates a concatenation apart from the parts' lengths. */
  private static void checkConcat(int partCount, int[][] shapes, int axis, int yLength) {
    if (partCount == 0 || partCount != shapes.length) {
      throw new IllegalArgumentException("concat: " + partCount + " parts with "
          + shapes.length + " shapes");
    }
    int[] first = shapes[0];
    Shapes.checkAxis(axis, first.length);
    int total = 0;
    for (int p = 0; p < shapes.length; p++) {
      int[] s = shapes[p];
      boolean ok = s.length == first.length;
      for (int d = 0; ok && d < s.length; d++) {
        ok = d == axis || s[d] == first[d];
      }
      if (!ok) {
        throw new IllegalArgumentException("concat: part " + p + " has shape " + Shapes.format(s)
            + ", which does not match " + Shapes.format(first) + " outside axis " + axis);
      }
      total += s[axis];
    }
    Shapes.checkLength("concat", "output", yLength,
        (long) Shapes.product(first, 0, axis) * total * Shapes.suffixProduct(first, axis + 1));
  }
}
