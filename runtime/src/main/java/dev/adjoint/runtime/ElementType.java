package dev.adjoint.runtime;

import java.util.Locale;

/** The element types of the language: {@code f32}, {@code f64} and {@code i32}. */
public enum ElementType {
  /** 32-bit IEEE float, stored in a {@code float[]}. */
  F32,
  /** 64-bit IEEE float, stored in a {@code double[]}. */
  F64,
  /** 32-bit signed integer (labels, indices), stored in an {@code int[]}; never differentiated. */
  I32;

  /** The spelling used in {@code .model} files: {@code f32}, {@code f64} or {@code i32}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the {@code .model} spelling ({@code f32}, {@code f64}, {@code i32}).
   *
   * @throws IllegalArgumentException for any other text
   */
  public static ElementType parse(String text) {
    for (ElementType type : values()) {
      if (type.toString().equals(text)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown element type '" + text + "' (expected f32, f64 or i32)");
  }
}
