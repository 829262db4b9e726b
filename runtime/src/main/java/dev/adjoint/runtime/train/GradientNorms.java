package dev.adjoint.runtime.train;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;

/** Sums of squares and in-place scaling of gradient tensors, without allocating. */
final class GradientNorms {
  private GradientNorms() {}

  /**
   * The sum of the squares of the elements, accumulated in double; NaN or infinite if an element
   * is, or if the sum overflows.
   *
   * @throws IllegalArgumentException if the tensor is not f32 or f64
   */
  static double sumOfSquares(String name, Tensor g) {
    double sum = 0;
    if (g instanceof FloatTensor f) {
      for (float x : f.data()) {
        sum += (double) x * x;
      }
    } else if (g instanceof DoubleTensor d) {
      for (double x : d.data()) {
        sum += x * x;
      }
    } else {
      throw new IllegalArgumentException(
          "gradient of " + name + ": expected an f32 or f64 tensor, got " + g.typeString());
    }
    return sum;
  }

  /** Why a gradient whose sum of squares is not finite is so, for a message. */
  static String whyNotFinite(Tensor g) {
    boolean infinite = false;
    for (int i = 0; i < g.size(); i++) {
      double x = g.getAsDouble(i);
      if (Double.isNaN(x)) {
        return "has a NaN element (index " + i + ")";
      }
      infinite |= Double.isInfinite(x);
    }
    return infinite ? "has an infinite element" : "has a norm too large for a double";
  }

  /** Multiplies every element by {@code scale}, in place. */
  static void scale(Tensor g, double scale) {
    if (g instanceof DoubleTensor t) {
      double[] x = t.data();
      for (int i = 0; i < x.length; i++) {
        x[i] *= scale;
      }
    } else {
      float[] x = ((FloatTensor) g).data();
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (x[i] * scale);
      }
    }
  }
}
