package dev.adjoint.runtime.train;

import java.util.List;

/**
 * The outcome of {@link Trainer#fit()}.
 *
 * @param epochs one report per epoch run, the last possibly partial
 * @param steps the global steps run
 * @param finalLoss the training loss of the last step ({@code NaN} if no step ran)
 * @param reachedTarget whether a step's loss fell below {@link Trainer.Builder#stopWhenLossBelow}
 * @param health the gradient norms recorded over the run, and their warnings
 */
public record TrainingSummary(List<EpochReport> epochs, long steps, double finalLoss,
    boolean reachedTarget, GradientHealth health) {

  /** Copies {@code epochs} into an unmodifiable list. */
  public TrainingSummary {
    epochs = List.copyOf(epochs);
  }
}
