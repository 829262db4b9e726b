package dev.adjoint.runtime.train;

import java.time.Duration;

/**
 * One finished epoch, given to {@link TrainingListener#onEpoch}.
 *
 * @param epoch the epoch, counting from 1
 * @param trainLoss the mean of the training losses of the epoch's steps (of the steps run, for a
 *     partial epoch)
 * @param heldOutLoss the held-out loss after the epoch: the mean of the batch losses weighted by
 *     the batches' row counts; {@code NaN} without held-out data
 * @param heldOutAccuracy the fraction of held-out rows predicted right (see
 *     {@link Evaluation.Metric}); {@code NaN} without {@link Trainer.Builder#accuracy}
 * @param heldOutRmse the held-out root mean squared error; {@code NaN} without
 *     {@link Trainer.Builder#rmse}
 * @param steps the global steps run so far
 * @param elapsed the time since {@link Trainer#fit()} began
 */
public record EpochReport(int epoch, double trainLoss, double heldOutLoss, double heldOutAccuracy,
    double heldOutRmse, long steps, Duration elapsed) {

  /** A report without RMSE. */
  public EpochReport(int epoch, double trainLoss, double heldOutLoss, double heldOutAccuracy,
      long steps, Duration elapsed) {
    this(epoch, trainLoss, heldOutLoss, heldOutAccuracy, Double.NaN, steps, elapsed);
  }
}
