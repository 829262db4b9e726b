package dev.adjoint.runtime;

/** The range check of class labels that generated code does where it reads a label by index. */
public final class Labels {
  private Labels() {}

  /**
   * {@code label}, checked to be a class index of {@code classes} classes.
   *
   * @param op the function that reads it, for the message ({@code one_hot})
   * @throws IllegalArgumentException naming the label and the range when it is outside {@code [0, classes)}
   */
  public static int check(int label, int classes, String op) {
    if (label < 0 || label >= classes) {
      throw new IllegalArgumentException(op + ": label " + label + " is out of range for " + classes
          + " classes (valid: 0.." + (classes - 1) + ")");
    }
    return label;
  }
}
