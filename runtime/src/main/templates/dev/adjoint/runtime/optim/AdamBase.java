package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * The Adam moment update shared by {@link Adam} and {@link AdamW}, as PyTorch computes it
 * ({@code amsgrad=False}). Per element, at a parameter's {@code t}-th update:
 *
 * <pre>
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * <p>{@code t} counts per parameter, so a parameter skipped for lack of a gradient keeps its own
 * bias correction, as in PyTorch. The bias corrections are computed in double once per parameter
 * and step; the loop over the elements runs in the parameter's precision.
 */
abstract class AdamBase extends ElementwiseOptimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final float[][] mF32;
  private final float[][] vF32;
  private final double[][] mF64;
  private final double[][] vF64;
  private final int[] updates;
  private double stepSize;
  private double sqrtCorrection2;

  AdamBase(Map<String, Tensor> params, double learningRate, double beta1, double beta2, double eps) {
    super(params, learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.mF32 = newStateF32("exp_avg");
    this.vF32 = newStateF32("exp_avg_sq");
    this.mF64 = newStateF64("exp_avg");
    this.vF64 = newStateF64("exp_avg_sq");
    this.updates = newCounters("step");
  }

  @Override
  final void beginSlot(int slot) {
    int t = ++updates[slot];
    stepSize = learningRate() / (1 - Math.pow(beta1, t));
    sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
  }

  // twin: double

  /**
   * The Adam update of every element of an {@code f32} parameter, after {@code g += l2 * p} (Adam's
   * weight decay; skipped when {@code l2} is 0) and {@code p *= decay} (AdamW's; 1 for none).
   */
  final void adamF32(int slot, float[] p, float[] g, float l2, float decay) {
    float b1 = (float) beta1;
    float c1 = (float) (1 - beta1);
    float b2 = (float) beta2;
    float c2 = (float) (1 - beta2);
    float step = (float) stepSize;
    float sc2 = (float) sqrtCorrection2;
    float e = (float) eps;
    float[] m = mF32[slot];
    float[] v = vF32[slot];
    boolean l2Term = l2 != 0;
    for (int i = 0; i < p.length; i++) {
      float pi = p[i] * decay;
      float gi = l2Term ? g[i] + l2 * p[i] : g[i];
      float mi = b1 * m[i] + c1 * gi;
      float vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - step * mi / ((float) Math.sqrt(vi) / sc2 + e);
    }
  }

  // end twin

  @Override
  final void clearState() {
    zero(mF32);
    zero(vF32);
    zero(mF64);
    zero(vF64);
    Arrays.fill(updates, 0);
  }
}
