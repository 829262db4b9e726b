package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.ParameterSet;
import dev.adjoint.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;

/** Hand-written models, batch sources and listeners for the training tests. */
final class TrainTestSupport {
  private TrainTestSupport() {}

  /**
   * What every hand-written test model shares: parameters in a {@link ParameterSet}, a loss, and
   * an {@link #initParameters} that keeps the values (override it to reset them).
   */
  abstract static class HandModel implements AdjointModel {
    final ParameterSet params = new ParameterSet();

    @Override
    public Map<String, Tensor> parameters() {
      return params.view();
    }

    @Override
    public void setParameter(String name, Tensor value) {
      params.set(name, value);
    }

    @Override
    public void initParameters(long seed) {}

    @Override
    public boolean hasLoss() {
      return true;
    }
  }

  /** What a {@link ScriptedModel} returns at its {@code call}-th gradient call (from 1). */
  interface Script {
    double loss(int call);

    /** The L2 norm the gradient of parameter {@code p} has (its elements are all equal). */
    double gradientNorm(int call, int p);
  }

  /**
   * A model without inputs whose loss and gradients are scripted: every parameter has 4 elements
   * and its gradient is {@code norm / 2} everywhere, so its L2 norm is {@code norm}.
   */
  static final class ScriptedModel extends HandModel {
    private final List<String> names;
    private final Script script;
    private final boolean f32;
    final List<Integer> inputSizes = new ArrayList<>();
    int calls;

    ScriptedModel(Script script, boolean f32, String... names) {
      this.script = script;
      this.f32 = f32;
      this.names = List.of(names);
      for (String n : names) {
        params.add(n, f32 ? FloatTensor.full(1f, 4) : DoubleTensor.full(1.0, 4));
      }
    }

    ScriptedModel(Script script, String... names) {
      this(script, false, names);
    }

    @Override
    public String name() {
      return "Scripted";
    }

    @Override
    public List<InputSpec> inputs() {
      return List.of();
    }

    @Override
    public ForwardResult forward(Map<String, Tensor> inputs) {
      return new ForwardResult(OptionalDouble.of(script.loss(calls)), Map.of());
    }

    @Override
    public GradientResult gradient(Map<String, Tensor> inputs) {
      calls++;
      inputSizes.add(inputs.size());
      Map<String, Tensor> grads = new LinkedHashMap<>();
      for (int p = 0; p < names.size(); p++) {
        double g = script.gradientNorm(calls, p) / 2;
        grads.put(names.get(p), f32 ? FloatTensor.full((float) g, 4) : DoubleTensor.full(g, 4));
      }
      return new GradientResult(script.loss(calls), Map.of(), grads);
    }

    /** A copy of every parameter's first element, in declaration order. */
    double[] firstElements() {
      double[] out = new double[names.size()];
      for (int p = 0; p < out.length; p++) {
        out[p] = params.get(names.get(p)).getAsDouble(0);
      }
      return out;
    }
  }

  /**
   * Linear regression {@code y = x @ W + b} with {@code x: f64[B, 2]}, {@code t: f64[B]} and loss
   * {@code mean((y - t)^2)}, with its analytic gradient.
   */
  static final class LinearModel extends HandModel {
    private final double[] w = params.add("W", DoubleTensor.zeros(2)).data();
    private final double[] b = params.add("b", DoubleTensor.zeros(1)).data();

    @Override
    public String name() {
      return "Linear";
    }

    @Override
    public List<InputSpec> inputs() {
      return List.of(InputSpec.parse("x", "f64[B, 2]"), InputSpec.parse("t", "f64[B]"));
    }

    @Override
    public void initParameters(long seed) {
      Arrays.fill(w, 0);
      Arrays.fill(b, 0);
    }

    /** The loss, and the prediction as output {@code yhat : f64[B]}. */
    @Override
    public ForwardResult forward(Map<String, Tensor> inputs) {
      double[] x = ((DoubleTensor) inputs.get("x")).data();
      double[] yhat = new double[x.length / 2];
      for (int r = 0; r < yhat.length; r++) {
        yhat[r] = x[2 * r] * w[0] + x[2 * r + 1] * w[1] + b[0];
      }
      return new ForwardResult(OptionalDouble.of(run(inputs, null, null)),
          Map.of("yhat", DoubleTensor.wrap(yhat, yhat.length)));
    }

    @Override
    public GradientResult gradient(Map<String, Tensor> inputs) {
      double[] dw = new double[2];
      double[] db = new double[1];
      double loss = run(inputs, dw, db);
      Map<String, Tensor> grads = new LinkedHashMap<>();
      grads.put("W", DoubleTensor.wrap(dw, 2));
      grads.put("b", DoubleTensor.wrap(db, 1));
      return new GradientResult(loss, Map.of(), grads);
    }

    private double run(Map<String, Tensor> inputs, double[] dw, double[] db) {
      double[] x = ((DoubleTensor) inputs.get("x")).data();
      double[] t = ((DoubleTensor) inputs.get("t")).data();
      int rows = t.length;
      double loss = 0;
      for (int r = 0; r < rows; r++) {
        double e = x[2 * r] * w[0] + x[2 * r + 1] * w[1] + b[0] - t[r];
        loss += e * e / rows;
        if (dw != null) {
          dw[0] += 2 * e * x[2 * r] / rows;
          dw[1] += 2 * e * x[2 * r + 1] / rows;
          db[0] += 2 * e / rows;
        }
      }
      return loss;
    }

    /** {@code batches} batches of {@code rows} rows of {@code t = 2 x0 - 3 x1 + 0.5}, x uniform. */
    static ArraySource data(int batches, int rows, long seed) {
      Random random = new Random(seed);
      List<Map<String, Tensor>> list = new ArrayList<>();
      for (int i = 0; i < batches; i++) {
        double[] x = new double[2 * rows];
        double[] t = new double[rows];
        for (int r = 0; r < rows; r++) {
          x[2 * r] = 2 * random.nextDouble() - 1;
          x[2 * r + 1] = 2 * random.nextDouble() - 1;
          t[r] = 2 * x[2 * r] - 3 * x[2 * r + 1] + 0.5;
        }
        list.add(Map.of("x", DoubleTensor.wrap(x, rows, 2), "t", DoubleTensor.wrap(t, rows)));
      }
      return new ArraySource(list);
    }
  }

  /** Fixed batches, handed out in a cycle; records the epochs it was asked to start. */
  static final class ArraySource implements BatchSource {
    final List<Map<String, Tensor>> batches;
    final List<Integer> startedEpochs = new ArrayList<>();
    int cursor;
    int nextCalls;

    ArraySource(List<Map<String, Tensor>> batches) {
      this.batches = batches;
    }

    @Override
    public int batchesPerEpoch() {
      return batches.size();
    }

    @Override
    public void startEpoch(int epoch) {
      startedEpochs.add(epoch);
      cursor = 0;
    }

    @Override
    public Map<String, Tensor> next() {
      nextCalls++;
      return batches.get(cursor++ % batches.size());
    }

    @Override
    public int lastBatchRows() {
      Map<String, Tensor> last = batches.get((cursor - 1) % batches.size());
      return last.values().iterator().next().dim(0);
    }
  }

  /** Records every callback as a line, and copies of the step reports' norms. */
  static final class RecordingListener implements TrainingListener {
    final List<String> events = new ArrayList<>();
    final List<StepReport> steps = new ArrayList<>();
    final List<double[]> norms = new ArrayList<>();
    final List<EpochReport> epochs = new ArrayList<>();
    final List<HealthWarning> warnings = new ArrayList<>();
    TrainingPlan plan;

    @Override
    public void onStart(TrainingPlan plan) {
      this.plan = plan;
      events.add("start");
    }

    @Override
    public void onStep(StepReport step) {
      steps.add(step);
      norms.add(step.gradientNorms().clone());
      events.add("step " + step.step() + " epoch " + step.epoch());
    }

    @Override
    public void onEpoch(EpochReport epoch) {
      epochs.add(epoch);
      events.add("epoch " + epoch.epoch());
    }

    @Override
    public void onWarning(HealthWarning warning) {
      warnings.add(warning);
      events.add("warning " + warning.kind() + " " + warning.parameter());
    }
  }
}
