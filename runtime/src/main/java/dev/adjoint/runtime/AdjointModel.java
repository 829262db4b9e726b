package dev.adjoint.runtime;

import java.util.List;
import java.util.Map;

/**
 * What every generated model class implements. Values go in and out as name → tensor maps in
 * declaration order; names are the model's ({@code x}, {@code W1}, {@code W[0]}).
 *
 * <p>A generated class holds its parameters as fields, initialized from a seed by its constructor.
 * Instances are not thread-safe: one call at a time.
 */
public interface AdjointModel {

  /** The model's name, as in {@code model DigitsMlp { … }}. */
  String name();

  /** The declared inputs, in declaration order. */
  List<InputSpec> inputs();

  /**
   * The parameters in declaration order, as a live unmodifiable view: the tensors are the model's
   * own storage, so writing into their {@code data()} changes the model, and the map reflects
   * {@link #setParameter}.
   */
  Map<String, Tensor> parameters();

  /**
   * Copies {@code value} into the named parameter.
   *
   * @throws IllegalArgumentException for an unknown name, or an element type or shape that differs
   *     from the parameter's
   */
  void setParameter(String name, Tensor value);

  /**
   * Re-initializes every parameter from its initializer with the given model seed; see
   * {@link Initializer} and {@link SeededRandom#forParameter(long, String)}.
   */
  void initParameters(long seed);

  /** Whether the model declares a {@code loss}; only then does {@link #gradient} exist. */
  boolean hasLoss();

  /**
   * Runs the forward pass.
   *
   * @param inputs every declared input by name; extra entries are ignored
   * @throws IllegalArgumentException if an input is missing or does not match its declaration, or a
   *     label is out of range
   */
  ForwardResult forward(Map<String, Tensor> inputs);

  /**
   * Runs the forward pass and the backward pass of the loss, giving the gradient of the loss with
   * respect to every parameter and every {@code input grad}.
   *
   * @throws IllegalArgumentException as {@link #forward} does
   * @throws UnsupportedOperationException if the model has no loss
   */
  GradientResult gradient(Map<String, Tensor> inputs);

  /**
   * A training step into the model's own buffers: the forward pass, the loss and every gradient, as
   * {@link #gradient} computes them. Generated models allocate nothing once their buffers exist for
   * the inputs' dims (the first call with new dims allocates them), and return the same
   * {@link StepResult} every time: its tensors are views that the next call overwrites.
   *
   * <p>The default (for models written by hand) copies the result of {@link #gradient}.
   *
   * @throws IllegalArgumentException as {@link #forward} does
   * @throws UnsupportedOperationException if the model has no loss
   */
  default StepResult step(Map<String, Tensor> inputs) {
    GradientResult r = gradient(inputs);
    return new StepResult(r.outputs(), r.gradients()).loss(r.loss());
  }

  /**
   * The forward pass into the model's own buffers, as {@link #step} does for a training step: the
   * outputs and the loss (NaN without one) as views that the next call overwrites, no gradients.
   *
   * <p>The default (for models written by hand) copies the result of {@link #forward}.
   *
   * @throws IllegalArgumentException as {@link #forward} does
   */
  default StepResult evaluate(Map<String, Tensor> inputs) {
    ForwardResult r = forward(inputs);
    return new StepResult(r.outputs(), Map.of()).loss(r.loss().orElse(Double.NaN));
  }

  /**
   * The planned and the held bytes of the model's buffers.
   *
   * @throws UnsupportedOperationException for a model that does not plan its memory (written by hand)
   */
  default MemoryReport memory() {
    throw new UnsupportedOperationException("model " + name() + " does not report its memory");
  }
}
