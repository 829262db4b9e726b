package dev.adjoint.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The result of {@link AdjointModel#forward}: the loss, if the model declares one, and the
 * {@code output} values in declaration order.
 *
 * @param loss the loss, or empty for a model without {@code loss}
 * @param outputs the outputs by name, insertion-ordered and unmodifiable
 */
public record ForwardResult(OptionalDouble loss, Map<String, Tensor> outputs) {

  /** Keeps an insertion-ordered, unmodifiable copy of {@code outputs}. */
  public ForwardResult {
    if (loss == null) {
      throw new NullPointerException("loss: use OptionalDouble.empty()");
    }
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /**
   * The output called {@code name}.
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
}
