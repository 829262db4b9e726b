package dev.adjoint.spark;

/**
 * Turns the exception of a failed Spark job back into the one a task threw, when it says more: Spark
 * wraps a task's exception in a {@code SparkException} ("Job aborted due to stage failure: …") whose
 * cause, when the exception could be sent back to the driver, is the original.
 */
final class SparkErrors {
  private SparkErrors() {}

  /** The {@link BadRowException} or {@code IllegalArgumentException} among the causes, else {@code e}. */
  static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BadRowException b) {
        return b;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException i) {
        return i;
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
  }
}
