package dev.adjoint.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@link AdjointModel#step} or {@link AdjointModel#evaluate}: the loss, the outputs and (for a
 * step) the gradients, as views of the model's own buffers. A generated model returns the same object from every
 * call with the same dims; the next call overwrites the values. Copy what must outlive it.
 */
public final class StepResult {
  private final Map<String, Tensor> outputs;
  private final Map<String, Tensor> gradients;
  private double loss = Double.NaN;

  /**
   * A result over fixed view tensors.
   *
   * @param outputs the outputs by name, in declaration order (kept as an unmodifiable view)
   * @param gradients the gradients by name, params first, in declaration order (empty for
   *     {@link AdjointModel#evaluate})
   */
  public StepResult(Map<String, Tensor> outputs, Map<String, Tensor> gradients) {
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    this.gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
  }

  /** The loss of the last call; NaN for a model without one. */
  public double loss() {
    return loss;
  }

  /** Sets the loss of this call (generated code does, once per call). */
  public StepResult loss(double value) {
    this.loss = value;
    return this;
  }

  /** The outputs by name: views, overwritten by the next call. */
  public Map<String, Tensor> outputs() {
    return outputs;
  }

  /** The gradients by name: views, overwritten by the next call. */
  public Map<String, Tensor> gradients() {
    return gradients;
  }

  /**
   * The output {@code name}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Tensor output(String name) {
    Tensor t = outputs.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no output " + name + " (outputs: " + outputs.keySet() + ")");
    }
    return t;
  }

  /**
   * The gradient with respect to {@code name}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Tensor gradient(String name) {
    Tensor t = gradients.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no gradient for " + name + " (gradients: " + gradients.keySet() + ")");
    }
    return t;
  }
}
