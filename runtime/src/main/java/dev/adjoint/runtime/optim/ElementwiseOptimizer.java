package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The shared part of optimizers whose update of one element depends only on that element's value,
 * gradient and state: the parameter slots, the gradient lookup and checks, the step count and the
 * learning rate. A subclass gives the element rule in {@link #update}, keeps its state in arrays
 * from {@link #newState()}, indexed {@code [slot][element]}, and clears it in {@link #clearState()}.
 *
 * <p>Slots are the parameters in the map's iteration order. Element math runs in double; an
 * {@code f32} parameter is rounded once per step when it is stored back.
 */
abstract class ElementwiseOptimizer implements Optimizer {
  private final String[] names;
  private final Tensor[] params;
  private double learningRate;
  private int steps;

  ElementwiseOptimizer(Map<String, Tensor> params, double learningRate) {
    Objects.requireNonNull(params, "params");
    this.names = new String[params.size()];
    this.params = new Tensor[params.size()];
    int slot = 0;
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      Tensor p = Objects.requireNonNull(e.getValue(), e.getKey());
      if (!(p instanceof FloatTensor || p instanceof DoubleTensor)) {
        throw new IllegalArgumentException("parameter " + e.getKey()
            + ": optimizers update f32 and f64 tensors, not " + p.typeString());
      }
      names[slot] = e.getKey();
      this.params[slot] = p;
      slot++;
    }
    setLearningRate(learningRate);
  }

  /**
   * The new value of one element of a parameter.
   *
   * @param slot the parameter's position in the map given at construction
   * @param i the flat index of the element
   * @param p the element's current value
   * @param g the element's gradient
   */
  abstract double update(int slot, int i, double p, double g);

  /** Called before the elements of {@code slot} are updated in a step; does nothing by default. */
  void beginSlot(int slot) {}

  /** Zeroes the subclass's state, for {@link #reset()}. */
  abstract void clearState();

  /** Zeroed state arrays, one per parameter, each as long as the parameter. */
  final double[][] newState() {
    double[][] state = new double[params.length][];
    for (int s = 0; s < params.length; s++) {
      state[s] = new double[params[s].size()];
    }
    return state;
  }

  @Override
  public final void step(Map<String, Tensor> gradients) {
    for (int s = 0; s < names.length; s++) {
      Tensor g = gradients.get(names[s]);
      if (g != null) {
        checkMatches(s, g);
      }
    }
    steps++;
    for (int s = 0; s < names.length; s++) {
      Tensor g = gradients.get(names[s]);
      if (g != null) {
        beginSlot(s);
        updateSlot(s, g);
      }
    }
  }

  private void updateSlot(int s, Tensor g) {
    if (params[s] instanceof DoubleTensor p) {
      double[] x = p.data();
      for (int i = 0; i < x.length; i++) {
        x[i] = update(s, i, x[i], g.getAsDouble(i));
      }
    } else {
      float[] x = ((FloatTensor) params[s]).data();
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) update(s, i, x[i], g.getAsDouble(i));
      }
    }
  }

  /** Checks shape and element type without allocating (a tensor's {@code shape()} is a copy). */
  private void checkMatches(int s, Tensor g) {
    Tensor p = params[s];
    boolean same = (g instanceof FloatTensor || g instanceof DoubleTensor) && g.rank() == p.rank();
    for (int d = 0; same && d < p.rank(); d++) {
      same = g.dim(d) == p.dim(d);
    }
    if (!same) {
      throw new IllegalArgumentException("gradient of " + names[s] + ": expected the shape of "
          + p.typeString() + ", got " + g.typeString());
    }
  }

  @Override
  public final void reset() {
    steps = 0;
    clearState();
  }

  @Override
  public final int steps() {
    return steps;
  }

  @Override
  public final double learningRate() {
    return learningRate;
  }

  @Override
  public final void setLearningRate(double learningRate) {
    this.learningRate = Checks.nonNegative("learning rate", learningRate);
  }

  /** Zeroes every array of {@code state}. */
  static void zero(double[][] state) {
    for (double[] a : state) {
      Arrays.fill(a, 0);
    }
  }
}
