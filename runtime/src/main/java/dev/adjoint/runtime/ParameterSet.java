package dev.adjoint.runtime;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a generated model: an insertion-ordered registry of tensors that the model
 * owns. Generated code registers each parameter once and then works on its {@code data()} array;
 * {@link #set} copies new values into that same array, so the model's fields never change.
 *
 * <pre>{@code
 * private final ParameterSet params = new ParameterSet();
 * private final float[] W1 = params.add("W1", FloatTensor.zeros(64, 32)).data();
 * }</pre>
 */
public final class ParameterSet {
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Map<String, Tensor> view = Collections.unmodifiableMap(tensors);
  private final String noun;

  /** An empty set of parameters. */
  public ParameterSet() {
    this("parameter");
  }

  /**
   * An empty set of named tensors of another kind, named so in messages: {@code "buffer"} for the
   * running statistics of a generated model ({@link AdjointModel#buffers()}).
   */
  public ParameterSet(String noun) {
    this.noun = noun;
  }

  /**
   * Registers a parameter and returns it.
   *
   * @throws IllegalArgumentException if the name is already registered
   */
  public <T extends Tensor> T add(String name, T tensor) {
    if (tensors.putIfAbsent(name, tensor) != null) {
      throw new IllegalArgumentException(noun + " " + name + " is registered twice");
    }
    return tensor;
  }

  /** A live, unmodifiable, insertion-ordered view of the parameters. */
  public Map<String, Tensor> view() {
    return view;
  }

  /**
   * The parameter called {@code name}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("unknown " + noun + " " + name + " (" + noun + "s: "
          + (tensors.isEmpty() ? "none" : String.join(", ", tensors.keySet())) + ")");
    }
    return t;
  }

  /**
   * Copies {@code value} into the parameter called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, or if the element type or shape differs,
   *     for example {@code parameter W1: expected f32[64, 32], got f32[64, 31]}
   */
  public void set(String name, Tensor value) {
    Tensor target = get(name);
    if (value.elementType() != target.elementType()
        || !Arrays.equals(value.shape(), target.shape())) {
      throw new IllegalArgumentException(noun + " " + name + ": expected " + target.typeString()
          + ", got " + value.typeString());
    }
    if (target instanceof FloatTensor t && value instanceof FloatTensor v) {
      System.arraycopy(v.data(), 0, t.data(), 0, t.size());
    } else if (target instanceof DoubleTensor t && value instanceof DoubleTensor v) {
      System.arraycopy(v.data(), 0, t.data(), 0, t.size());
    } else if (target instanceof IntTensor t && value instanceof IntTensor v) {
      System.arraycopy(v.data(), 0, t.data(), 0, t.size());
    }
  }
}
