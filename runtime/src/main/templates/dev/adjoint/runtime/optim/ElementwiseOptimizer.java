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
 * learning rate. A subclass gives the update of a whole parameter as one loop per precision
 * ({@link #updateF32}, {@link #updateF64}), keeps its state in arrays of the parameter's precision
 * from {@link #newStateF32(String)} and {@link #newStateF64(String)}, indexed {@code [slot][element]},
 * and per-parameter counters from {@link #newCounters(String)}; it clears them in
 * {@link #clearState()}. The named state is what {@link #state()} exports and {@link #loadState}
 * restores.
 *
 * <p>Slots are the parameters in the map's iteration order. The update of an {@code f32} parameter
 * runs in {@code float} (scalar options rounded to {@code float} once per step), as PyTorch updates
 * a {@code float32} tensor; an {@code f64} parameter's in {@code double}. The loops read each array
 * at the loop index only, so the JIT vectorizes them. A gradient of the other precision is converted
 * into a buffer of the slot, allocated on first use.
 */
abstract class ElementwiseOptimizer implements Optimizer {
  private final String[] names;
  private final Tensor[] params;
  private final float[][] convertedF32;
  private final double[][] convertedF64;
  private double learningRate;
  private int steps;
  private final Map<String, float[][]> namedF32 = new LinkedHashMap<>();
  private final Map<String, double[][]> namedF64 = new LinkedHashMap<>();
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
    this.convertedF32 = new float[slot][];
    this.convertedF64 = new double[slot][];
    setLearningRate(learningRate);
  }

  /** Called before the elements of {@code slot} are updated in a step; does nothing by default. */
  void beginSlot(int slot) {}

  /** Zeroes the subclass's state, for {@link #reset()}. */
  abstract void clearState();

  // twin: double

  /** Updates every element of the {@code f32} parameter in {@code slot} from its gradient. */
  abstract void updateF32(int slot, float[] p, float[] g);

  /**
   * Zeroed state arrays: one as long as each {@code f32} parameter, empty for the others;
   * {@link #state()} exports them as {@code name.PARAM} ({@code exp_avg.W1}) for the {@code f32}
   * parameters.
   */
  final float[][] newStateF32(String name) {
    float[][] state = new float[params.length][];
    for (int s = 0; s < params.length; s++) {
      state[s] = new float[params[s] instanceof FloatTensor ? params[s].size() : 0];
    }
    namedF32.put(name, state);
    return state;
  }

  // end twin

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
   * learning rate), then each state array per parameter in the parameter's precision and shape (for
   * example {@code exp_avg.W1}, {@code exp_avg_sq.W1}; {@code momentum_buffer.W1}), and each
   * per-parameter counter as {@code i32[]} ({@code step.W1}): PyTorch's names and dtypes.
   */
  @Override
  public final Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("step", IntTensor.scalar(steps));
    out.put("lr", DoubleTensor.scalar(learningRate));
    for (String name : namedF32.keySet()) {
      for (int s = 0; s < names.length; s++) {
        out.put(name + "." + names[s], params[s] instanceof FloatTensor
            ? FloatTensor.of(namedF32.get(name)[s].clone(), params[s].shape())
            : DoubleTensor.of(namedF64.get(name)[s].clone(), params[s].shape()));
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
    for (String name : namedF32.keySet()) {
      for (int s = 0; s < names.length; s++) {
        Tensor t = state.get(name + "." + names[s]);
        if (t instanceof FloatTensor f) {
          System.arraycopy(f.data(), 0, namedF32.get(name)[s], 0, f.size());
        } else {
          double[] src = ((DoubleTensor) t).data();
          System.arraycopy(src, 0, namedF64.get(name)[s], 0, src.length);
        }
      }
    }
    for (Map.Entry<String, int[]> e : namedCounters.entrySet()) {
      for (int s = 0; s < names.length; s++) {
        e.getValue()[s] = ((IntTensor) state.get(e.getKey() + "." + names[s])).item();
      }
    }
  }

  // twin: double

  /** {@code g} as a {@code float[]}: its own array, or a copy converted into the slot's buffer. */
  private float[] gradientF32(int slot, Tensor g) {
    if (g instanceof FloatTensor t) {
      return t.data();
    }
    if (convertedF32[slot] == null) {
      convertedF32[slot] = new float[g.size()];
    }
    float[] out = convertedF32[slot];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) g.getAsDouble(i);
    }
    return out;
  }

  /** Zeroes every array of {@code state}. */
  static void zero(float[][] state) {
    for (float[] a : state) {
      Arrays.fill(a, 0);
    }
  }

  // end twin

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
        if (params[s] instanceof DoubleTensor p) {
          updateF64(s, p.data(), gradientF64(s, g));
        } else {
          updateF32(s, ((FloatTensor) params[s]).data(), gradientF32(s, g));
        }
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
}
