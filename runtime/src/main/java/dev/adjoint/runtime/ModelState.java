package dev.adjoint.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters and buffers together (what PyTorch calls its state dict): what
 * {@code adjoint train} writes to {@code MODEL.safetensors}, and what {@code --init-from},
 * {@code adjoint predict} and {@link dev.adjoint.runtime.train.Checkpoint} read back.
 *
 * <pre>{@code
 * Safetensors.write(path, ModelState.of(model), Map.of("model", model.name()));
 * ModelState.load(other, Safetensors.read(path));   // every param and buffer, checked first
 * }</pre>
 */
public final class ModelState {
  private ModelState() {}

  /**
   * The parameters in declaration order, then the buffers ({@link AdjointModel#buffers()}): the
   * model's live tensors, in an unmodifiable map.
   */
  public static Map<String, Tensor> of(AdjointModel model) {
    Map<String, Tensor> all = new LinkedHashMap<>(model.parameters());
    all.putAll(model.buffers());
    return Collections.unmodifiableMap(all);
  }

  /**
   * What keeps {@code tensors} from being exactly the model's parameters and buffers, one message
   * each, in the model's order then the tensors': {@code missing tensor b for param b : f32[3]},
   * {@code tensor W is f32[4, 2], but param W is f32[4, 3]}, {@code tensor c is not a param of
   * model Tiny (its params: W, b)}. Empty when they fit.
   */
  public static List<String> problems(AdjointModel model, Map<String, Tensor> tensors) {
    List<String> problems = new ArrayList<>();
    check(model.parameters(), "param", tensors, problems);
    check(model.buffers(), "buffer", tensors, problems);
    for (String t : tensors.keySet()) {
      if (!model.parameters().containsKey(t) && !model.buffers().containsKey(t)) {
        problems.add("tensor " + t + " is not a param of model " + model.name() + " (its params: "
            + String.join(", ", model.parameters().keySet())
            + (model.buffers().isEmpty() ? "" : "; buffers: " + String.join(", ", model.buffers().keySet()))
            + ")");
      }
    }
    return problems;
  }

  private static void check(Map<String, Tensor> own, String kind, Map<String, Tensor> tensors,
      List<String> problems) {
    for (Map.Entry<String, Tensor> p : own.entrySet()) {
      Tensor t = tensors.get(p.getKey());
      String what = kind + " " + p.getKey();
      if (t == null) {
        problems.add("missing tensor " + p.getKey() + " for " + what + " : " + p.getValue().typeString()
            + (kind.equals("buffer") ? " (a running statistic of batch_norm)" : ""));
      } else if (!t.typeString().equals(p.getValue().typeString())) {
        problems.add("tensor " + p.getKey() + " is " + t.typeString() + ", but " + what + " is "
            + p.getValue().typeString());
      }
    }
  }

  /**
   * Copies {@code tensors} into the model's parameters and buffers, after checking that they are
   * exactly those (see {@link #problems}).
   *
   * @throws IllegalArgumentException listing every problem, separated by {@code "; "}; nothing is
   *     copied then
   */
  public static void load(AdjointModel model, Map<String, Tensor> tensors) {
    List<String> problems = problems(model, tensors);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
      if (model.parameters().containsKey(t.getKey())) {
        model.setParameter(t.getKey(), t.getValue());
      } else {
        model.setBuffer(t.getKey(), t.getValue());
      }
    }
  }
}
