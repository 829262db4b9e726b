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
 * buffers. {@link #features()} and {@link #targets()} return the same buffer tensors every time,
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
  private final Tensor fullTargets;
  private final Tensor tailFeatures;
  private final Tensor tailTargets;
  private final int fullRows;

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
    fullRows = full;
    fullFeatures = buffer(data.features(), full);
    fullTargets = data.hasTargets() ? buffer(data.targets(), full) : null;
    boolean tailBuffers = rest > 0 && rest != full;
    tailFeatures = tailBuffers ? buffer(data.features(), rest) : fullFeatures;
    tailTargets = tailBuffers && data.hasTargets() ? buffer(data.targets(), rest) : fullTargets;
  }

  /** A zeroed tensor like {@code like} ({@code [rows]} or {@code [rows, k]}) with {@code rows} rows. */
  private static Tensor buffer(Tensor like, int rows) {
    int[] shape = like.shape();
    shape[0] = rows;
    if (like instanceof FloatTensor) {
      return FloatTensor.zeros(shape);
    } else if (like instanceof DoubleTensor) {
      return DoubleTensor.zeros(shape);
    }
    return IntTensor.zeros(shape);
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
    tail = n != fullRows;
    copyRows(cursor, n, data.features(), features());
    if (fullTargets != null) {
      copyRows(cursor, n, data.targets(), targets());
    }
    cursor += n;
    return true;
  }

  /** Copies rows {@code order[from .. from + n)} of {@code src} into rows {@code 0 .. n} of {@code dst}. */
  private void copyRows(int from, int n, Tensor src, Tensor dst) {
    int w = src.rank() == 1 ? 1 : src.dim(1);
    for (int r = 0; r < n; r++) {
      int row = order[from + r];
      if (src instanceof FloatTensor s) {
        System.arraycopy(s.data(), row * w, ((FloatTensor) dst).data(), r * w, w);
      } else if (src instanceof DoubleTensor s) {
        System.arraycopy(s.data(), row * w, ((DoubleTensor) dst).data(), r * w, w);
      } else {
        System.arraycopy(((IntTensor) src).data(), row * w, ((IntTensor) dst).data(), r * w, w);
      }
    }
  }

  /** The current batch's features, {@code [size(), featureCount]}; a shared buffer. */
  public Tensor features() {
    return tail ? tailFeatures : fullFeatures;
  }

  /**
   * The current batch's targets, {@code [size()]} or {@code [size(), k]} as {@link CsvData#targets()};
   * a shared buffer.
   *
   * @throws IllegalStateException if the data has no targets
   */
  public Tensor targets() {
    if (fullTargets == null) {
      throw new IllegalStateException("the data has no targets");
    }
    return tail ? tailTargets : fullTargets;
  }

  /**
   * The current batch's labels, {@code [size()]}; a shared buffer.
   *
   * @throws IllegalStateException if the targets are not integer labels
   */
  public IntTensor labels() {
    if (!(targets() instanceof IntTensor labels)) {
      throw new IllegalStateException("the targets are float values, not integer labels");
    }
    return labels;
  }

  /** The number of rows in the current batch. */
  public int size() {
    return features().dim(0);
  }

  /** The current epoch, counting from 1 once {@link #next()} has been called. */
  public int epoch() {
    return epoch;
  }

  /** Batches per epoch: {@code ceil(rows / batchSize)}. */
  public int batchesPerEpoch() {
    return (int) ((data.rows() + (long) batchSize - 1) / batchSize); // no overflow at batchSize 2^31-1
  }
}
