package dev.adjoint.runtime;

import java.util.List;
import java.util.Map;

/**
 * What every generated model class implements. Values go in and out as name → tensor maps in
 * declaration order; names are the model's ({@code x}, {@code W1}, {@code W[0]}).
 *
 * <p>A generated class holds its parameters as fields, initialized from a seed by its constructor.
 * Instances are not thread-safe: one call at a time.
 *
 * <p>Calls run in one of two {@link Mode}s, which differ only for {@code batch_norm} and
 * {@code dropout}: training steps ({@link #step}, {@link #gradient}) in {@link Mode#TRAINING},
 * evaluation ({@link #evaluate}, {@link #forward}) and prediction ({@link #predict}) in
 * {@link Mode#EVALUATION}. {@link #evaluate(Map, Mode)} runs the forward pass in either.
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

  /**
   * The model's buffers: state that is saved with the parameters but not trained by gradients —
   * the running mean and variance of each {@code batch_norm}, named after its {@code gamma} param
   * ({@code g1.running_mean}, {@code g1.running_var}) — as a live unmodifiable view in the order
   * the model computes them. Empty for a model without {@code batch_norm}. Training steps update
   * them; {@link #initParameters} resets them (mean 0, variance 1).
   */
  default Map<String, Tensor> buffers() {
    return Map.of();
  }

  /**
   * Copies {@code value} into the named buffer.
   *
   * @throws IllegalArgumentException for an unknown name, or an element type or shape that differs
   *     from the buffer's
   */
  default void setBuffer(String name, Tensor value) {
    throw new IllegalArgumentException("unknown buffer " + name + " (model " + name() + " has none)");
  }

  /**
   * The number of the next training step, from which {@code dropout} draws its masks (see
   * {@link Dropout}): 0 after construction and {@link #initParameters}, one more after every
   * {@link #step} or {@link #gradient}. Always 0 for a model without {@code dropout}.
   */
  default long trainingStep() {
    return 0;
  }

  /**
   * Sets the number of the next training step: a resumed run continues its masks, and a gradient
   * check repeats a step's masks (with {@link #evaluate(Map, Mode)} in {@link Mode#TRAINING}).
   * Nothing to set for a model without {@code dropout}.
   */
  default void setTrainingStep(long step) {}

  /** Whether the model declares a {@code loss}; only then does {@link #gradient} exist. */
  boolean hasLoss();

  /**
   * Runs the forward pass in {@link Mode#EVALUATION}: the outputs and the loss.
   *
   * @param inputs every declared input by name; extra entries are ignored
   * @throws IllegalArgumentException if an input is missing or does not match its declaration, or a
   *     label is out of range
   */
  ForwardResult forward(Map<String, Tensor> inputs);

  /**
   * Runs the forward pass in {@code mode}, as {@link #evaluate(Map, Mode)}, and copies the result.
   *
   * @throws IllegalArgumentException as {@link #forward(Map)} does
   */
  default ForwardResult forward(Map<String, Tensor> inputs, Mode mode) {
    StepResult r = evaluate(inputs, mode);
    return new ForwardResult(hasLoss() ? java.util.OptionalDouble.of(r.loss())
        : java.util.OptionalDouble.empty(), Tensors.copies(r.outputs()));
  }

  /**
   * The inputs the outputs depend on, in declaration order: what {@link #predict} needs. The
   * inputs only the loss reads (the labels) are not among them.
   */
  default List<InputSpec> predictInputs() {
    return inputs();
  }

  /**
   * The outputs in {@link Mode#EVALUATION}, computed from {@link #predictInputs()} alone (the
   * labels are not needed): copies, and no loss.
   *
   * @param inputs the inputs the outputs need by name; extra entries are ignored
   * @throws IllegalArgumentException if one of them is missing or does not match its declaration
   */
  default ForwardResult predict(Map<String, Tensor> inputs) {
    return new ForwardResult(java.util.OptionalDouble.empty(), Tensors.copies(predictViews(inputs).outputs()));
  }

  /**
   * {@link #predict} into the model's own buffers, as {@link #evaluate} does for the forward pass:
   * the outputs as views that the next call overwrites (the loss is NaN). Generated models
   * allocate nothing once their buffers exist for the inputs' dims.
   *
   * <p>The default (for models written by hand) runs {@link #evaluate}, which needs every input.
   *
   * @throws IllegalArgumentException as {@link #predict} does
   */
  default StepResult predictViews(Map<String, Tensor> inputs) {
    StepResult r = evaluate(inputs);
    return new StepResult(r.outputs(), Map.of());
  }

  /**
   * A training step: runs the forward pass in {@link Mode#TRAINING} and the backward pass of the
   * loss, giving the gradient of the loss with respect to every parameter and every
   * {@code input grad}; updates the running statistics and advances {@link #trainingStep()}, as
   * {@link #step} does.
   *
   * @throws IllegalArgumentException as {@link #forward} does
   * @throws UnsupportedOperationException if the model has no loss
   */
  GradientResult gradient(Map<String, Tensor> inputs);

  /**
   * A training step into the model's own buffers: the forward pass, the loss and every gradient, as
   * {@link #gradient} computes them, in {@link Mode#TRAINING} (updating the running statistics of
   * {@code batch_norm}, then advancing {@link #trainingStep()}). Generated models allocate nothing
   * once their buffers exist for the inputs' dims (the first call with new dims allocates them),
   * and return the same {@link StepResult} every time: its tensors are views that the next call
   * overwrites.
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
   * The forward pass into the model's own buffers, as {@link #step} does for a training step, in
   * {@link Mode#EVALUATION}: the outputs and the loss (NaN without one) as views that the next
   * call overwrites, no gradients.
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
   * {@link #evaluate(Map)} in {@code mode}. In {@link Mode#TRAINING} this is the forward pass of a
   * training step without its side effects: batch statistics and the dropout masks of
   * {@link #trainingStep()}, but the running statistics and the step stay as they are (what a
   * gradient check differentiates).
   *
   * <p>The default (for models without {@code batch_norm} and {@code dropout}, where the modes
   * agree) is {@link #evaluate(Map)}.
   *
   * @throws IllegalArgumentException as {@link #forward} does
   */
  default StepResult evaluate(Map<String, Tensor> inputs, Mode mode) {
    return evaluate(inputs);
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
