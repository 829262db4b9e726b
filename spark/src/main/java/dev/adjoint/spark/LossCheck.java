package dev.adjoint.spark;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Mode;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;

/**
 * Checks, before training, what {@link SparkTrainer} assumes of the loss: that the loss of a batch is
 * the mean of its rows' terms (plus terms that do not depend on the rows), so that weighting each
 * partition's loss by its share of the batch gives the whole batch's. On four rows of the training
 * data, the loss of all four must be the mean of the losses of the first two and the last two; a loss
 * that sums over the rows comes out twice that, one that couples rows (batch statistics) differs.
 */
final class LossCheck {
  private LossCheck() {}

  /**
   * @throws IllegalArgumentException naming the model and the three losses when they do not agree
   */
  static void check(AdjointModel model, JavaRDD<RowBlock> blocks, ColumnBinding binding) {
    List<RowBlock> firsts;
    try {
      firsts = blocks.map(b -> b.first(4)).filter(b -> b.size() == 4).take(1);
    } catch (Exception e) { // a failed job throws SparkException, a checked exception Scala does not declare
      throw SparkErrors.unwrap(e);
    }
    if (firsts.isEmpty()) {
      return;
    }
    RowBlock rows = firsts.get(0);
    double all = loss(model, rows, new int[] {0, 1, 2, 3}, binding);
    double half = (loss(model, rows, new int[] {0, 1}, binding) + loss(model, rows, new int[] {2, 3}, binding)) / 2;
    double tolerance = (binding.f64 ? 1e-9 : 1e-4) * Math.max(1, Math.max(Math.abs(all), Math.abs(half)));
    if (!(Math.abs(all - half) <= tolerance)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "model %s: the loss of 4 rows (%.6g) is not"
          + " the mean of the losses of their halves (%.6g), so it cannot be computed in shares across partitions:"
          + " SparkTrainer needs a loss that is a mean over the rows (as mean(cross_entropy(logits, y))), not a"
          + " sum over them or a function of batch statistics", model.name(), all, half));
    }
  }

  private static double loss(AdjointModel model, RowBlock rows, int[] positions, ColumnBinding binding) {
    // the loss as a training step computes it: batch statistics (which couple the rows) and dropout masks
    return model.evaluate(rows.inputs(positions, binding), Mode.TRAINING).loss();
  }
}
