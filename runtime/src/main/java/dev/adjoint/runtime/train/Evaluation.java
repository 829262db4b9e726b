package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * Held-out loss and a metric: one pass of {@link AdjointModel#evaluate} over a batch source, as the
 * {@link Trainer} computes them after every epoch. Use it to evaluate trained or loaded parameters.
 * It runs in {@link dev.adjoint.runtime.Mode#EVALUATION}: {@code batch_norm} uses its running
 * statistics and {@code dropout} is the identity, so a row's result does not depend on the batch
 * it is in.
 *
 * @param loss the batch losses' mean weighted by rows
 * @param accuracy correct rows over all rows, or NaN when not asked for
 * @param rmse the root of the mean squared difference between an output and the targets over
 *     every element, or NaN when not asked for
 */
public record Evaluation(double loss, double accuracy, double rmse) {

  /** A loss and an accuracy, without RMSE. */
  public Evaluation(double loss, double accuracy) {
    this(loss, accuracy, Double.NaN);
  }

  /**
   * What to measure on the held-out rows besides the loss.
   *
   * <ul>
   *   <li>{@link #accuracy}: the fraction of rows predicted right. An output {@code [B, classes]}
   *       (any rank of at least 2 whose last axis has 2 or more entries) predicts the argmax over
   *       its last axis (ties to the first index; NaN is never larger), compared with {@code i32}
   *       labels {@code [B]}. An output {@code [B]} or {@code [B, 1]} is a probability: it predicts
   *       1 when it is at least 0.5, compared with labels 0 or 1, or float targets (1 when at least
   *       0.5).
   *   <li>{@link #rmse}: {@code sqrt(mean((output - target)^2))} over every element, for an output
   *       with as many elements as the float targets (regression).
   * </ul>
   *
   * @param kind which metric
   * @param output the model output compared
   * @param targets the model input that holds the labels or targets in the batches
   */
  public record Metric(Kind kind, String output, String targets) {
    /** The metrics. */
    public enum Kind {
      /** Fraction of rows right; see {@link Metric}. */
      ACCURACY,
      /** Root mean squared error; see {@link Metric}. */
      RMSE
    }

    /** Checks that no component is null. */
    public Metric {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(targets, "targets");
    }

    /** Accuracy of {@code output} against the labels in input {@code labels}. */
    public static Metric accuracy(String output, String labels) {
      return new Metric(Kind.ACCURACY, output, labels);
    }

    /** RMSE of {@code output} against the float targets in input {@code targets}. */
    public static Metric rmse(String output, String targets) {
      return new Metric(Kind.RMSE, output, targets);
    }
  }

  /**
   * Evaluates {@code model} on epoch 0 of {@code source}, with the accuracy of {@code output}
   * against the labels in {@code labelInput}: {@code run(model, source, Metric.accuracy(output,
   * labelInput))}, or the loss alone when {@code output} is null.
   */
  public static Evaluation run(AdjointModel model, BatchSource source, String output,
      String labelInput) {
    return run(model, source, output == null ? null : Metric.accuracy(output, labelInput));
  }

  /**
   * Evaluates {@code model} on epoch 0 of {@code source}. The loss of a batch is taken to be a mean
   * over its rows (as {@code mean(cross_entropy(…))} or {@code mse} are), so the batch losses are
   * weighted by their row counts: a smaller last batch counts for what it holds.
   *
   * @param metric what to measure besides the loss, or null for the loss alone
   * @throws IllegalArgumentException if the model has no loss, or the output or targets do not fit
   *     the metric
   */
  public static Evaluation run(AdjointModel model, BatchSource source, Metric metric) {
    source.startEpoch(0);
    double lossSum = 0;
    long rows = 0;
    double metricSum = 0;
    long metricCount = 0;
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
      if (metric != null) {
        Tensor out = f.output(metric.output());
        Tensor targets = batch.get(metric.targets());
        check(metric, out, targets);
        if (metric.kind() == Metric.Kind.ACCURACY) {
          metricSum += correct(out, targets);
          metricCount += rowsOf(out);
        } else {
          metricSum += squaredError(out, targets);
          metricCount += out.size();
        }
      }
    }
    double accuracy = Double.NaN;
    double rmse = Double.NaN;
    if (metric != null && metric.kind() == Metric.Kind.ACCURACY) {
      accuracy = metricSum / metricCount;
    } else if (metric != null) {
      rmse = Math.sqrt(metricSum / metricCount);
    }
    return new Evaluation(lossSum / rows, accuracy, rmse);
  }

  /**
   * Checks that {@code out} and {@code targets} (one batch's) fit the metric.
   *
   * @throws IllegalArgumentException naming the output, the input and their types
   */
  static void check(Metric metric, Tensor out, Tensor targets) {
    String name = metric.output();
    String input = metric.targets();
    if (targets == null) {
      throw new IllegalArgumentException(kindName(metric) + ": the held-out batches have no input "
          + input + " to take " + (metric.kind() == Metric.Kind.ACCURACY ? "labels" : "targets")
          + " from");
    }
    if (metric.kind() == Metric.Kind.RMSE) {
      if (targets instanceof IntTensor) {
        throw new IllegalArgumentException("rmse: input " + input + " holds labels ("
            + targets.typeString() + "); RMSE compares an output with float targets");
      }
      if (out.size() != targets.size() || (out.rank() > 0 && targets.rank() > 0
          && out.dim(0) != targets.dim(0))) {
        throw new IllegalArgumentException("rmse: output " + name + " is " + out.typeString()
            + " but the targets " + input + " are " + targets.typeString()
            + "; RMSE compares them element by element");
      }
      return;
    }
    if (out.rank() == 0 || out.dim(out.rank() - 1) == 0) {
      throw new IllegalArgumentException("accuracy: output " + name + " is " + out.typeString()
          + "; accuracy needs an output [B, classes] (argmax) or [B] (a probability)");
    }
    if (isBinary(out)) {
      if (targets.size() != out.size()) {
        throw new IllegalArgumentException("accuracy: output " + name + " (" + out.typeString()
            + ") has " + out.size() + " rows, but the labels " + input + " have "
            + targets.size());
      }
      return;
    }
    if (!(targets instanceof IntTensor)) {
      throw new IllegalArgumentException("accuracy: output " + name + " is " + out.typeString()
          + ", whose argmax is a class, but input " + input + " holds float targets ("
          + targets.typeString() + "), not i32 labels");
    }
    int rows = rowsOf(out);
    if (rows != targets.size()) {
      throw new IllegalArgumentException("accuracy: output " + name + " (" + out.typeString()
          + ") has " + rows + " rows, but the labels " + input + " have " + targets.size());
    }
  }

  private static String kindName(Metric metric) {
    return metric.kind() == Metric.Kind.ACCURACY ? "accuracy" : "rmse";
  }

  /** An output {@code [B]} or {@code [B, 1]}: one probability per row. */
  static boolean isBinary(Tensor out) {
    return out.rank() == 1 || (out.rank() == 2 && out.dim(1) == 1);
  }

  private static int rowsOf(Tensor out) {
    return isBinary(out) ? out.size() : out.size() / out.dim(out.rank() - 1);
  }

  /** The rows predicted right; see {@link Metric}. */
  static long correct(Tensor out, Tensor targets) {
    long correct = 0;
    if (isBinary(out)) {
      for (int r = 0; r < out.size(); r++) {
        boolean predicted = out.getAsDouble(r) >= 0.5;
        boolean actual;
        if (targets instanceof IntTensor labels) {
          int label = labels.get(r);
          if (label != 0 && label != 1) {
            throw new IllegalArgumentException("accuracy: a probability output is compared with"
                + " labels 0 or 1, but a label is " + label);
          }
          actual = label == 1;
        } else {
          actual = targets.getAsDouble(r) >= 0.5;
        }
        if (predicted == actual) {
          correct++;
        }
      }
      return correct;
    }
    IntTensor labels = (IntTensor) targets;
    int classes = out.dim(out.rank() - 1);
    int rows = out.size() / classes;
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

  private static double squaredError(Tensor out, Tensor targets) {
    double sum = 0;
    for (int i = 0; i < out.size(); i++) {
      double d = out.getAsDouble(i) - targets.getAsDouble(i);
      sum += d * d;
    }
    return sum;
  }
}
