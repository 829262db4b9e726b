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
 * bias correction, as in PyTorch.
 */
abstract class AdamBase extends ElementwiseOptimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double[][] m;
  private final double[][] v;
  private final int[] updates;
  private double stepSize;
  private double sqrtCorrection2;

  AdamBase(Map<String, Tensor> params, double learningRate, double beta1, double beta2, double eps) {
    super(params, learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.m = newState("exp_avg");
    this.v = newState("exp_avg_sq");
    this.updates = newCounters("step");
  }

  @Override
  final void beginSlot(int slot) {
    int t = ++updates[slot];
    stepSize = learningRate() / (1 - Math.pow(beta1, t));
    sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
  }

  /** The Adam update of one element, with {@code g} already including any L2 term. */
  final double adam(int slot, int i, double p, double g) {
    double mi = beta1 * m[slot][i] + (1 - beta1) * g;
    double vi = beta2 * v[slot][i] + (1 - beta2) * g * g;
    m[slot][i] = mi;
    v[slot][i] = vi;
    return p - stepSize * mi / (Math.sqrt(vi) / sqrtCorrection2 + eps);
  }

  @Override
  final void clearState() {
    zero(m);
    zero(v);
    Arrays.fill(updates, 0);
  }
}
