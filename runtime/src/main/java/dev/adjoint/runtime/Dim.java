package dev.adjoint.runtime;

/**
 * One dimension of a declared input shape: a fixed size ({@code 64}) or a symbolic {@code dim}
 * ({@code B}) that is bound the first time an input shows it.
 */
public sealed interface Dim permits Dim.Fixed, Dim.Named {

  /** A fixed size. */
  static Dim of(int size) {
    return new Fixed(size);
  }

  /** A symbolic dimension, bound at call time. */
  static Dim of(String name) {
    return new Named(name);
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
}
