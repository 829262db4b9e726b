package dev.adjoint.runtime;

/** Text forms of tensors for {@code toString()}. */
final class TensorText {
  private TensorText() {}

  /** How many leading values {@code toString()} shows. */
  static final int SHOWN = 8;

  /** {@code f32[2, 3] [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}, or {@code f32[100] [0.0, …, 7.0, ... (100 values)]}. */
  static String describe(Tensor t) {
    StringBuilder sb = new StringBuilder(t.typeString()).append(" [");
    int n = Math.min(t.size(), SHOWN);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      appendValue(sb, t, i);
    }
    if (t.size() > SHOWN) {
      sb.append(", ... (").append(t.size()).append(" values)");
    }
    return sb.append(']').toString();
  }

  private static void appendValue(StringBuilder sb, Tensor t, int i) {
    if (t instanceof FloatTensor f) {
      sb.append(f.get(i));
    } else if (t instanceof DoubleTensor d) {
      sb.append(d.get(i));
    } else if (t instanceof IntTensor n) {
      sb.append(n.get(i));
    }
  }
}
