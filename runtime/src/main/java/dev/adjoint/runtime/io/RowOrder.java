package dev.adjoint.runtime.io;

import dev.adjoint.runtime.SeededRandom;

/**
 * The order in which shuffled {@link Batches} visit the rows, epoch after epoch: the rows
 * {@code 0 .. rows - 1}, permuted at the start of each epoch by Fisher–Yates from the last position
 * down (position {@code i} swapped with {@code random.nextInt(i + 1)}) applied to the previous
 * epoch's order, with one {@link SeededRandom} started at the seed for the whole run. It depends on
 * the row count and the seed only, so a distributed trainer that numbers its rows the same way can
 * form the same batches without holding the data.
 *
 * <pre>{@code
 * RowOrder order = new RowOrder(1437, 0);
 * int[] epoch1 = order.nextEpoch();   // the rows of the first batch are epoch1[0 .. 31]
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class RowOrder {
  private final SeededRandom random;
  private final int[] order;

  /** The order of {@code rows} rows shuffled from {@code seed}; before the first epoch, file order. */
  public RowOrder(int rows, long seed) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    this.random = new SeededRandom(seed);
    this.order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
  }

  /**
   * Shuffles into the next epoch's order and returns it: a live array (position → row), overwritten
   * by the next call.
   */
  public int[] nextEpoch() {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The current order, in file order before the first {@link #nextEpoch()}; a live array. */
  int[] current() {
    return order;
  }
}
