package dev.adjoint.runtime;

import java.util.List;

/**
 * One dimension of a declared input shape: a fixed size ({@code 64}), a symbolic {@code dim}
 * ({@code B}) that is bound the first time an input shows it, or a product of an integer and dims
 * ({@code 2*B}, {@code B*C}).
 */
public sealed interface Dim permits Dim.Fixed, Dim.Named, Dim.Product {

  /** A fixed size. */
  static Dim of(int size) {
    return new Fixed(size);
  }

  /** A symbolic dimension, bound at call time. */
  static Dim of(String name) {
    return new Named(name);
  }

  /**
   * {@code coefficient} times the named dims, in the simplest form: a {@link Fixed} without names,
   * a {@link Named} for one name and coefficient 1, else a {@link Product}.
   */
  static Dim product(int coefficient, List<String> names) {
    if (names.isEmpty()) {
      return new Fixed(coefficient);
    }
    if (coefficient == 1 && names.size() == 1) {
      return new Named(names.get(0));
    }
    return new Product(coefficient, names);
  }

  /** A dimension of fixed size. */
  record Fixed(int size) implements Dim {
    /** @throws IllegalArgumentException if {@code size} is negative */
    public Fixed {
      if (size < 0) {
        throw new IllegalArgumentException("negative dimension " + size);
      }
    }

    @Override
    public String toString() {
      return Integer.toString(size);
    }
  }

  /** A symbolic dimension such as {@code B}. */
  record Named(String name) implements Dim {
    /** @throws IllegalArgumentException if {@code name} is empty */
    public Named {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty dimension name");
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A product such as {@code 2*B} or {@code B*C} ({@code names} may repeat a dim: {@code B*B}). An
   * input binds a dim from such a dimension when that dim is the only one not yet bound and occurs
   * once: {@code 2*B} binds {@code B} from a size that divides evenly by 2.
   */
  record Product(int coefficient, List<String> names) implements Dim {
    /**
     * Copies {@code names}.
     *
     * @throws IllegalArgumentException if {@code coefficient} is negative, or a name is empty
     */
    public Product {
      if (coefficient < 0) {
        throw new IllegalArgumentException("negative coefficient " + coefficient);
      }
      names = List.copyOf(names);
      if (names.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("empty dimension name");
      }
    }

    @Override
    public String toString() {
      String product = String.join("*", names);
      return coefficient == 1 ? product : coefficient + "*" + product;
    }
  }
}
