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
   * Parses a declared type such as {@code f32[B, 64]}, {@code i32[B]}, {@code f64[]} or {@code f64}:
   * integers are fixed sizes, identifiers are symbolic dims.
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

  private static Dim parseDim(String part, String declared) {
    if (part.matches("[0-9]+")) {
      return Dim.of(Integer.parseInt(part));
    }
    if (part.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return Dim.of(part);
    }
    throw new IllegalArgumentException("malformed dimension '" + part + "' in '" + declared + "'");
  }

  /** The number of declared axes. */
  public int rank() {
    return dims.size();
  }
}
