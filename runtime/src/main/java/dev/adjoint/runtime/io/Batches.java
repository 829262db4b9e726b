package dev.adjoint.runtime.io;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;

/**
 * Walks a {@link CsvData} in mini-batches, copying rows into buffers allocated once.
 *
 * <p>{@code while (batches.next()) { … }} runs one epoch; after {@code next()} has returned false,
 * the following call starts the next epoch. Every batch has {@code batchSize} rows except the last
 * of an epoch when the row count is not a multiple of it; that one uses a second, smaller pair of
 * buffers. {@link #features()} and {@link #labels()} return the same buffer tensors every time,
 * overwritten by each {@code next()}: copy them to keep a batch.
 *
 * <p>Shuffled order: each epoch visits the rows in the next order of a {@link RowOrder} started at
 * the seed (a Fisher–Yates reshuffle of the previous epoch's order by one
 * {@link dev.adjoint.runtime.SeededRandom} for the whole run). Not thread-safe.
 */
public final class Batches {
  private final CsvData data;
  private final int batchSize;
  private final RowOrder rowOrder;
  private final boolean shuffle;
  /** The live order of {@link #rowOrder}: position → row. */
  private final int[] order;
  private final Tensor fullFeatures;
  private final IntTensor fullLabels;
  private final Tensor tailFeatures;
  private final IntTensor tailLabels;

  private int cursor;
  private boolean inEpoch;
  private int epoch;
  private boolean tail;

  Batches(CsvData data, int batchSize, long seed, boolean shuffle) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.data = data;
    this.batchSize = batchSize;
    this.rowOrder = new RowOrder(data.rows(), seed);
    this.shuffle = shuffle;
    this.order = rowOrder.current();
    int full = Math.min(batchSize, data.rows());
    int rest = data.rows() % batchSize;
    fullFeatures = buffer(full);
    fullLabels = IntTensor.zeros(full);
    tailFeatures = rest > 0 && rest != full ? buffer(rest) : fullFeatures;
    tailLabels = rest > 0 && rest != full ? IntTensor.zeros(rest) : fullLabels;
  }

  private Tensor buffer(int rows) {
    return data.features() instanceof FloatTensor
        ? FloatTensor.zeros(rows, data.featureCount())
        : DoubleTensor.zeros(rows, data.featureCount());
  }

  /**
   * Fills the buffers with the next batch of this epoch.
   *
   * @return false when the epoch is over (no batch was produced)
   */
  public boolean next() {
    if (!inEpoch) {
      inEpoch = true;
      epoch++;
      cursor = 0;
      if (shuffle) {
        rowOrder.nextEpoch();
      }
    }
    if (cursor >= order.length) {
      inEpoch = false;
      return false;
    }
    int n = Math.min(batchSize, order.length - cursor);
    tail = n != fullLabels.size();
    copyRows(cursor, n, features(), labels());
    cursor += n;
    return true;
  }

  private void copyRows(int from, int n, Tensor x, IntTensor y) {
    int f = data.featureCount();
    for (int r = 0; r < n; r++) {
      int row = order[from + r];
      if (x instanceof FloatTensor fx) {
        System.arraycopy(((FloatTensor) data.features()).data(), row * f, fx.data(), r * f, f);
      } else {
        System.arraycopy(((DoubleTensor) data.features()).data(), row * f, ((DoubleTensor) x).data(), r * f, f);
      }
      y.data()[r] = data.labels().get(row);
    }
  }

  /** The current batch's features, {@code [size(), featureCount]}; a shared buffer. */
  public Tensor features() {
    return tail ? tailFeatures : fullFeatures;
  }

  /** The current batch's labels, {@code [size()]}; a shared buffer. */
  public IntTensor labels() {
    return tail ? tailLabels : fullLabels;
  }

  /** The number of rows in the current batch. */
  public int size() {
    return labels().size();
  }

  /** The current epoch, counting from 1 once {@link #next()} has been called. */
  public int epoch() {
    return epoch;
  }

  /** Batches per epoch: {@code ceil(rows / batchSize)}. */
  public int batchesPerEpoch() {
    return (data.rows() + batchSize - 1) / batchSize;
  }
}
