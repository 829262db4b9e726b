package dev.adjoint.runtime.train;

/**
 * Receives progress from {@link Trainer#fit()}: {@link #onStart} once, then per step
 * {@link #onStep} followed by {@link #onWarning} for each health warning that step raised, and
 * {@link #onEpoch} after each epoch's held-out evaluation. Listeners are called in the order they
 * were added, on the thread that runs {@code fit()}. An exception thrown by a listener ends
 * training and propagates out of {@code fit()}.
 *
 * <pre>{@code
 * TrainingListener printer = new TrainingListener() {
 *   @Override public void onEpoch(EpochReport e) {
 *     System.out.printf("epoch %d: loss %.4f%n", e.epoch(), e.trainLoss());
 *   }
 * };
 * }</pre>
 */
public interface TrainingListener {

  /** Called once, before the first step. */
  default void onStart(TrainingPlan plan) {}

  /**
   * Called after every step's update. {@link StepReport#gradientNorms()} is a reused array: copy it
   * to keep it.
   */
  default void onStep(StepReport step) {}

  /** Called after every epoch, including a last partial epoch ended by a loss target. */
  default void onEpoch(EpochReport epoch) {}

  /** Called once per warning, right after the {@link #onStep} of the step that raised it. */
  default void onWarning(HealthWarning warning) {}
}
