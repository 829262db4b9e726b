package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Slicing and its backward rule.
 *
 * <p>A slice takes, on every axis {@code d}, the elements {@code starts[d] <= i < ends[d]}; bounds
 * are already resolved (non-negative, within the axis; see {@link Shapes#resolveBound}) and every
 * axis has one (a whole axis is {@code [0, dim)}). The backward writes the upstream gradient into
 * that window of a zero gradient, or adds it into an existing gradient. Outputs must not share
 * storage with inputs. The output shape is {@link Shapes#sliceShape}.
 */
public final class Slices {
  private Slices() {}

  // twin: double int
  /** {@code y = x[starts[0]:ends[0], starts[1]:ends[1], …]}. */
  public static void slice(float[] x, int[] shape, int[] starts, int[] ends, float[] y) {
    checkSlice(x.length, shape, starts, ends, y.length);
    if (shape.length == 0) {
      y[0] = x[0];
    } else if (y.length > 0) {
      copyWindow(x, shape, starts, ends, y, 0, 0, 0);
    }
  }

  private static void copyWindow(float[] x, int[] shape, int[] starts, int[] ends, float[] y,
      int d, int xo, int yo) {
    int len = ends[d] - starts[d];
    if (d == shape.length - 1) {
      System.arraycopy(x, xo + starts[d], y, yo, len);
      return;
    }
    int xs = Shapes.suffixProduct(shape, d + 1);
    int ys = windowSize(starts, ends, d + 1);
    for (int i = 0; i < len; i++) {
      copyWindow(x, shape, starts, ends, y, d + 1, xo + (starts[d] + i) * xs, yo + i * ys);
    }
  }
  // end twin

  // twin: double
  /**
   * Backward of {@link #slice(float[], int[], int[], int[], float[])}: adds {@code dy} into the
   * window of {@code dx} (shape {@code shape}); with {@code accumulate} false, {@code dx} is zeroed
   * first, so the rest of it is 0.
   */
  public static void sliceBackward(float[] dy, int[] shape, int[] starts, int[] ends, float[] dx,
      boolean accumulate) {
    checkSlice(dx.length, shape, starts, ends, dy.length);
    if (!accumulate) {
      Arrays.fill(dx, 0);
    }
    if (shape.length == 0) {
      dx[0] += dy[0];
    } else if (dy.length > 0) {
      addWindow(dy, shape, starts, ends, dx, 0, 0, 0);
    }
  }

  private static void addWindow(float[] dy, int[] shape, int[] starts, int[] ends, float[] dx,
      int d, int xo, int yo) {
    int len = ends[d] - starts[d];
    if (d == shape.length - 1) {
      int xb = xo + starts[d];
      for (int i = 0; i < len; i++) {
        dx[xb + i] += dy[yo + i];
      }
      return;
    }
    int xs = Shapes.suffixProduct(shape, d + 1);
    int ys = windowSize(starts, ends, d + 1);
    for (int i = 0; i < len; i++) {
      addWindow(dy, shape, starts, ends, dx, d + 1, xo + (starts[d] + i) * xs, yo + i * ys);
    }
  }
  // end twin

  private static int windowSize(int[] starts, int[] ends, int from) {
    int n = 1;
    for (int d = from; d < starts.length; d++) {
      n *= ends[d] - starts[d];
    }
    return n;
  }

  private static void checkSlice(int xLength, int[] shape, int[] starts, int[] ends, int yLength) {
    if (starts.length != shape.length || ends.length != shape.length) {
      throw new IllegalArgumentException("slice: bounds " + Shapes.format(starts) + ", "
          + Shapes.format(ends) + " do not match rank " + shape.length);
    }
    for (int d = 0; d < shape.length; d++) {
      if (starts[d] < 0 || starts[d] > ends[d] || ends[d] > shape[d]) {
        throw new IllegalArgumentException("slice: axis " + d + " bounds [" + starts[d] + ", "
            + ends[d] + ") are not within 0.." + shape[d]);
      }
    }
    Shapes.checkLength("slice", "input", xLength, shape);
    Shapes.checkLength("slice", "window", yLength, windowSize(starts, ends, 0));
  }
}
