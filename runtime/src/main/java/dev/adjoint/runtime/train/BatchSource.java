package dev.adjoint.runtime.train;

import dev.adjoint.runtime.Tensor;
import java.util.Map;

/**
 * Supplies training batches as model inputs. The {@link Trainer} calls {@link #startEpoch} at the
 * start of every epoch and then {@link #next} once per step; for held-out evaluation it calls
 * {@code startEpoch(0)} and then {@link #next} {@link #batchesPerEpoch()} times.
 *
 * <pre>{@code
 * BatchSource train = CsvBatchSource.shuffled(split.train(), "x", "y", 32, 42);
 * train.startEpoch(0);
 * StepResult r = model.step(train.next());
 * }</pre>
 */
public interface BatchSource {

  /** The number of batches in one epoch, at least 1 for a usable source. */
  int batchesPerEpoch();

  /** Prepares epoch {@code epoch} (0-based), reshuffling if the source shuffles. */
  void startEpoch(int epoch);

  /**
   * The next batch's inputs by model input name; tensors may be reused buffers, valid until the
   * next call.
   */
  Map<String, Tensor> next();

  /** Rows in the batch {@link #next} returned last. */
  int lastBatchRows();
}
