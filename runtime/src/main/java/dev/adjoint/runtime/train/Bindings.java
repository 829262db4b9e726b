package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
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
    Tensor targets = csv.targets();
    if (csv.labelInput() != null && targets != null) {
      InputSpec y = input(model, csv.labelInput(), role,
          targets instanceof IntTensor ? "labels" : "targets");
      if (targets instanceof IntTensor) {
        if (y.elementType() != ElementType.I32 || y.rank() != 1) {
          throw new IllegalArgumentException("the " + role + " labels are i32[rows] but input "
              + y.name() + " of model " + model.name() + " is " + y.declared()
              + (y.elementType() == ElementType.I32 ? ""
                  : "; for float targets read the CSV with CsvOptions.withTargetColumn(…)"
                  + " or withTargetColumns(…)"));
        }
        return;
      }
      String what = "the " + role + " targets are " + targets.elementType().name().toLowerCase(
          java.util.Locale.ROOT) + (targets.rank() == 1 ? "[rows]" : "[rows, " + targets.dim(1) + "]");
      if (y.elementType() != targets.elementType()) {
        throw new IllegalArgumentException(what + " but input " + y.name() + " of model "
            + model.name() + " is " + y.declared() + (y.elementType() == ElementType.I32
            ? "; for integer labels read the CSV with CsvOptions.withLabelColumn(…)" : ""));
      }
      boolean fits = y.rank() == targets.rank() && (y.rank() == 1
          || !(y.dims().get(1) instanceof Dim.Fixed f) || f.size() == targets.dim(1));
      if (!fits) {
        throw new IllegalArgumentException(what + " but input " + y.name() + " of model "
            + model.name() + " is " + y.declared() + "; read "
            + (y.rank() == 1 ? "one column with CsvOptions.withTargetColumn(…)"
                : "its columns with CsvOptions.withTargetColumns(…)"));
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
