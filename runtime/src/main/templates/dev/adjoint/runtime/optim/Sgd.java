package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.Tensor;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as
 * PyTorch's {@code torch.optim.SGD} with {@code dampening=0}. Per element, with gradient {@code g}:
 *
 * <pre>
 * g   = g + weightDecay * p
 * buf = momentum * buf + g            (buf starts at 0, so the first step sets buf = g)
 * g   = nesterov ? g + momentum * buf : buf      (when momentum is not 0)
 * p   = p - lr * g
 * </pre>
 *
 * <p>One fused loop per parameter, in the parameter's precision (see {@link ElementwiseOptimizer}).
 *
 * <pre>{@code
 * Optimizer opt = Sgd.builder(model.parameters())
 *     .learningRate(0.1).momentum(0.9).nesterov(true).build();
 * }</pre>
 */
public final class Sgd extends ElementwiseOptimizer {
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;
  private final float[][] bufF32;
  private final double[][] bufF64;

  private Sgd(Builder b) {
    super(b.params, b.learningRate);
    this.momentum = b.momentum;
    this.nesterov = b.nesterov;
    this.weightDecay = b.weightDecay;
    this.bufF32 = newStateF32("momentum_buffer");
    this.bufF64 = newStateF64("momentum_buffer");
  }

  /** A builder for the given parameters, with PyTorch's defaults: learning rate 1e-3, no momentum. */
  public static Builder builder(Map<String, Tensor> params) {
    return new Builder(params);
  }

  // twin: double

  @Override
  void updateF32(int slot, float[] p, float[] g) {
    float lr = (float) learningRate();
    float wd = (float) weightDecay;
    float mom = (float) momentum;
    float[] buf = bufF32[slot];
    if (momentum == 0) {
      for (int i = 0; i < p.length; i++) {
        p[i] = p[i] - lr * (g[i] + wd * p[i]);
      }
    } else if (nesterov) {
      for (int i = 0; i < p.length; i++) {
        float gi = g[i] + wd * p[i];
        float b = mom * buf[i] + gi;
        buf[i] = b;
        p[i] = p[i] - lr * (gi + mom * b);
      }
    } else {
      for (int i = 0; i < p.length; i++) {
        float b = mom * buf[i] + (g[i] + wd * p[i]);
        buf[i] = b;
        p[i] = p[i] - lr * b;
      }
    }
  }

  // end twin

  @Override
  void clearState() {
    zero(bufF32);
    zero(bufF64);
  }

  /** Options for {@link Sgd}; each setter checks its argument. */
  public static final class Builder {
    private final Map<String, Tensor> params;
    private double learningRate = 1e-3;
    private double momentum;
    private boolean nesterov;
    private double weightDecay;

    private Builder(Map<String, Tensor> params) {
      this.params = params;
    }

    /** The initial learning rate (default 1e-3). */
    public Builder learningRate(double learningRate) {
      this.learningRate = Checks.nonNegative("learning rate", learningRate);
      return this;
    }

    /** The momentum factor, {@code >= 0} (default 0: plain SGD). */
    public Builder momentum(double momentum) {
      this.momentum = Checks.nonNegative("momentum", momentum);
      return this;
    }

    /** Whether to use Nesterov momentum (default false); needs a momentum above 0. */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
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
     * @throws IllegalArgumentException if Nesterov is asked for without momentum, or a parameter
     *     is not {@code f32} or {@code f64}
     */
    public Sgd build() {
      if (nesterov && momentum == 0) {
        throw new IllegalArgumentException("Nesterov momentum needs a momentum above 0");
      }
      return new Sgd(this);
    }
  }
}
