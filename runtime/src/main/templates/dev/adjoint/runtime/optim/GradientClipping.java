package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Map;

/**
 * Gradient clipping by global norm, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} with
 * {@code norm_type=2}. Pass parameter gradients only: a {@link dev.adjoint.runtime.GradientResult}
 * also holds {@code input grad} gradients, which would count towards the norm.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * The L2 norm of all the gradients taken together: the square root of the sum of the squares of
   * every element of every tensor, accumulated in double.
   *
   * @throws IllegalArgumentException if a tensor is not {@code f32} or {@code f64}
   */
  public static double globalNorm(Map<String, Tensor> gradients) {
    double sumOfSquares = 0;
    for (Map.Entry<String, Tensor> e : gradients.entrySet()) {
      sumOfSquares += sumOfSquares(e.getKey(), e.getValue());
    }
    return Math.sqrt(sumOfSquares);
  }

  /**
   * The sum of the squares of one tensor's elements, accumulated in double: NaN or infinite if an
   * element is, or if the sum overflows.
   *
   * @param name the gradient's name, for the message
   * @throws IllegalArgumentException if the tensor is not {@code f32} or {@code f64}
   */
  public static double sumOfSquares(String name, Tensor g) {
    if (g instanceof FloatTensor f) {
      return sumOfSquares(f.data());
    } else if (g instanceof DoubleTensor d) {
      return sumOfSquares(d.data());
    }
    throw new IllegalArgumentException(
        "gradient of " + name + ": expected an f32 or f64 tensor, got " + g.typeString());
  }

  // twin: double

  /**
   * The sum of squares in four interleaved partial sums (elements {@code i ≡ 0, 1, 2, 3 mod 4}), added up as
   * {@code (s0 + s1) + (s2 + s3)}: a fixed order, so the same bits on every run, and four independent chains of
   * additions instead of one (a training step computes this for every gradient; one chain, 4 cycles an element, was
   * 5 % of the convolutional sample's step).
   */
  static double sumOfSquares(float[] x) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < x.length; i += 4) {
      s0 += (double) x[i] * x[i];
      s1 += (double) x[i + 1] * x[i + 1];
      s2 += (double) x[i + 2] * x[i + 2];
      s3 += (double) x[i + 3] * x[i + 3];
    }
    for (; i < x.length; i++) {
      s0 += (double) x[i] * x[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  // end twin

  /**
   * Scales every gradient in place by {@code maxNorm / (norm + 1e-6)} when that is below 1, so that
   * the global norm becomes (just under) {@code maxNorm}; gradients whose norm is within the limit
   * are not touched. A non-finite norm leaves the gradients untouched (PyTorch would scale by
   * {@code NaN}); the caller sees it in the result and can skip the step.
   *
   * @return the global norm before clipping
   * @throws IllegalArgumentException if {@code maxNorm} is negative or not finite, or a tensor is
   *     not {@code f32} or {@code f64}
   */
  public static double clipByGlobalNorm(Map<String, Tensor> gradients, double maxNorm) {
    Checks.nonNegative("max norm", maxNorm);
    double norm = globalNorm(gradients);
    double scale = clipFactor(norm, maxNorm);
    if (scale < 1) {
      for (Tensor g : gradients.values()) {
        scale(g, scale);
      }
    }
    return norm;
  }

  /**
   * The factor that brings a global norm of {@code norm} to (just under) {@code maxNorm}:
   * {@code maxNorm / (norm + 1e-6)} when that is below 1, else 1 (no clipping). For callers that
   * have measured the norm themselves, then {@link #scale} each gradient by it.
   */
  public static double clipFactor(double norm, double maxNorm) {
    return Math.min(1, maxNorm / (norm + 1e-6));
  }

  /** Multiplies every element of an {@code f32} or {@code f64} tensor by {@code scale}, in place. */
  public static void scale(Tensor g, double scale) {
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
