package dev.adjoint.runtime.optim;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shared part of optimizers whose update of one element depends only on that element's value,
 * gradient and state: the parameter slots, the gradient lookup and checks, the step count and the
 * learning rate. A subclass gives the element rule in {@link #update}, keeps its state in arrays
 * from {@link #newState(String)}, indexed {@code [slot][element]}, and per-parameter counters from
 * {@link #newCounters(String)}; it clears them in {@link #clearState()}. The named state is what
 * {@link #state()} exports and {@link #loadState} restores.
 *
 * <p>Slots are the parameters in the map's iteration order. Element math runs in double; an
 * {@code f32} parameter is rounded once per step when it is stored back.
 */
abstract class ElementwiseOptimizer implements Optimizer {
  private final String[] names;
  private final Tensor[] params;
  private double learningRate;
  private int steps;
  private final Map<String, double[][]> namedState = new LinkedHashMap<>();
  private final Map<String, int[]> namedCounters = new LinkedHashMap<>();

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

  /**
   * Zeroed state arrays, one per parameter, each as long as the parameter; {@link #state()} exports
   * them as {@code name.PARAM} ({@code exp_avg.W1}).
   */
  final double[][] newState(String name) {
    double[][] state = new double[params.length][];
    for (int s = 0; s < params.length; s++) {
      state[s] = new double[params[s].size()];
    }
    namedState.put(name, state);
    return state;
  }

  /** Zeroed counters, one per parameter; {@link #state()} exports them as {@code name.PARAM}. */
  final int[] newCounters(String name) {
    int[] counters = new int[params.length];
    namedCounters.put(name, counters);
    return counters;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: {@code step} ({@code i32[]}, {@link #steps()}), {@code lr} ({@code f64[]}, the current
   * learning rate), then each state array per parameter as {@code f64} with the parameter's shape
   * (for example {@code exp_avg.W1}, {@code exp_avg_sq.W1}; {@code momentum_buffer.W1}), and each
   * per-parameter counter as {@code i32[]} ({@code step.W1}), PyTorch's names.
   */
  @Override
  public final Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("step", IntTensor.scalar(steps));
    out.put("lr", DoubleTensor.scalar(learningRate));
    for (Map.Entry<String, double[][]> e : namedState.entrySet()) {
      for (int s = 0; s < names.length; s++) {
        out.put(e.getKey() + "." + names[s], DoubleTensor.of(e.getValue()[s].clone(), params[s].shape()));
      }
    }
    for (Map.Entry<String, int[]> e : namedCounters.entrySet()) {
      for (int s = 0; s < names.length; s++) {
        out.put(e.getKey() + "." + names[s], IntTensor.scalar(e.getValue()[s]));
      }
    }
    return out;
  }

  @Override
  public final void loadState(Map<String, Tensor> state) {
    Map<String, Tensor> expected = state();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      Tensor t = state.get(e.getKey());
      if (t == null) {
        problems.add("missing " + e.getKey() + " (" + e.getValue().typeString() + ")");
      } else if (!t.typeString().equals(e.getValue().typeString())) {
        problems.add(e.getKey() + " is " + t.typeString() + ", expected " + e.getValue().typeString());
      }
    }
    for (String name : state.keySet()) {
      if (!expected.containsKey(name)) {
        problems.add("unexpected " + name);
      }
    }
    if (problems.isEmpty()) {
      int loadedSteps = ((IntTensor) state.get("step")).item();
      double lr = state.get("lr").getAsDouble(0);
      if (loadedSteps < 0) {
        problems.add("step is " + loadedSteps + ", below 0");
      }
      if (!(lr >= 0) || Double.isInfinite(lr)) {
        problems.add("lr is " + lr + ", not finite and >= 0");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("optimizer state does not fit " + getClass().getSimpleName()
          + " over parameters " + String.join(", ", names) + ": " + String.join("; ", problems));
    }
    steps = ((IntTensor) state.get("step")).item();
    learningRate = state.get("lr").getAsDouble(0);
    for (Map.Entry<String, double[][]> e : namedState.entrySet()) {
      for (int s = 0; s < names.length; s++) {
        double[] src = ((DoubleTensor) state.get(e.getKey() + "." + names[s])).data();
        System.arraycopy(src, 0, e.getValue()[s], 0, src.length);
      }
    }
    for (Map.Entry<String, int[]> e : namedCounters.entrySet()) {
      for (int s = 0; s < names.length; s++) {
        e.getValue()[s] = ((IntTensor) state.get(e.getKey() + "." + names[s])).item();
      }
    }
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
