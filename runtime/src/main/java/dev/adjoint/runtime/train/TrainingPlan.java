package dev.adjoint.runtime.train;

import java.util.List;

/**
 * What {@link Trainer#fit()} is about to do, given to {@link TrainingListener#onStart}.
 *
 * @param epochs the number of epochs
 * @param stepsPerEpoch the optimizer steps in each epoch
 * @param parameters the model's parameter names in declaration order; {@link StepReport}'s
 *     gradient norms are aligned with it
 */
public record TrainingPlan(int epochs, int stepsPerEpoch, List<String> parameters) {

  /** Copies {@code parameters} into an unmodifiable list. */
  public TrainingPlan {
    parameters = List.copyOf(parameters);
  }

  /** {@code epochs * stepsPerEpoch}: the steps of a run that does not stop early. */
  public long totalSteps() {
    return (long) epochs * stepsPerEpoch;
  }
}
