package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.StepResult;

/**
 * The {@link Trainer}'s own gradients: the model's {@code step} on the next batch of a source (views of the model's
 * buffers: a generated model allocates nothing per step).
 */
record BatchGradients(AdjointModel model, BatchSource batches) implements GradientSource {

  @Override
  public int batchesPerEpoch() {
    return batches.batchesPerEpoch();
  }

  @Override
  public void startEpoch(int epoch) {
    batches.startEpoch(epoch);
  }

  @Override
  public StepResult next() {
    return model.step(batches.next());
  }
}
