package dev.adjoint.runtime.train;

import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Batches;
import dev.adjoint.runtime.io.CsvData;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Binds a {@link CsvData} to a model: features to one float input, the targets (if any) to another:
 * integer labels to an {@code i32 [B]} input, float values to an {@code f32}/{@code f64} input
 * {@code [B]} or {@code [B, k]} (see {@link dev.adjoint.runtime.io.CsvOptions}). A thin layer over
 * {@link Batches}, whose buffers {@link #next()} returns: the map and its tensors are reused, valid
 * until the next call.
 *
 * <pre>{@code
 * CsvData.Split split = digits.split(360);
 * BatchSource train = CsvBatchSource.shuffled(split.train(), "x", "y", 32, 42);
 * BatchSource test = CsvBatchSource.inOrder(split.heldOut(), "x", "y", 256);
 * }</pre>
 *
 * <p>Epochs: a shuffled source's order in epoch {@code e} depends only on the seed and {@code e}
 * (it is the order {@link CsvData#batches(int, long)} gives in its epoch {@code e + 1}), so
 * {@link #startEpoch} may repeat or skip epochs and still give the same batches. Calling
 * {@link #next()} more than {@link #batchesPerEpoch()} times in an epoch continues into the
 * following epoch's order. Not thread-safe.
 */
public final class CsvBatchSource implements BatchSource {
  private final CsvData data;
  private final String labelInput;
  private final String featureInput;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final Map<String, Tensor> inputs = new LinkedHashMap<>();
  private final Map<String, Tensor> view = Collections.unmodifiableMap(inputs);

  private Batches batches;
  /** Whether {@link #batches} is inside an epoch, i.e. its last {@code next()} returned true. */
  private boolean inEpoch;
  private int lastRows;

  private CsvBatchSource(CsvData data, String featureInput, String labelInput, int batchSize,
      long seed, boolean shuffle) {
    this.data = Objects.requireNonNull(data, "data");
    this.featureInput = Objects.requireNonNull(featureInput, "featureInput");
    this.labelInput = labelInput;
    if (featureInput.equals(labelInput)) {
      throw new IllegalArgumentException(
          "features and labels are bound to the same input " + featureInput);
    }
    if (labelInput != null && !data.hasTargets()) {
      throw new IllegalArgumentException("the data has no targets to bind to input " + labelInput
          + " (it was read withoutTargets())");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
    this.batches = newBatches();
  }

  /**
   * Batches reshuffled every epoch by a {@link dev.adjoint.runtime.SeededRandom} started at
   * {@code seed}: the same seed gives the same batches on every machine.
   *
   * @param featureInput the model input that receives the features, {@code [rows, features]}
   * @param labelInput the model input that receives the targets: labels {@code [rows]}, or float
   *     values {@code [rows]} or {@code [rows, k]}; null for none
   * @throws NullPointerException if {@code data} or {@code featureInput} is null
   * @throws IllegalArgumentException if {@code batchSize} is not positive, or both names are the
   *     same
   */
  public static CsvBatchSource shuffled(CsvData data, String featureInput, String labelInput,
      int batchSize, long seed) {
    return new CsvBatchSource(data, featureInput, labelInput, batchSize, seed, true);
  }

  /** Batches in file order, every epoch the same: for evaluation. Arguments as {@link #shuffled}. */
  public static CsvBatchSource inOrder(CsvData data, String featureInput, String labelInput,
      int batchSize) {
    return new CsvBatchSource(data, featureInput, labelInput, batchSize, 0, false);
  }

  private Batches newBatches() {
    return shuffle ? data.batches(batchSize, seed) : data.batchesInOrder(batchSize);
  }

  /** The model input that receives the features. */
  public String featureInput() {
    return featureInput;
  }

  /** The model input that receives the targets (labels or values), or null. */
  public String labelInput() {
    return labelInput;
  }

  /** The targets of the whole data set, for checking them against the model's input; or null. */
  Tensor targets() {
    return data.hasTargets() ? data.targets() : null;
  }

  /** The element type of the features, {@code f32} or {@code f64}. */
  ElementType featureType() {
    return data.features().elementType();
  }

  /** The number of features per row. */
  int featureCount() {
    return data.featureCount();
  }

  /** The rows per batch (the last batch of an epoch may have fewer). */
  public int batchSize() {
    return batchSize;
  }

  @Override
  public int batchesPerEpoch() {
    return batches.batchesPerEpoch();
  }

  @Override
  public void startEpoch(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    // batches.epoch() counts the epochs it has begun; once the current one is drained, that many
    // are complete, and its next next() begins epoch number epoch() (0-based).
    if (batches.epoch() > epoch) {
      batches = newBatches();
      inEpoch = false;
    }
    finishEpoch();
    while (batches.epoch() < epoch) {
      while (batches.next()) {
        // skip a whole epoch to advance the shuffle
      }
    }
  }

  private void finishEpoch() {
    if (inEpoch) {
      while (batches.next()) {
        // drain the rest of the current epoch
      }
      inEpoch = false;
    }
  }

  @Override
  public Map<String, Tensor> next() {
    if (!batches.next() && !batches.next()) {
      // The first call found the epoch used up; the second, beginning the next one, found no rows.
      throw new IllegalStateException("no rows to make a batch of");
    }
    inEpoch = true;
    lastRows = batches.size();
    inputs.put(featureInput, batches.features());
    if (labelInput != null) {
      inputs.put(labelInput, batches.targets());
    }
    return view;
  }

  @Override
  public int lastBatchRows() {
    return lastRows;
  }
}
