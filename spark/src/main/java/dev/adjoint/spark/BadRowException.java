package dev.adjoint.spark;

/**
 * A row of the training or held-out data that cannot feed the model: a missing or non-numeric cell,
 * an array of the wrong length, a label that is not an integer in range. The message names the
 * partition of the input {@code Dataset} (0-based, as Spark counts them), the row within it and
 * the row within the whole data set (both counting from 1), and the column.
 *
 * <pre>{@code
 * partition 1, row 17 (data row 706): column pixel12: 'abc' is not a number
 * }</pre>
 */
public final class BadRowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int partition;
  private final long row;
  private final long dataRow;

  BadRowException(int partition, long row, long dataRow, String problem) {
    super(String.format(java.util.Locale.ROOT, "partition %d, row %d (data row %d): %s", partition, row,
        dataRow, problem));
    this.partition = partition;
    this.row = row;
    this.dataRow = dataRow;
  }

  /** The partition of the input {@code Dataset}, from 0. */
  public int partition() {
    return partition;
  }

  /** The row within that partition, from 1. */
  public long row() {
    return row;
  }

  /** The row within the whole data set, in its order, from 1. */
  public long dataRow() {
    return dataRow;
  }
}
