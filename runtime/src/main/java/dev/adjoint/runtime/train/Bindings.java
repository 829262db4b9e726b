package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.InputSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, when a trainer is built, that a {@link CsvBatchSource} fits the model's inputs, so that a
 * misnamed or mistyped input is an error before training starts rather than at the first step.
 * Other batch sources are checked by the model itself when it is called.
 */
final class Bindings {
  private Bindings() {}

  /**
   * Checks names, element types and the feature count of {@code source} against {@code model}.
   *
   * @param role "training" or "held-out", for messages
   * @throws IllegalArgumentException naming the input and what differs
   */
  static void check(AdjointModel model, BatchSource source, String role) {
    if (!(source instanceof CsvBatchSource csv)) {
      return;
    }
    InputSpec features = input(model, csv.featureInput(), role, "features");
    if (features.elementType() == ElementType.I32) {
      throw new IllegalArgumentException("the " + role + " data binds its features to input "
          + features.name() + ", but that input of model " + model.name() + " is "
          + features.declared() + "; features go to an f32 or f64 input");
    }
    if (features.elementType() != csv.featureType()) {
      throw new IllegalArgumentException("the " + role + " features are " + csv.featureType()
          + " but input " + features.name() + " of model " + model.name() + " is "
          + features.declared() + "; read the CSV with CsvOptions.withFeatureType("
          + features.elementType().name() + ")");
    }
    if (features.rank() != 2) {
      throw new IllegalArgumentException("the " + role + " features are [rows, "
          + csv.featureCount() + "] but input " + features.name() + " of model " + model.name()
          + " is " + features.declared() + ", not of rank 2");
    }
    if (features.dims().get(1) instanceof Dim.Fixed f && f.size() != csv.featureCount()) {
      throw new IllegalArgumentException("the " + role + " data has " + csv.featureCount()
          + " feature columns but input " + features.name() + " of model " + model.name()
          + " is " + features.declared());
    }
    if (csv.labelInput() != null) {
      InputSpec labels = input(model, csv.labelInput(), role, "labels");
      if (labels.elementType() != ElementType.I32 || labels.rank() != 1) {
        throw new IllegalArgumentException("the " + role + " labels are i32[rows] but input "
            + labels.name() + " of model " + model.name() + " is " + labels.declared());
      }
    }
  }

  private static InputSpec input(AdjointModel model, String name, String role, String what) {
    List<String> names = new ArrayList<>();
    for (InputSpec spec : model.inputs()) {
      if (spec.name().equals(name)) {
        return spec;
      }
      names.add(spec.name());
    }
    throw new IllegalArgumentException("the " + role + " data binds its " + what + " to input "
        + name + ", but model " + model.name() + " has no such input (inputs: "
        + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
  }
}
