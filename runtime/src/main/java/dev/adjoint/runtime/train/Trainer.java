package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.optim.GradientClipping;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Optimizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Trains a model: epochs of optimizer steps on batches from a {@link BatchSource}, with an optional
 * learning-rate schedule, gradient clipping, held-out evaluation, a loss target, gradient-health
 * warnings and listeners.
 *
 * <pre>{@code
 * TrainingSummary summary = Trainer.builder(model, Adam.builder(model.parameters()).build())
 *     .data(CsvBatchSource.shuffled(split.train(), "x", "y", 32, 42))
 *     .heldOut(CsvBatchSource.inOrder(split.heldOut(), "x", "y", 256))
 *     .accuracy("probs", "y")
 *     .epochs(10)
 *     .build()
 *     .fit();
 * }</pre>
 *
 * <p>One step: take the next batch ({@code Map.of()} without data), run
 * {@link AdjointModel#gradient} (or take the loss and gradients from a {@link GradientSource});
 * check that the loss and every parameter's gradient are finite,
 * else throw {@link TrainingDivergedException} with nothing applied; measure each parameter's
 * gradient L2 norm and the global norm (before clipping: the reports show what the model produced);
 * clip to the global norm if asked (scale {@code maxNorm / (norm + 1e-6)} when below 1, as
 * {@link GradientClipping}, counting parameter gradients only); set the
 * schedule's rate for the 0-based step index of this run; {@link Optimizer#step}; record the norms
 * in {@link GradientHealth}; call the listeners. Steps run in
 * {@link dev.adjoint.runtime.Mode#TRAINING} (batch statistics, dropout; they update the running
 * statistics of {@code batch_norm}). After each epoch the held-out source, if any, is evaluated
 * with {@link AdjointModel#evaluate} in {@link dev.adjoint.runtime.Mode#EVALUATION} (running
 * statistics, no dropout; see {@link Evaluation}), or by the function given to
 * {@link Builder#evaluation}. The trainer's own per-step work allocates nothing
 * beyond the {@link StepReport} given to listeners (none without listeners).
 *
 * <p>The optimizer must have been built for {@code model.parameters()}. {@link #fit()} may be called
 * again; it continues from the parameters and optimizer state as they are, with fresh health
 * records, and the schedule starts again at step 0 (at the resume point, with
 * {@link Builder#resumeAfter}).
 */
public final class Trainer {
  private final AdjointModel model;
  private final Optimizer optimizer;
  /** The steps' gradients; null for a model without inputs, whose steps call step(Map.of()). */
  private final GradientSource gradients;
  /** The held-out evaluation after each epoch, or null. */
  private final Supplier<Evaluation> evaluation;
  private final int epochs;
  private final int epochsDone;
  private final long stepsDone;
  private final int stepsPerEpoch;
  private final LearningRateSchedule schedule;
  private final double clipNorm;
  private final double target;
  private final GradientHealth.Options healthOptions;
  private final List<TrainingListener> listeners;
  private final TrainingPlan plan;
  private final String[] names;
  private final double[] norms;

  private Trainer(Builder b, int stepsPerEpoch) {
    this.model = b.model;
    this.optimizer = b.optimizer;
    this.gradients = b.train != null ? new BatchGradients(model, b.train) : b.gradients;
    BatchSource heldOut = b.heldOut;
    Evaluation.Metric metric = b.metric;
    this.evaluation = heldOut != null
        ? () -> Evaluation.run(b.model, heldOut, metric)
        : b.evaluation;
    this.epochs = b.epochs;
    this.epochsDone = b.epochsDone;
    this.stepsDone = b.stepsDone;
    this.stepsPerEpoch = stepsPerEpoch;
    this.schedule = b.schedule;
    this.clipNorm = b.clipNorm;
    this.target = b.target;
    this.healthOptions = b.health;
    this.listeners = List.copyOf(b.listeners);
    this.names = model.parameters().keySet().toArray(new String[0]);
    this.norms = new double[names.length];
    this.plan = new TrainingPlan(epochs, stepsPerEpoch, List.of(names));
  }

  /** A builder for training {@code model} with {@code optimizer} (built for its parameters). */
  public static Builder builder(AdjointModel model, Optimizer optimizer) {
    return new Builder(model, optimizer);
  }

  /** What {@link #fit()} will do. */
  public TrainingPlan plan() {
    return plan;
  }

  /**
   * Runs the plan; see the class comment for what a step does.
   *
   * @return the epochs' reports, the final loss, and the gradient health
   * @throws TrainingDivergedException on a NaN or infinite loss or gradient (nothing is applied for
   *     that step; the exception names the step and epoch)
   * @throws IllegalArgumentException if a batch does not fit the model, or the accuracy output or
   *     labels are missing or misshapen
   */
  public TrainingSummary fit() {
    long start = System.nanoTime();
    GradientHealth health = new GradientHealth(plan.parameters(), healthOptions, clipNorm);
    for (TrainingListener l : listeners) {
      l.onStart(plan);
    }
    List<EpochReport> reports = new ArrayList<>();
    long step = stepsDone;
    double lastLoss = Double.NaN;
    boolean reached = false;
    for (int epoch = epochsDone + 1; epoch <= epochs && !reached; epoch++) {
      if (gradients != null) {
        gradients.startEpoch(epoch - 1);
      }
      double lossSum = 0;
      int steps = 0;
      while (steps < stepsPerEpoch && !reached) {
        step++;
        steps++;
        double loss = step(step, epoch, health);
        lossSum += loss;
        lastLoss = loss;
        reached = !Double.isNaN(target) && loss < target;
      }
      Evaluation eval = evaluation == null
          ? new Evaluation(Double.NaN, Double.NaN, Double.NaN)
          : evaluation.get();
      EpochReport report = new EpochReport(epoch, lossSum / steps, eval.loss(), eval.accuracy(),
          eval.rmse(), step, Duration.ofNanos(System.nanoTime() - start));
      reports.add(report);
      for (TrainingListener l : listeners) {
        l.onEpoch(report);
      }
    }
    return new TrainingSummary(reports, step, lastLoss, reached, health);
  }

  /** One step; returns its loss. */
  private double step(long step, int epoch, GradientHealth health) {
    StepResult r = gradients == null ? model.step(Map.of()) : gradients.next();
    double lr = schedule == null
        ? optimizer.learningRate()
        : schedule.at((int) Math.min(step - 1, Integer.MAX_VALUE));
    if (!Double.isFinite(r.loss())) {
      throw diverged(step, epoch, lr, "the loss is " + r.loss(), health);
    }
    double sumOfSquares = 0;
    for (int p = 0; p < names.length; p++) {
      Tensor g = r.gradients().get(names[p]);
      double s = g == null ? 0 : GradientClipping.sumOfSquares(names[p], g);
      if (!Double.isFinite(s)) {
        throw diverged(step, epoch, lr, String.format(Locale.ROOT,
            "the gradient of %s %s, though the loss (%s) is finite", names[p],
            whyNotFinite(g), Formats.number(r.loss())), health);
      }
      norms[p] = Math.sqrt(s);
      sumOfSquares += s;
    }
    double globalNorm = Math.sqrt(sumOfSquares);
    if (!Double.isFinite(globalNorm)) {
      throw diverged(step, epoch, lr, "the global gradient norm is too large for a double",
          health);
    }
    if (!Double.isNaN(clipNorm)) {
      double scale = GradientClipping.clipFactor(globalNorm, clipNorm);
      if (scale < 1) {
        for (String name : names) {
          Tensor g = r.gradients().get(name);
          if (g != null) {
            GradientClipping.scale(g, scale);
          }
        }
      }
    }
    if (schedule != null) {
      optimizer.setLearningRate(lr);
    }
    optimizer.step(r.gradients());
    int fresh = health.record(step, norms);
    if (!listeners.isEmpty()) {
      StepReport report = new StepReport(step, epoch, r.loss(), lr, norms, globalNorm);
      for (TrainingListener l : listeners) {
        l.onStep(report);
      }
      List<HealthWarning> warnings = health.warnings();
      for (int w = warnings.size() - fresh; w < warnings.size(); w++) {
        for (TrainingListener l : listeners) {
          l.onWarning(warnings.get(w));
        }
      }
    }
    return r.loss();
  }

  /** Why a gradient whose sum of squares is not finite is so, for the divergence message. */
  private static String whyNotFinite(Tensor g) {
    boolean infinite = false;
    for (int i = 0; i < g.size(); i++) {
      double x = g.getAsDouble(i);
      if (Double.isNaN(x)) {
        return "has a NaN element (index " + i + ")";
      }
      infinite |= Double.isInfinite(x);
    }
    return infinite ? "has an infinite element" : "has a norm too large for a double";
  }

  private TrainingDivergedException diverged(long step, int epoch, double lr, String what,
      GradientHealth health) {
    String advice = Double.isNaN(clipNorm)
        ? "clip gradients (--clip-norm)"
        : "clip gradients harder (--clip-norm, it was " + Formats.number(clipNorm) + ")";
    return new TrainingDivergedException(String.format(Locale.ROOT,
        "training diverged at step %d (epoch %d): %s; try a lower learning rate (it was %s) or %s",
        step, epoch, what, Formats.number(lr), advice), step, epoch, health);
  }

  /**
   * Settings for a {@link Trainer}. Setters record their argument; {@link #build()} checks them all
   * together.
   */
  public static final class Builder {
    private final AdjointModel model;
    private final Optimizer optimizer;
    private BatchSource train;
    private GradientSource gradients;
    private BatchSource heldOut;
    private Supplier<Evaluation> evaluation;
    private Evaluation.Metric metric;
    private int epochs = 1;
    private int epochsDone;
    private long stepsDone;
    private Integer stepsPerEpoch;
    private LearningRateSchedule schedule;
    private double clipNorm = Double.NaN;
    private boolean clip;
    private double target = Double.NaN;
    private boolean hasTarget;
    private GradientHealth.Options health = GradientHealth.Options.defaults();
    private final List<TrainingListener> listeners = new ArrayList<>();

    private Builder(AdjointModel model, Optimizer optimizer) {
      this.model = Objects.requireNonNull(model, "model");
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    /**
     * The training batches. Without it the model must have no inputs; each step then calls
     * {@code gradient(Map.of())}.
     */
    public Builder data(BatchSource train) {
      this.train = Objects.requireNonNull(train, "train");
      return this;
    }

    /**
     * The steps' loss and gradients, computed by {@code source} instead of by the model on batches
     * of {@link #data}: for trainers that spread a batch over threads or machines. The optimizer
     * still updates the parameters of the model given to {@link Trainer#builder}.
     */
    public Builder gradients(GradientSource source) {
      this.gradients = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The held-out evaluation after every epoch, computed by {@code evaluation} instead of by the
     * model on batches of {@link #heldOut}: for trainers that evaluate elsewhere.
     */
    public Builder evaluation(Supplier<Evaluation> evaluation) {
      this.evaluation = Objects.requireNonNull(evaluation, "evaluation");
      return this;
    }

    /** Held-out batches, evaluated with {@code evaluate()} (evaluation mode) after every epoch. */
    public Builder heldOut(BatchSource heldOut) {
      this.heldOut = Objects.requireNonNull(heldOut, "heldOut");
      return this;
    }

    /**
     * Held-out accuracy of output {@code outputName} against the labels in input
     * {@code labelInput} of the held-out batches: the argmax over the last axis of an output
     * {@code [B, classes]}, or a probability {@code [B]} thresholded at 0.5 (see
     * {@link Evaluation.Metric}). Needs {@link #heldOut}. Replaces {@link #rmse}.
     */
    public Builder accuracy(String outputName, String labelInput) {
      this.metric = Evaluation.Metric.accuracy(outputName, labelInput);
      return this;
    }

    /**
     * Held-out root mean squared error of output {@code outputName} against the float targets in
     * input {@code targetInput}, for regression. Needs {@link #heldOut}. Replaces
     * {@link #accuracy}.
     */
    public Builder rmse(String outputName, String targetInput) {
      this.metric = Evaluation.Metric.rmse(outputName, targetInput);
      return this;
    }

    /**
     * Continues a run that stopped after {@code epochsDone} whole epochs and {@code stepsDone}
     * steps: {@link Trainer#fit()} runs epochs {@code epochsDone + 1 ..} of the plan, numbering
     * steps and indexing the schedule from {@code stepsDone}, and asks the training data for
     * epoch {@code epochsDone} onwards. Restore the parameters and the optimizer state first (see
     * {@link Checkpoint}); the result is then the same, bit for bit, as a run that never stopped.
     * Default {@code (0, 0)}.
     */
    public Builder resumeAfter(int epochsDone, long stepsDone) {
      this.epochsDone = epochsDone;
      this.stepsDone = stepsDone;
      return this;
    }

    /** The number of epochs, {@code >= 1} (default 1). */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /**
     * Steps per epoch, {@code >= 1}; default: the training data's {@code batchesPerEpoch()}.
     * Required without data.
     */
    public Builder stepsPerEpoch(int steps) {
      this.stepsPerEpoch = steps;
      return this;
    }

    /** Sets the learning rate before every step from the run's 0-based global step index. */
    public Builder schedule(LearningRateSchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** Clips the parameter gradients to this global L2 norm, {@code > 0}, before each update. */
    public Builder clipGlobalNorm(double maxNorm) {
      this.clipNorm = maxNorm;
      this.clip = true;
      return this;
    }

    /** Stops after the first step whose training loss is below {@code target}. */
    public Builder stopWhenLossBelow(double target) {
      this.target = target;
      this.hasTarget = true;
      return this;
    }

    /** Thresholds of the gradient-health warnings (default {@link GradientHealth.Options#defaults()}). */
    public Builder health(GradientHealth.Options options) {
      this.health = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(TrainingListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The trainer.
     *
     * @throws IllegalArgumentException if the model has no loss, has inputs but no data was given,
     *     epochs or steps per epoch are below 1 (or missing without data), a source has no batches,
     *     a metric is asked for without held-out data or its output does not fit it (checked by
     *     running the model on the first held-out batch), the clip norm is not finite and
     *     positive, the loss target is NaN, the resume point lies outside the plan, or a
     *     {@link CsvBatchSource} binds an input the model does not have, or with another element
     *     type or shape than the model declares
     */
    public Trainer build() {
      if (!model.hasLoss()) {
        throw new IllegalArgumentException(
            "model " + model.name() + " has no loss: there is nothing to train");
      }
      if (train != null && gradients != null) {
        throw new IllegalArgumentException(
            "give the training data (data(…)) or a gradient source (gradients(…)), not both");
      }
      if (heldOut != null && evaluation != null) {
        throw new IllegalArgumentException(
            "give held-out data (heldOut(…)) or an evaluation (evaluation(…)), not both");
      }
      if (train == null && gradients == null && !model.inputs().isEmpty()) {
        List<String> inputs = new ArrayList<>();
        model.inputs().forEach(i -> inputs.add(i.name()));
        throw new IllegalArgumentException("model " + model.name() + " has inputs ("
            + String.join(", ", inputs) + "): give training batches with data(…)");
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
      }
      if (stepsPerEpoch != null && stepsPerEpoch < 1) {
        throw new IllegalArgumentException("steps per epoch must be >= 1, got " + stepsPerEpoch);
      }
      if (stepsPerEpoch == null && train == null && gradients == null) {
        throw new IllegalArgumentException("model " + model.name()
            + " trains without data, so there are no batches to count: set stepsPerEpoch(…)");
      }
      if (train != null && train.batchesPerEpoch() < 1) {
        throw new IllegalArgumentException("the training data has no batches");
      }
      if (gradients != null && gradients.batchesPerEpoch() < 1) {
        throw new IllegalArgumentException("the gradient source has no batches");
      }
      if (heldOut != null && heldOut.batchesPerEpoch() < 1) {
        throw new IllegalArgumentException("the held-out data has no batches");
      }
      if (train != null) {
        Bindings.check(model, train, "training");
      }
      if (heldOut != null) {
        Bindings.check(model, heldOut, "held-out");
      }
      String call = metric == null ? null : (metric.kind() == Evaluation.Metric.Kind.ACCURACY
          ? "accuracy(" : "rmse(") + metric.output() + ", " + metric.targets() + ")";
      if (metric != null && heldOut instanceof CsvBatchSource csv
          && !metric.targets().equals(csv.labelInput())) {
        String noun = metric.kind() == Evaluation.Metric.Kind.ACCURACY ? "labels" : "targets";
        throw new IllegalArgumentException(call + " takes " + noun + " from input "
            + metric.targets() + ", but the held-out data binds "
            + (csv.labelInput() == null ? "no " + noun : "its " + noun + " to " + csv.labelInput()));
      }
      if (metric != null && heldOut == null) {
        throw new IllegalArgumentException(call + " is measured on held-out data: add heldOut(…)");
      }
      if (clip && !(clipNorm > 0 && Double.isFinite(clipNorm))) {
        throw new IllegalArgumentException(
            "the clip norm must be finite and > 0, got " + clipNorm);
      }
      if (hasTarget && Double.isNaN(target)) {
        throw new IllegalArgumentException("the loss target must be a number, got NaN");
      }
      int steps = stepsPerEpoch != null ? stepsPerEpoch
          : train != null ? train.batchesPerEpoch() : gradients.batchesPerEpoch();
      if (epochsDone < 0 || epochsDone > epochs || stepsDone < 0
          || stepsDone > (long) epochsDone * steps) {
        throw new IllegalArgumentException("cannot resume after " + epochsDone + " epochs and "
            + stepsDone + " steps of a plan of " + epochs + " epochs of " + steps + " steps");
      }
      if (metric != null) {
        probe(call);
      }
      return new Trainer(this, steps);
    }

    /**
     * Runs the model once on the first held-out batch, so that an output the metric cannot use is
     * an error now rather than after the first epoch.
     */
    private void probe(String call) {
      heldOut.startEpoch(0);
      Map<String, Tensor> batch = heldOut.next();
      Tensor out;
      try {
        out = model.forward(batch).output(metric.output());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(call + ": " + e.getMessage(), e);
      }
      Evaluation.check(metric, out, batch.get(metric.targets()));
    }
  }
}
