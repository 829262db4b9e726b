package dev.adjoint.runtime.train;

/**
 * Thrown by {@link Trainer#fit()} when a step's loss or a parameter's gradient is not finite. The
 * step's update was not applied: the parameters are those after the previous step. The message
 * names the step, the epoch and the culprit, and suggests a lower learning rate or clipping.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final int epoch;

  /**
   * An exception for the given step.
   *
   * @param message the whole message
   * @param step the global step, counting from 1
   * @param epoch the epoch, counting from 1
   */
  public TrainingDivergedException(String message, long step, int epoch) {
    super(message);
    this.step = step;
    this.epoch = epoch;
  }

  /** The global step (from 1) whose loss or gradient was not finite. */
  public long step() {
    return step;
  }

  /** The epoch (from 1) of that step. */
  public int epoch() {
    return epoch;
  }
}
