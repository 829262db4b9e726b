package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Tensor;
import java.util.Map;

/**
 * AdamW, as PyTorch's {@code torch.optim.AdamW}: the {@link Adam} update on the plain gradient,
 * after a decoupled weight decay {@code p = p * (1 - lr * weightDecay)} that does not pass through
 * the moment estimates.
 *
 * <pre>{@code
 * Optimizer opt = AdamW.builder(model.parameters()).learningRate(1e-3).weightDecay(0.05).build();
 * }</pre>
 */
public final class AdamW extends AdamBase {
  private final double weightDecay;

  private AdamW(Builder b) {
    super(b.params, b.learningRate, b.beta1, b.beta2, b.eps);
    this.weightDecay = b.weightDecay;
  }

  /**
   * A builder for the given parameters, with PyTorch's defaults: learning rate 1e-3, betas
   * (0.9, 0.999), eps 1e-8, weight decay 1e-2.
   */
  public static Builder builder(Map<String, Tensor> params) {
    return new Builder(params);
  }

  // twin: double

  @Override
  void updateF32(int slot, float[] p, float[] g) {
    adamF32(slot, p, g, 0, (float) (1 - learningRate() * weightDecay));
  }

  // end twin

  /** Options for {@link AdamW}; each setter checks its argument. */
  public static final class Builder {
    private final Map<String, Tensor> params;
    private double learningRate = 1e-3;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay = 1e-2;

    private Builder(Map<String, Tensor> params) {
      this.params = params;
    }

    /** The initial learning rate (default 1e-3). */
    public Builder learningRate(double learningRate) {
      this.learningRate = Checks.nonNegative("learning rate", learningRate);
      return this;
    }

    /**
     * The decay rates of the first and second moment estimates, each in [0, 1)
     * (default 0.9, 0.999).
     */
    public Builder betas(double beta1, double beta2) {
      this.beta1 = Checks.fraction("beta1", beta1);
      this.beta2 = Checks.fraction("beta2", beta2);
      return this;
    }

    /** The term added to the denominator, outside the square root (default 1e-8). */
    public Builder eps(double eps) {
      this.eps = Checks.nonNegative("eps", eps);
      return this;
    }

    /**
     * The decoupled decay rate: each step first scales {@code p} by {@code 1 - lr * weightDecay}
     * (default 1e-2).
     */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = Checks.nonNegative("weight decay", weightDecay);
      return this;
    }

    /**
     * The optimizer, with its state allocated.
     *
     * @throws IllegalArgumentException if a parameter is not {@code f32} or {@code f64}
     */
    public AdamW build() {
      return new AdamW(this);
    }
  }
}
