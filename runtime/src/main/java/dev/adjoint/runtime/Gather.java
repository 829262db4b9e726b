package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * {@code take(table, indices)}, rows of a table picked by integer indices (an embedding lookup), and its gradient,
 * which adds rows back into the rows they were taken from.
 *
 * <p>The table is viewed as {@code [rows, width]} (its first axis, and the product of the others); {@code indices}
 * has any shape (given for messages) and the result is {@code [indices..., width]}. An index outside
 * {@code [0, rows)} throws {@link IllegalArgumentException} naming the indices as the model wrote them
 * ({@code what}), the index and its position. Outputs are overwritten and must not share storage with inputs.
 */
public final class Gather {
  private Gather() {}

  /** {@code out[k, :] = table[indices[k], :]}. */
  public static void take(float[] table, int rows, int[] indices, int[] indicesShape, float[] out, String what) {
    int width = width("take", table.length, rows, indices, indicesShape, out.length);
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(table, row(indices, k, indicesShape, rows, what) * width, out, k * width, width);
    }
  }

  /** {@code out[k, :] = table[indices[k], :]}. */
  public static void take(double[] table, int rows, int[] indices, int[] indicesShape, double[] out, String what) {
    int width = width("take", table.length, rows, indices, indicesShape, out.length);
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(table, row(indices, k, indicesShape, rows, what) * width, out, k * width, width);
    }
  }

  /** {@code out[k, :] = table[indices[k], :]}. */
  public static void take(int[] table, int rows, int[] indices, int[] indicesShape, int[] out, String what) {
    int width = width("take", table.length, rows, indices, indicesShape, out.length);
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(table, row(indices, k, indicesShape, rows, what) * width, out, k * width, width);
    }
  }

  /**
   * The gradient of {@code take} with respect to the table: {@code dtable} ({@code [rows, width]}) zeroed, then
   * {@code dy[k, :]} added to row {@code indices[k]} for every {@code k} in order, so repeated indices accumulate.
   */
  public static void scatterAdd(float[] dy, int[] indices, int[] indicesShape, float[] dtable, int rows,
      String what) {
    int width = width("take backward", dtable.length, rows, indices, indicesShape, dy.length);
    Arrays.fill(dtable, 0f);
    for (int k = 0; k < indices.length; k++) {
      int base = row(indices, k, indicesShape, rows, what) * width;
      int from = k * width;
      for (int j = 0; j < width; j++) {
        dtable[base + j] += dy[from + j];
      }
    }
  }

  /** As {@link #scatterAdd(float[], int[], int[], float[], int, String)}. */
  public static void scatterAdd(double[] dy, int[] indices, int[] indicesShape, double[] dtable, int rows,
      String what) {
    int width = width("take backward", dtable.length, rows, indices, indicesShape, dy.length);
    Arrays.fill(dtable, 0.0);
    for (int k = 0; k < indices.length; k++) {
      int base = row(indices, k, indicesShape, rows, what) * width;
      int from = k * width;
      for (int j = 0; j < width; j++) {
        dtable[base + j] += dy[from + j];
      }
    }
  }

  /** The width of a row, after checking every length. */
  private static int width(String op, int tableLength, int rows, int[] indices, int[] indicesShape, int outLength) {
    Shapes.checkLength(op, "indices", indices.length, indicesShape);
    if (rows < 0 || rows == 0 && tableLength != 0 || rows > 0 && tableLength % rows != 0) {
      throw new IllegalArgumentException(op + ": a table of " + tableLength + " elements does not have " + rows
          + " rows");
    }
    int width = rows == 0 ? 0 : tableLength / rows;
    Shapes.checkLength(op, "the result", outLength, (long) indices.length * width);
    return width;
  }

  /** {@code indices[k]}, checked to name a row. */
  private static int row(int[] indices, int k, int[] indicesShape, int rows, String what) {
    int index = indices[k];
    if (index < 0 || index >= rows) {
      throw new IllegalArgumentException("take: index " + index + position(indicesShape, k) + " of " + what
          + " is out of range for a table of " + rows + (rows == 1 ? " row" : " rows")
          + (rows == 0 ? "" : " (valid: 0.." + (rows - 1) + ")"));
    }
    return index;
  }

  /** {@code " at [1, 2]"} for flat position {@code k} of {@code shape}, nothing for a scalar. */
  private static String position(int[] shape, int k) {
    if (shape.length == 0) {
      return "";
    }
    int[] at = new int[shape.length];
    for (int d = shape.length - 1, rest = k; d >= 0; d--) {
      at[d] = rest % shape[d];
      rest /= shape[d];
    }
    return " at " + Arrays.toString(at);
  }
}
