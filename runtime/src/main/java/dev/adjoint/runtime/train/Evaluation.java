package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Map;

/**
 * Held-out loss and accuracy: one pass of {@link AdjointModel#evaluate} over a batch source, as the
 * {@link Trainer} computes them after every epoch. Use it to evaluate trained or loaded parameters.
 *
 * @param loss the batch losses' mean weighted by rows
 * @param accuracy correct rows over all rows, or NaN when not asked for
 */
public record Evaluation(double loss, double accuracy) {

  /**
   * Evaluates {@code model} on epoch 0 of {@code source}. The loss of a batch is taken to be a mean
   * over its rows (as {@code mean(cross_entropy(…))} or {@code mse} are), so the batch losses are
   * weighted by their row counts: a smaller last batch counts for what it holds.
   *
   * @param output the output to take the argmax of, or null for no accuracy
   * @param labelInput the {@code i32} input holding the labels (used when {@code output} is not null)
   * @throws IllegalArgumentException if the model has no loss, or the output or labels do not fit
   */
  public static Evaluation run(AdjointModel model, BatchSource source, String output, String labelInput) {
    source.startEpoch(0);
    double lossSum = 0;
    long rows = 0;
    long correct = 0;
    long labelled = 0;
    for (int b = 0; b < source.batchesPerEpoch(); b++) {
      Map<String, Tensor> batch = source.next();
      int n = source.lastBatchRows();
      if (!model.hasLoss()) {
        throw new IllegalArgumentException("model " + model.name() + " has no loss");
      }
      StepResult f = model.evaluate(batch);
      double loss = f.loss();
      lossSum += loss * n;
      rows += n;
      if (output != null) {
        Tensor labels = batch.get(labelInput);
        if (!(labels instanceof IntTensor y)) {
          throw new IllegalArgumentException("accuracy: the held-out batches have "
              + (labels == null ? "no input " + labelInput : labelInput + " of type "
              + labels.typeString() + ", not i32") + " to take labels from");
        }
        correct += correct(f.output(output), output, y, labelInput);
        labelled += y.size();
      }
    }
    return new Evaluation(lossSum / rows, output == null ? Double.NaN : (double) correct / labelled);
  }

  /**
   * The rows whose argmax over the last axis of {@code out} equals the label; ties go to the first
   * index, and NaN is never larger than anything.
   */
  static long correct(Tensor out, String outputName, IntTensor labels, String labelName) {
    if (out.rank() == 0 || out.dim(out.rank() - 1) == 0) {
      throw new IllegalArgumentException("accuracy: output " + outputName + " is "
          + out.typeString() + "; it needs a last axis of classes to take the argmax over");
    }
    int classes = out.dim(out.rank() - 1);
    int rows = out.size() / classes;
    if (rows != labels.size()) {
      throw new IllegalArgumentException("accuracy: output " + outputName + " (" + out.typeString()
          + ") has " + rows + " rows, but the labels " + labelName + " have " + labels.size());
    }
    long correct = 0;
    for (int r = 0; r < rows; r++) {
      int best = 0;
      double bestValue = out.getAsDouble(r * classes);
      for (int c = 1; c < classes; c++) {
        double v = out.getAsDouble(r * classes + c);
        if (v > bestValue || (Double.isNaN(bestValue) && !Double.isNaN(v))) {
          best = c;
          bestValue = v;
        }
      }
      if (best == labels.get(r)) {
        correct++;
      }
    }
    return correct;
  }
}
