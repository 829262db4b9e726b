package dev.adjoint.runtime;

import java.util.List;

/**
 * The declaration of one model input, which {@link DimBindings} checks received tensors against.
 * Generated classes keep one per input as a constant, for example
 * {@code InputSpec.of("x", "f32[B, 64]", ElementType.F32, Dim.of("B"), Dim.of(64))}.
 *
 * @param name the input's name in the model
 * @param declared the declared type as the model wrote it, shown in error messages
 *     ({@code f32[B, 64]}; a {@code const} may appear by name)
 * @param elementType the declared element type
 * @param dims the declared dimensions, one per axis
 */
public record InputSpec(String name, String declared, ElementType elementType, List<Dim> dims) {

  /** Copies {@code dims} into an unmodifiable list. */
  public InputSpec {
    dims = List.copyOf(dims);
  }

  /** An input declaration with the given dimensions. */
  public static InputSpec of(String name, String declared, ElementType elementType, Dim... dims) {
    return new InputSpec(name, declared, elementType, List.of(dims));
  }

  /**
   * Parses a declared type such as {@code f32[B, 64]}, {@code i32[B]}, {@code f32[2*B, C*H]},
   * {@code f64[]} or {@code f64}: integers are fixed sizes, identifiers are symbolic dims, and
   * {@code *} multiplies them.
   *
   * @throws IllegalArgumentException if the text is not of that form
   */
  public static InputSpec parse(String name, String declared) {
    String text = declared.strip();
    int open = text.indexOf('[');
    if (open < 0) {
      return new InputSpec(name, declared, ElementType.parse(text), List.of());
    }
    if (!text.endsWith("]")) {
      throw new IllegalArgumentException("malformed type '" + declared + "'");
    }
    ElementType type = ElementType.parse(text.substring(0, open).strip());
    String inside = text.substring(open + 1, text.length() - 1).strip();
    if (inside.isEmpty()) {
      return new InputSpec(name, declared, type, List.of());
    }
    String[] parts = inside.split(",", -1);
    Dim[] dims = new Dim[parts.length];
    for (int i = 0; i < parts.length; i++) {
      dims[i] = parseDim(parts[i].strip(), declared);
    }
    return of(name, declared, type, dims);
  }

  /** {@code 64}, {@code B}, or a product of those such as {@code 2*B} or {@code B*C}. */
  private static Dim parseDim(String part, String declared) {
    int coefficient = 1;
    java.util.List<String> names = new java.util.ArrayList<>();
    for (String f : part.split("\\*", -1)) {
      String factor = f.strip();
      if (factor.matches("[0-9]+")) {
        try {
          coefficient = Math.multiplyExact(coefficient, Integer.parseInt(factor));
        } catch (NumberFormatException | ArithmeticException e) {
          throw new IllegalArgumentException(
              "dimension '" + part + "' in '" + declared + "' is larger than 2^31-1");
        }
      } else if (factor.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        names.add(factor);
      } else {
        throw new IllegalArgumentException(
            "malformed dimension '" + part + "' in '" + declared + "'");
      }
    }
    return Dim.product(coefficient, names);
  }

  /** The number of declared axes. */
  public int rank() {
    return dims.size();
  }
}
