package dev.adjoint.runtime.train;

import java.util.Optional;

/**
 * Thrown by {@link Trainer#fit()} when a step's loss or a parameter's gradient is not finite. The
 * step's update was not applied: the parameters are those after the previous step. The message
 * names the step, the epoch and the culprit, and suggests a lower learning rate or clipping.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final int epoch;
  private final transient GradientHealth health;

  /**
   * An exception for the given step.
   *
   * @param message the whole message
   * @param step the global step, counting from 1
   * @param epoch the epoch, counting from 1
   */
  public TrainingDivergedException(String message, long step, int epoch) {
    this(message, step, epoch, null);
  }

  /**
   * An exception for the given step, with the gradient norms recorded before it.
   *
   * @param health the steps before the failing one, or null
   */
  public TrainingDivergedException(String message, long step, int epoch, GradientHealth health) {
    super(message);
    this.step = step;
    this.epoch = epoch;
    this.health = health;
  }

  /** The global step (from 1) whose loss or gradient was not finite. */
  public long step() {
    return step;
  }

  /** The epoch (from 1) of that step. */
  public int epoch() {
    return epoch;
  }

  /**
   * The gradient norms of the steps before the failing one, and their warnings (an exploding
   * gradient often precedes a NaN loss); empty if the thrower did not provide them.
   */
  public Optional<GradientHealth> health() {
    return Optional.ofNullable(health);
  }
}
