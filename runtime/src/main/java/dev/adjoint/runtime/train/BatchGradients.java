package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.GradientResult;

/** The {@link Trainer}'s own gradients: the model's {@code gradient} on the next batch of a source. */
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
  public GradientResult next() {
    return model.gradient(batches.next());
  }
}
