package dev.adjoint.spark;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.train.Evaluation;
import dev.adjoint.runtime.train.GradientHealth;
import dev.adjoint.runtime.train.Trainer;
import dev.adjoint.runtime.train.TrainingListener;
import dev.adjoint.runtime.train.TrainingPlan;
import dev.adjoint.runtime.train.TrainingSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trains a generated model on a Spark {@code Dataset<Row>}, data-parallel, with the runtime's
 * {@link Trainer} doing everything but computing the gradients: the same optimizers, schedules,
 * clipping, divergence checks, gradient-health warnings and listeners, run on the driver.
 *
 * <pre>{@code
 * Dataset<Row> digits = spark.read().option("inferSchema", true).csv("digits.csv");
 * DigitsMlp model = new DigitsMlp(0);
 * try (SparkTrainer trainer = SparkTrainer.builder(model, Adam.builder(model.parameters()).build())
 *     .data(digits).holdOutLast(360).batchSize(32).seed(0)
 *     .accuracy("probs").epochs(30)
 *     .schedule(LearningRateSchedule.cosine(1e-2, 30 * 45, 0))
 *     .build()) {
 *   TrainingSummary summary = trainer.fit();
 * }
 * }</pre>
 *
 * <p><b>A step.</b> The driver broadcasts the parameters and the row numbers of the global batch;
 * each partition computes, with one model instance per executor thread (reused), the loss and
 * gradient of the batch's rows it holds, weighted by their share of the batch; {@code treeAggregate}
 * sums the shares; the driver's {@link Trainer} checks, clips and applies the sum with the optimizer.
 * Held-out evaluation after each epoch is spread the same way.
 *
 * <p><b>Exactness.</b> Rows are numbered once, in the Dataset's order ({@code zipWithIndex}: partition
 * by partition, which for one CSV file is file order), before any repartitioning
 * ({@link Builder#partitions}); the batches are drawn on the driver from those numbers exactly as
 * {@code CsvBatchSource.shuffled} draws them on one machine, and each partition takes the rows it holds
 * in batch order. So with the same seed, batch size and data, every step sees the same global batch
 * whatever the partitioning, and the parameters after N steps equal single-machine training's up to
 * the rounding of summing partition gradients in another order (one partition: bit for bit).
 *
 * <p><b>What the loss must be.</b> A partition holding {@code b} of the batch's {@code B} rows computes
 * the model's loss on its rows alone and contributes it (and its gradient) times {@code b / B}. The sum
 * is the whole batch's loss when the loss is a <em>mean over the rows of per-row terms</em>, plus any
 * terms that do not depend on the rows (a weight penalty): {@code mean(cross_entropy(logits, y))},
 * {@code mse}, {@code mean(…)} over {@code [B, …]} all are. A loss that sums over the rows
 * ({@code sum(cross_entropy(…))}) would have each partition's sum scaled by its share, and one that
 * couples rows (batch normalization, a loss on batch statistics) would see per-partition statistics:
 * neither trains as on one machine. {@link Builder#build()} checks this on four rows of the data (the
 * loss of the four must be the mean of the losses of its two halves) and refuses such a model.
 *
 * <p><b>Local steps.</b> With {@link Builder#localSteps} the parameters are broadcast once per epoch
 * instead: each partition takes every step of the epoch on its own rows of the global batch, with an
 * optimizer of its own, and the driver averages the partitions' parameters after the epoch (weighted by
 * the rows each trained on). One job per epoch instead of one per step — far less traffic — but it is
 * model averaging, not single-machine training (with one partition and plain SGD it is the same). The
 * listeners then hear of every step after its epoch: its loss is the row-weighted mean of the
 * partitions' losses, each gradient norm the row-weighted root mean square of the partitions' norms.
 *
 * <p>Close the trainer to drop its cached data. Not thread-safe.
 */
public final class SparkTrainer implements AutoCloseable {
  private final AdjointModel model;
  /** The driver's trainer, null with local steps. */
  private final Trainer trainer;
  /** Training with local steps, or null. */
  private final LocalSteps local;
  private final DistributedRows train;
  private final DistributedRows heldOut;
  private final long heldOutFrom;
  private final long heldOutTo;
  private final int trainRows;
  private final ColumnBinding binding;
  /** The model's code, broadcast once: executors define its classes once per JVM. */
  private final Broadcast<ModelCode> code;
  private final String accuracyOutput;
  private final int evaluationBatchSize;
  private final TaskHook hook;
  private final int treeDepth;
  private final JavaSparkContext spark;
  private long evaluations;

  private SparkTrainer(Builder b, JavaSparkContext spark, DistributedRows train, DistributedRows heldOut,
      long heldOutFrom, long heldOutTo, int trainRows, ColumnBinding binding, Broadcast<ModelCode> code) {
    this.model = b.model;
    this.spark = spark;
    this.train = train;
    this.heldOut = heldOut;
    this.heldOutFrom = heldOutFrom;
    this.heldOutTo = heldOutTo;
    this.trainRows = trainRows;
    this.binding = binding;
    this.code = code;
    this.accuracyOutput = b.accuracyOutput;
    this.evaluationBatchSize = b.evaluationBatchSize != null ? b.evaluationBatchSize
        : Math.max(b.batchSize, 1024);
    this.hook = b.hook;
    this.treeDepth = b.treeDepth;
    if (b.localSteps != null) {
      this.trainer = null;
      this.local = new LocalSteps(spark, train.blocks, model, this.code, binding, b.localSteps, hook, treeDepth,
          trainRows, b.batchSize, b.seed, b.epochs, b.schedule, b.clipNorm, b.health, b.listeners,
          heldOut == null ? null : this::evaluate);
    } else {
      b.trainer.gradients(new DistributedGradients(spark, train.blocks, model, this.code, binding, hook,
          treeDepth, trainRows, b.batchSize, b.seed));
      if (heldOut != null) {
        b.trainer.evaluation(this::evaluate);
      }
      this.trainer = b.trainer.build();
      this.local = null;
    }
  }

  /** A builder for training {@code model} with {@code optimizer} (built for its parameters), on the driver. */
  public static Builder builder(AdjointModel model, Optimizer optimizer) {
    return new Builder(model, optimizer);
  }

  /** What {@link #fit()} will do. */
  public TrainingPlan plan() {
    return trainer != null ? trainer.plan() : local.plan();
  }

  /** The number of training rows. */
  public int trainingRows() {
    return trainRows;
  }

  /** The number of held-out rows, 0 without. */
  public long heldOutRows() {
    return heldOutTo - heldOutFrom;
  }

  /** The number of partitions the training rows are spread over. */
  public int partitions() {
    return train.partitions();
  }

  /** Which columns feed which input: {@code x <- columns _c0.._c63 (64), y <- column _c64}. */
  public String bindingDescription() {
    return binding.describe();
  }

  /**
   * Trains; see {@link Trainer#fit()}. The model's parameters (on the driver) are trained in place.
   *
   * @throws dev.adjoint.runtime.train.TrainingDivergedException on a NaN or infinite loss or gradient
   */
  public TrainingSummary fit() {
    return trainer != null ? trainer.fit() : local.fit();
  }

  /**
   * The held-out loss and accuracy (NaN without {@link Builder#accuracy}) of the parameters as they are.
   *
   * @throws IllegalStateException without held-out data
   */
  public Evaluation evaluate() {
    if (heldOut == null) {
      throw new IllegalStateException("no held-out data: use holdOutLast(…) or heldOut(…)");
    }
    long epoch = ++evaluations;
    Broadcast<Object[]> parameters = spark.broadcast(ModelCode.parameterValues(model));
    try {
      EvaluationShare sum = heldOut.blocks.map(new EvaluationShare.Task(parameters, code, binding, heldOutFrom,
              heldOutTo, accuracyOutput, evaluationBatchSize, epoch, hook))
          .treeAggregate(new EvaluationShare(), EvaluationShare::add, EvaluationShare::add, treeDepth);
      return sum.toEvaluation(accuracyOutput != null);
    } catch (Exception e) { // a failed job throws SparkException, a checked exception Scala does not declare
      throw SparkErrors.unwrap(e);
    } finally {
      parameters.destroy();
    }
  }

  /** Drops the cached training and held-out rows. */
  @Override
  public void close() {
    train.unpersist();
    if (heldOut != null && heldOut != train) {
      heldOut.unpersist();
    }
    code.destroy();
  }

  /**
   * Settings for a {@link SparkTrainer}. The training options ({@link #epochs}, {@link #schedule},
   * {@link #clipGlobalNorm}, {@link #listener}, …) are the {@link Trainer.Builder}'s, with its checks.
   * {@link #build()} reads the data (a Spark job): a bad row is an error then, before training.
   */
  public static final class Builder {
    private final AdjointModel model;
    private final Trainer.Builder trainer;
    private Dataset<Row> data;
    private Dataset<Row> heldOutData;
    private int holdOutLast;
    private String featureInput;
    private List<String> featureColumns;
    private String labelInput;
    private String labelColumn;
    private int classes;
    private String malformedColumn;
    private int batchSize = 32;
    private long seed;
    private Integer partitions;
    private String accuracyOutput;
    private Map<String, byte[]> classFiles = Map.of();
    private int treeDepth = 2;
    private Integer evaluationBatchSize;
    private TaskHook hook = TaskHook.NONE;
    private OptimizerFactory localSteps;
    // The training options, kept here too for training with local steps (the Trainer keeps its own).
    private int epochs = 1;
    private boolean stepsPerEpochSet;
    private LearningRateSchedule schedule;
    private double clipNorm = Double.NaN;
    private boolean targetSet;
    private GradientHealth.Options health = GradientHealth.Options.defaults();
    private final List<TrainingListener> listeners = new ArrayList<>();

    private Builder(AdjointModel model, Optimizer optimizer) {
      this.model = Objects.requireNonNull(model, "model");
      this.trainer = Trainer.builder(model, optimizer);
    }

    /** The training rows (and the held-out ones, with {@link #holdOutLast}). */
    public Builder data(Dataset<Row> data) {
      this.data = Objects.requireNonNull(data, "data");
      return this;
    }

    /** Held-out rows, with the same columns as the training data, evaluated after every epoch. */
    public Builder heldOut(Dataset<Row> heldOut) {
      this.heldOutData = Objects.requireNonNull(heldOut, "heldOut");
      return this;
    }

    /** Holds out the last {@code rows} rows of {@link #data} (in its order), as {@code adjoint train} does. */
    public Builder holdOutLast(int rows) {
      this.holdOutLast = rows;
      return this;
    }

    /**
     * The float input {@code [B, F]} that takes the features, and the columns: scalar columns (numbers,
     * or numbers as text) in the order given, or one array column. Default: the model's only f32/f64
     * input, every column but the label.
     */
    public Builder features(String input, String... columns) {
      this.featureInput = Objects.requireNonNull(input, "input");
      this.featureColumns = columns.length == 0 ? null : List.of(columns);
      return this;
    }

    /** The i32 input {@code [B]} that takes the labels, and the column. Default: the only i32 input, the last column. */
    public Builder label(String input, String column) {
      this.labelInput = Objects.requireNonNull(input, "input");
      this.labelColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /** Labels must lie in {@code [0, classes)}; a row outside is a {@link BadRowException}. */
    public Builder labelClasses(int classes) {
      this.classes = classes;
      return this;
    }

    /**
     * A row whose {@code column} is not null is malformed: the column where Spark's CSV reader puts the
     * text of a record it could not split into the schema's columns ({@code columnNameOfCorruptRecord}
     * in {@code PERMISSIVE} mode). Such a row is a {@link BadRowException} rather than a row of nulls or
     * of dropped cells.
     */
    public Builder malformedRecords(String column) {
      this.malformedColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /** Rows per global batch (default 32); the last batch of an epoch may be smaller. */
    public Builder batchSize(int rows) {
      this.batchSize = rows;
      return this;
    }

    /** The seed of the batches' shuffle (default 0), as {@code CsvBatchSource.shuffled}'s. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Spreads the rows over this many partitions after numbering them (default: the Dataset's
     * partitions). A gzip-compressed CSV file is read as one partition: spread it to use every core.
     */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Held-out accuracy: the argmax over the last axis of this output against the labels. */
    public Builder accuracy(String output) {
      this.accuracyOutput = Objects.requireNonNull(output, "output");
      return this;
    }

    /**
     * The class files of the model class (binary name → bytes), shipped to the executors, which define
     * them with a class loader of their own: for a class compiled in the driver's memory. Without them
     * the executors load the model class by name from their class path (the application's jar).
     */
    public Builder classFiles(Map<String, byte[]> classFiles) {
      this.classFiles = new TreeMap<>(classFiles);
      return this;
    }

    /** The depth of {@code treeAggregate} (default 2). */
    public Builder treeDepth(int depth) {
      this.treeDepth = depth;
      return this;
    }

    /** Rows per forward pass in held-out evaluation (default: the batch size, at least 1024). */
    public Builder evaluationBatchSize(int rows) {
      this.evaluationBatchSize = rows;
      return this;
    }

    /** See {@link Trainer.Builder#epochs}. */
    public Builder epochs(int epochs) {
      trainer.epochs(epochs);
      this.epochs = epochs;
      return this;
    }

    /** See {@link Trainer.Builder#stepsPerEpoch}. */
    public Builder stepsPerEpoch(int steps) {
      trainer.stepsPerEpoch(steps);
      this.stepsPerEpochSet = true;
      return this;
    }

    /** See {@link Trainer.Builder#schedule}. */
    public Builder schedule(LearningRateSchedule schedule) {
      trainer.schedule(schedule);
      this.schedule = schedule;
      return this;
    }

    /** See {@link Trainer.Builder#clipGlobalNorm}. */
    public Builder clipGlobalNorm(double maxNorm) {
      trainer.clipGlobalNorm(maxNorm);
      this.clipNorm = maxNorm;
      return this;
    }

    /** See {@link Trainer.Builder#stopWhenLossBelow}. */
    public Builder stopWhenLossBelow(double target) {
      trainer.stopWhenLossBelow(target);
      this.targetSet = true;
      return this;
    }

    /** See {@link Trainer.Builder#health}. */
    public Builder health(GradientHealth.Options options) {
      trainer.health(options);
      this.health = options;
      return this;
    }

    /** See {@link Trainer.Builder#listener}; listeners run on the driver. */
    public Builder listener(TrainingListener listener) {
      trainer.listener(listener);
      this.listeners.add(listener);
      return this;
    }

    /**
     * Broadcasts the parameters once per epoch instead of once per step: every partition takes the
     * epoch's steps on its own rows of each global batch, from the epoch's parameters, with an optimizer
     * that {@code optimizer} builds for it (fresh every epoch: its moments restart), the schedule's rate
     * for each global step and the clipping; after the epoch the parameters become the partitions'
     * row-weighted mean. One Spark job per epoch instead of one per step; not equal to single-machine
     * training (it is model averaging), and the optimizer given to {@link SparkTrainer#builder} is not
     * used. Listeners hear of each step after its epoch (see {@link SparkTrainer}); {@link #stepsPerEpoch}
     * and {@link #stopWhenLossBelow} do not apply.
     */
    public Builder localSteps(OptimizerFactory optimizer) {
      this.localSteps = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /** Runs {@code hook} at the start of every task (tests: fault injection). */
    Builder taskHook(TaskHook hook) {
      this.hook = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Reads the data and builds the trainer.
     *
     * @throws BadRowException for the first row that cannot feed the model
     * @throws IllegalArgumentException if the columns do not fit the model's inputs, a count is out of
     *     range, the model class cannot reach the executors, or a {@link Trainer.Builder} check fails
     */
    public SparkTrainer build() {
      if (!model.buffers().isEmpty()) {
        // Each executor would update its own copy of the running statistics and only the params come back to
        // the driver: evaluation would use the initial statistics. Refuse rather than train a model that
        // evaluates wrongly.
        throw new IllegalArgumentException("model " + model.name() + " keeps state across steps ("
            + String.join(", ", model.buffers().keySet()) + ": batch_norm running statistics), which Spark"
            + " training does not carry back to the driver yet; train it with adjoint train or the Trainer");
      }
      if (data == null) {
        throw new IllegalArgumentException("give the training data with data(…)");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      if (partitions != null && partitions < 1) {
        throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
      }
      if (treeDepth < 1) {
        throw new IllegalArgumentException("tree depth must be >= 1, got " + treeDepth);
      }
      if (evaluationBatchSize != null && evaluationBatchSize < 1) {
        throw new IllegalArgumentException("evaluation batch size must be >= 1, got " + evaluationBatchSize);
      }
      if (holdOutLast < 0) {
        throw new IllegalArgumentException("cannot hold out " + holdOutLast + " rows");
      }
      if (holdOutLast > 0 && heldOutData != null) {
        throw new IllegalArgumentException("give held-out rows with holdOutLast(…) or heldOut(…), not both");
      }
      if (accuracyOutput != null && holdOutLast == 0 && heldOutData == null) {
        throw new IllegalArgumentException("accuracy(" + accuracyOutput + ") is measured on held-out data:"
            + " add holdOutLast(…) or heldOut(…)");
      }
      if (!model.hasLoss()) {
        throw new IllegalArgumentException("model " + model.name() + " has no loss: there is nothing to train");
      }
      if (localSteps != null && (stepsPerEpochSet || targetSet)) {
        throw new IllegalArgumentException("with local steps an epoch is one pass over the data and the loss is"
            + " known after it: stepsPerEpoch(…) and stopWhenLossBelow(…) do not apply");
      }
      if (localSteps != null && epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
      }
      if (localSteps != null && !Double.isNaN(clipNorm) && !(clipNorm > 0 && Double.isFinite(clipNorm))) {
        throw new IllegalArgumentException("the clip norm must be finite and > 0, got " + clipNorm);
      }
      ModelCode code = ModelCode.of(model.getClass(), classFiles);
      if (!code.shipsClassFiles()) {
        checkOnClassPath(model.getClass());
      }
      ColumnBinding binding = bind(data);
      JavaSparkContext spark = JavaSparkContext.fromSparkContext(data.javaRDD().context());
      DistributedRows train = DistributedRows.read(data, binding, partitions);
      DistributedRows heldOut = null;
      long from = 0;
      long to = 0;
      Broadcast<ModelCode> shipped = null;
      try {
        if (heldOutData != null) {
          ColumnBinding other = bind(heldOutData);
          if (other.featureCount != binding.featureCount) {
            throw new IllegalArgumentException("the held-out data has " + other.featureCount + " features per"
                + " row, the training data " + binding.featureCount);
          }
          heldOut = DistributedRows.read(heldOutData, other, partitions);
          to = heldOut.rows;
          if (to == 0) {
            throw new IllegalArgumentException("the held-out data has no rows");
          }
        } else if (holdOutLast > 0) {
          if (holdOutLast >= train.rows) {
            throw new IllegalArgumentException("holding out " + holdOutLast + " of " + train.rows
                + " rows leaves none for training");
          }
          heldOut = train;
          from = train.rows - holdOutLast;
          to = train.rows;
        }
        int trainRows = (int) (heldOut == train ? from : train.rows);
        if (trainRows == 0) {
          throw new IllegalArgumentException("the training data has no rows");
        }
        LossCheck.check(model, train.blocks, binding);
        shipped = spark.broadcast(code);
        return new SparkTrainer(this, spark, train, heldOut, from, to, trainRows, binding, shipped);
      } catch (RuntimeException e) {
        if (shipped != null) {
          shipped.destroy();
        }
        train.unpersist();
        if (heldOut != null && heldOut != train) {
          heldOut.unpersist();
        }
        throw e;
      }
    }

    private ColumnBinding bind(Dataset<Row> rows) {
      return ColumnBinding.resolve(model, rows.schema(), featureInput, featureColumns, labelInput, labelColumn,
          classes, malformedColumn, column -> firstArrayLength(rows, column));
    }

    private static int firstArrayLength(Dataset<Row> rows, String column) {
      List<Row> first = rows.select(column).takeAsList(1);
      if (first.isEmpty() || first.get(0).isNullAt(0)) {
        throw new IllegalArgumentException("the array column " + column + " has no first value to take the"
            + " feature count from");
      }
      return first.get(0).getList(0).size();
    }

    private static void checkOnClassPath(Class<?> c) {
      List<ClassLoader> loaders = new ArrayList<>(Arrays.asList(
          Thread.currentThread().getContextClassLoader(), SparkTrainer.class.getClassLoader()));
      for (ClassLoader l : loaders) {
        try {
          if (l != null && Class.forName(c.getName(), false, l) == c) {
            return;
          }
        } catch (ClassNotFoundException e) {
          // try the next loader
        }
      }
      throw new IllegalArgumentException("model class " + c.getName() + " is not on the application's class"
          + " path (was it compiled in memory?), so the executors could not load it: give its class files"
          + " with classFiles(…)");
    }
  }
}
