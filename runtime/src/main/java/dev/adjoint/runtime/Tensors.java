package dev.adjoint.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies of tensors, for results that must outlive the buffers they were views of. */
public final class Tensors {
  private Tensors() {}

  /** A copy of {@code t}: the same element type, shape and values, in a new array. */
  public static Tensor copy(Tensor t) {
    if (t instanceof FloatTensor f) {
      return FloatTensor.wrap(f.data().clone(), f.shape());
    }
    if (t instanceof DoubleTensor d) {
      return DoubleTensor.wrap(d.data().clone(), d.shape());
    }
    IntTensor i = (IntTensor) t;
    return IntTensor.wrap(i.data().clone(), i.shape());
  }

  /** Copies of every tensor, in the same order, as an unmodifiable map. */
  public static Map<String, Tensor> copies(Map<String, Tensor> tensors) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach((k, v) -> out.put(k, copy(v)));
    return Collections.unmodifiableMap(out);
  }
}
