package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Tensor;
import java.util.Map;

/**
 * Adam, as PyTorch's {@code torch.optim.Adam} ({@code amsgrad=False}): bias-corrected moment
 * estimates, {@code eps} added outside the square root, and weight decay as an L2 term added to the
 * gradient ({@code g = g + weightDecay * p}) before the moments; see {@link AdamW} for decoupled
 * decay.
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder(model.parameters()).learningRate(3e-4).build();
 * }</pre>
 */
public final class Adam extends AdamBase {
  private final double weightDecay;

  private Adam(Builder b) {
    super(b.params, b.learningRate, b.beta1, b.beta2, b.eps);
    this.weightDecay = b.weightDecay;
  }

  /**
   * A builder for the given parameters, with PyTorch's defaults: learning rate 1e-3, betas
   * (0.9, 0.999), eps 1e-8, weight decay 0.
   */
  public static Builder builder(Map<String, Tensor> params) {
    return new Builder(params);
  }

  // twin: double

  @Override
  void updateF32(int slot, float[] p, float[] g) {
    adamF32(slot, p, g, (float) weightDecay, 1);
  }

  // end twin

  /** Options for {@link Adam}; each setter checks its argument. */
  public static final class Builder {
    private final Map<String, Tensor> params;
    private double learningRate = 1e-3;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay = 0;

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

    /** The L2 penalty added to the gradient as {@code weightDecay * p} (default 0). */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = Checks.nonNegative("weight decay", weightDecay);
      return this;
    }

    /**
     * The optimizer, with its state allocated.
     *
     * @throws IllegalArgumentException if a parameter is not {@code f32} or {@code f64}
     */
    public Adam build() {
      return new Adam(this);
    }
  }
}
