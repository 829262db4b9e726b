package dev.adjoint.runtime.optim;

/** Argument checks for optimizer options, with messages that name the option. */
final class Checks {
  private Checks() {}

  /** {@code value} if it is finite and at least 0. */
  static double nonNegative(String option, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  /** {@code value} if it is in {@code [0, 1)}. */
  static double fraction(String option, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(option + " must be in [0, 1), got " + value);
    }
    return value;
  }

  /** {@code value} if it is at least 1. */
  static int positive(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be >= 1, got " + value);
    }
    return value;
  }
}
