package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Slices with a step, {@code x[a:b:s]}, and their backward rule. On every axis {@code d} the slice
 * takes {@code counts[d]} elements, at {@code starts[d]}, {@code starts[d] + steps[d]}, … (steps
 * positive; an axis taken whole has start 0, step 1 and its full size as count). The output has the
 * shape {@code counts}. The backward writes the upstream gradient at those positions of a zeroed
 * gradient. Outputs must not share storage with inputs; nothing is allocated. Slices without steps
 * use {@link Slices}.
 */
public final class StridedSlices {
  private StridedSlices() {}

  // twin: double int
  /** {@code y = x[starts[0]::steps[0], …]}, {@code counts[d]} elements on axis {@code d}. */
  public static void slice(float[] x, int[] shape, int[] starts, int[] steps, int[] counts, float[] y) {
    check(x.length, shape, starts, steps, counts, y.length);
    if (shape.length == 0) {
      y[0] = x[0];
    } else if (y.length > 0) {
      gather(x, shape, starts, steps, counts, y, 0, 0, 0);
    }
  }

  private static void gather(float[] x, int[] shape, int[] starts, int[] steps, int[] counts, float[] y,
      int d, int xo, int yo) {
    if (d == shape.length - 1) {
      for (int i = 0, at = xo + starts[d]; i < counts[d]; i++, at += steps[d]) {
        y[yo + i] = x[at];
      }
      return;
    }
    int xs = Shapes.suffixProduct(shape, d + 1);
    int ys = Shapes.suffixProduct(counts, d + 1);
    for (int i = 0; i < counts[d]; i++) {
      gather(x, shape, starts, steps, counts, y, d + 1, xo + (starts[d] + i * steps[d]) * xs, yo + i * ys);
    }
  }
  // end twin

  // twin: double
  /**
   * Backward of {@link #slice(float[], int[], int[], int[], int[], float[])}: {@code dx} (shape
   * {@code shape}) is zeroed, then {@code dy} is written at the positions the slice took.
   */
  public static void sliceBackward(float[] dy, int[] shape, int[] starts, int[] steps, int[] counts,
      float[] dx) {
    check(dx.length, shape, starts, steps, counts, dy.length);
    Arrays.fill(dx, 0);
    if (shape.length == 0) {
      dx[0] = dy[0];
    } else if (dy.length > 0) {
      scatter(dy, shape, starts, steps, counts, dx, 0, 0, 0);
    }
  }

  private static void scatter(float[] dy, int[] shape, int[] starts, int[] steps, int[] counts, float[] dx,
      int d, int xo, int yo) {
    if (d == shape.length - 1) {
      for (int i = 0, at = xo + starts[d]; i < counts[d]; i++, at += steps[d]) {
        dx[at] = dy[yo + i];
      }
      return;
    }
    int xs = Shapes.suffixProduct(shape, d + 1);
    int ys = Shapes.suffixProduct(counts, d + 1);
    for (int i = 0; i < counts[d]; i++) {
      scatter(dy, shape, starts, steps, counts, dx, d + 1, xo + (starts[d] + i * steps[d]) * xs, yo + i * ys);
    }
  }
  // end twin

  private static void check(int xLength, int[] shape, int[] starts, int[] steps, int[] counts, int yLength) {
    if (starts.length != shape.length || steps.length != shape.length || counts.length != shape.length) {
      throw new IllegalArgumentException("slice: starts " + Shapes.format(starts) + ", steps "
          + Shapes.format(steps) + " and counts " + Shapes.format(counts) + " do not match rank "
          + shape.length);
    }
    for (int d = 0; d < shape.length; d++) {
      long lastIndex = starts[d] + (long) (counts[d] - 1) * steps[d];
      if (steps[d] < 1 || starts[d] < 0 || counts[d] < 0 || counts[d] > 0 && lastIndex >= shape[d]) {
        throw new IllegalArgumentException("slice: axis " + d + " of size " + shape[d] + " cannot take "
            + counts[d] + " elements from " + starts[d] + " in steps of " + steps[d]);
      }
    }
    Shapes.checkLength("slice", "input", xLength, shape);
    Shapes.checkLength("slice", "output", yLength, Shapes.size(counts));
  }
}
