package dev.adjoint.spark;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.io.RowOrder;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.train.EpochReport;
import dev.adjoint.runtime.train.Evaluation;
import dev.adjoint.runtime.train.GradientHealth;
import dev.adjoint.runtime.train.HealthWarning;
import dev.adjoint.runtime.train.StepReport;
import dev.adjoint.runtime.train.TrainingDivergedException;
import dev.adjoint.runtime.train.TrainingListener;
import dev.adjoint.runtime.train.TrainingPlan;
import dev.adjoint.runtime.train.TrainingSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Training with local steps: the parameters are broadcast once per epoch, with the epoch's row order
 * (the same {@link RowOrder} as the exact mode's); each partition runs the epoch's steps on its own rows
 * of every global batch ({@link LocalEpochTask}), and the driver sets the parameters to the partitions'
 * row-weighted mean. One Spark job per epoch instead of one per step, at the price of exactness: this is
 * model averaging, not single-machine training. The listeners hear of every step after its epoch, with
 * the row-weighted mean of the partitions' losses and the row-weighted root mean square of their
 * gradient norms; the gradient-health record is kept from those.
 */
final class LocalSteps {
  private final JavaSparkContext spark;
  private final JavaRDD<RowBlock> blocks;
  private final AdjointModel model;
  private final Broadcast<ModelCode> code;
  private final ColumnBinding binding;
  private final OptimizerFactory optimizer;
  private final TaskHook hook;
  private final int treeDepth;
  private final int rows;
  private final int batchSize;
  private final long seed;
  private final int epochs;
  private final LearningRateSchedule schedule;
  private final double clipNorm;
  private final GradientHealth.Options healthOptions;
  private final List<TrainingListener> listeners;
  private final Supplier<Evaluation> evaluation;
  /** The rate the executors' optimizers use without a schedule, for the step reports. */
  private final double defaultRate;

  LocalSteps(JavaSparkContext spark, JavaRDD<RowBlock> blocks, AdjointModel model, Broadcast<ModelCode> code,
      ColumnBinding binding, OptimizerFactory optimizer, TaskHook hook, int treeDepth, int rows, int batchSize,
      long seed, int epochs, LearningRateSchedule schedule, double clipNorm, GradientHealth.Options healthOptions,
      List<TrainingListener> listeners, Supplier<Evaluation> evaluation) {
    this.spark = spark;
    this.blocks = blocks;
    this.model = model;
    this.code = code;
    this.binding = binding;
    this.optimizer = optimizer;
    this.hook = hook;
    this.treeDepth = treeDepth;
    this.rows = rows;
    this.batchSize = batchSize;
    this.seed = seed;
    this.epochs = epochs;
    this.schedule = schedule;
    this.clipNorm = clipNorm;
    this.healthOptions = healthOptions;
    this.listeners = List.copyOf(listeners);
    this.evaluation = evaluation;
    this.defaultRate = optimizer.create(model.parameters()).learningRate();
  }

  TrainingPlan plan() {
    return new TrainingPlan(epochs, stepsPerEpoch(), List.copyOf(model.parameters().keySet()));
  }

  private int stepsPerEpoch() {
    return (rows + batchSize - 1) / batchSize;
  }

  TrainingSummary fit() {
    long start = System.nanoTime();
    TrainingPlan plan = plan();
    GradientHealth health = new GradientHealth(plan.parameters(), healthOptions);
    listeners.forEach(l -> l.onStart(plan));
    RowOrder order = new RowOrder(rows, seed);
    int steps = stepsPerEpoch();
    List<EpochReport> reports = new ArrayList<>();
    long step = 0;
    double lastLoss = Double.NaN;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      double[] rates = new double[steps];
      for (int s = 0; s < steps; s++) {
        rates[s] = schedule == null ? Double.NaN : schedule.at((int) Math.min(step + s, Integer.MAX_VALUE));
      }
      EpochInput in = new EpochInput(epoch, step + 1, ModelCode.parameterValues(model), order.nextEpoch(),
          batchSize, rates, clipNorm);
      LocalShare sum = run(in);
      if (sum.failure() != null) {
        throw new TrainingDivergedException("training diverged in " + sum.failure(), step + 1, epoch, health);
      }
      sum.averageInto(model.parameters());
      double lossSum = 0;
      for (int s = 0; s < steps; s++) {
        step++;
        double[] norms = sum.norms(s);
        double squares = 0;
        for (double n : norms) {
          squares += n * n;
        }
        lastLoss = sum.loss(s);
        lossSum += lastLoss;
        int fresh = health.record(step, norms);
        StepReport report = new StepReport(step, epoch, lastLoss, Double.isNaN(rates[s]) ? defaultRate : rates[s],
            norms, Math.sqrt(squares));
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
      Evaluation eval = evaluation == null ? new Evaluation(Double.NaN, Double.NaN) : evaluation.get();
      EpochReport report = new EpochReport(epoch, lossSum / steps, eval.loss(), eval.accuracy(), step,
          Duration.ofNanos(System.nanoTime() - start));
      reports.add(report);
      listeners.forEach(l -> l.onEpoch(report));
    }
    return new TrainingSummary(reports, step, lastLoss, false, health);
  }

  private LocalShare run(EpochInput in) {
    Broadcast<EpochInput> input = spark.broadcast(in);
    int parameters = model.parameters().size();
    try {
      return blocks.map(new LocalEpochTask(input, code, binding, optimizer, parameters, hook))
          .treeAggregate(new LocalShare(parameters, in.steps()), LocalShare::add, LocalShare::add, treeDepth);
    } catch (Exception e) { // a failed job throws SparkException, a checked exception Scala does not declare
      throw SparkErrors.unwrap(e);
    } finally {
      input.destroy();
    }
  }
}
