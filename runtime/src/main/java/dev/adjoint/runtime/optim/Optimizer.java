package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Tensor;
import java.util.Map;

/**
 * Updates a model's parameters in place from gradients, one {@link #step} at a time.
 *
 * <p>An optimizer is built for a fixed map of parameters, typically
 * {@link dev.adjoint.runtime.AdjointModel#parameters()}; it keeps the tensors (not copies) and
 * writes into their {@code data()} arrays. Each parameter is an {@code f32} or {@code f64} tensor.
 * All state (momentum buffers, moment estimates) is allocated once, at construction; a step
 * allocates nothing.
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder(model.parameters()).learningRate(1e-3).build();
 * LearningRateSchedule lr = LearningRateSchedule.cosine(1e-3, 10_000, 1e-5).withLinearWarmup(500);
 * while (opt.steps() < 10_000) {
 *   StepResult r = model.step(nextBatch());     // views of the model's buffers: no allocation
 *   opt.setLearningRate(lr.at(opt.steps()));
 *   opt.step(r.gradients());
 * }
 * }</pre>
 *
 * <p>Semantics follow PyTorch's {@code torch.optim} with its defaults otherwise. Optimizers are not
 * thread-safe.
 */
public interface Optimizer {

  /**
   * Applies one update to every parameter that has a gradient. Gradients are looked up by parameter
   * name; names that are not parameters (such as {@code input grad} gradients) are ignored, and a
   * parameter without a gradient is left alone, its state untouched, like a PyTorch parameter whose
   * {@code grad} is {@code None}.
   *
   * @throws IllegalArgumentException if a gradient's shape differs from its parameter's, or it is
   *     not an {@code f32} or {@code f64} tensor; nothing is updated then
   */
  void step(Map<String, Tensor> gradients);

  /**
   * Forgets all accumulated state (momentum buffers, moment estimates) and sets {@link #steps()}
   * back to 0, as if the optimizer were new. The parameters keep their values.
   */
  void reset();

  /** The number of calls to {@link #step} since construction or the last {@link #reset()}. */
  int steps();

  /** The learning rate the next step will use. */
  double learningRate();

  /**
   * Sets the learning rate for the following steps, for example from a
   * {@link LearningRateSchedule}.
   *
   * @throws IllegalArgumentException if {@code learningRate} is negative or not finite
   */
  void setLearningRate(double learningRate);

  /**
   * A copy of everything a later {@link #loadState} needs to continue exactly where this optimizer
   * is — step count, learning rate, moment estimates or momentum buffers — as named tensors (the
   * built-in optimizers use PyTorch's names: {@code exp_avg.W1}, {@code momentum_buffer.W1}).
   * Saved with {@link dev.adjoint.runtime.train.Checkpoint}. The hyperparameters (betas, momentum,
   * weight decay) are not state: build the optimizer with the same ones before loading.
   *
   * @throws UnsupportedOperationException if this optimizer cannot export its state (the
   *     default)
   */
  default Map<String, Tensor> state() {
    throw new UnsupportedOperationException(getClass().getName() + " does not export its state");
  }

  /**
   * Restores a {@link #state()} taken from an optimizer of the same kind over parameters of the
   * same names and shapes, copying the values in.
   *
   * @throws IllegalArgumentException listing every tensor that is missing, unexpected or of
   *     another type or shape; nothing is changed then
   * @throws UnsupportedOperationException if this optimizer cannot restore its state (the default)
   */
  default void loadState(Map<String, Tensor> state) {
    throw new UnsupportedOperationException(getClass().getName() + " does not load a state");
  }
}
