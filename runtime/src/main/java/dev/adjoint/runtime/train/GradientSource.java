package dev.adjoint.runtime.train;

import dev.adjoint.runtime.StepResult;

/**
 * Where a {@link Trainer}'s steps get their loss and parameter gradients when they are computed
 * somewhere other than one {@link dev.adjoint.runtime.AdjointModel#step} call on the trainer's
 * thread: by several threads, or by the machines of a cluster, each on a share of the batch. The
 * trainer calls {@link #startEpoch} at the start of every epoch and then {@link #next} once per
 * step; whatever it returns is checked, clipped, reported and applied exactly as a model's own
 * gradient would be.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, optimizer)
 *     .gradients(new GradientSource() {
 *       public int batchesPerEpoch() { return 45; }
 *       public void startEpoch(int epoch) { shards.forEach(s -> s.startEpoch(epoch)); }
 *       public StepResult next() { return sumOfShardGradients(model.parameters()); }
 *     })
 *     .epochs(10).build();
 * }</pre>
 */
public interface GradientSource {

  /** The number of steps in one epoch, at least 1 for a usable source. */
  int batchesPerEpoch();

  /** Prepares epoch {@code epoch} (0-based). */
  void startEpoch(int epoch);

  /**
   * The loss of the next batch and the gradient of that loss with respect to the parameters, at the
   * model's current parameter values. The gradients are keyed by parameter name, with each
   * parameter's type and shape; the trainer may scale them in place (clipping), and reads them
   * before the next call (so they may be views that the next call overwrites, as
   * {@link dev.adjoint.runtime.AdjointModel#step}'s are).
   */
  StepResult next();
}
