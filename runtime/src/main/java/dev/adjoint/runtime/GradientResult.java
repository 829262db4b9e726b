package dev.adjoint.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@link AdjointModel#gradient}: the loss, the outputs, and the gradient of the loss
 * with respect to every parameter (by parameter name) and every {@code input grad} (by input name),
 * parameters first, each group in declaration order. A gradient has its variable's shape and type.
 *
 * @param loss the value of the loss
 * @param outputs the outputs by name, insertion-ordered and unmodifiable
 * @param gradients the gradients by name, insertion-ordered and unmodifiable
 */
public record GradientResult(double loss, Map<String, Tensor> outputs, Map<String, Tensor> gradients) {

  /** Keeps insertion-ordered, unmodifiable copies of the maps. */
  public GradientResult {
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
  }

  /**
   * The gradient with respect to {@code name}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Tensor gradient(String name) {
    Tensor t = gradients.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "no gradient for " + name + " (gradients: " + gradients.keySet() + ")");
    }
    return t;
  }
}
