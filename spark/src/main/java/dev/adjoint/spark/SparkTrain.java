package dev.adjoint.spark;

import dev.adjoint.cli.Compiled;
import dev.adjoint.cli.TrainData;
import dev.adjoint.cli.TrainException;
import dev.adjoint.cli.TrainOptimizer;
import dev.adjoint.cli.TrainParams;
import dev.adjoint.cli.TrainReporter;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.io.AtomicFiles;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.train.Evaluation;
import dev.adjoint.runtime.train.TrainingDivergedException;
import dev.adjoint.runtime.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code spark-submit} entry point: {@code adjoint train} on Spark. Compiles the {@code .model} file
 * in the driver (to Java, then to bytecode in memory), reads CSV or Parquet from any path Spark reads,
 * binds its columns to the model's inputs as {@code adjoint train} does, trains with
 * {@link SparkTrainer} (the class files travel to the executors with the tasks) and writes the
 * parameters as safetensors, atomically, on the driver.
 *
 * <pre>
 * spark-submit --master local[2] --class dev.adjoint.spark.SparkTrain adjoint-spark.jar \
 *     digits.model --data digits.csv.gz --partitions 2
 * </pre>
 */
@Command(name = "adjoint-spark train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {"Compiles a model in the Spark driver and trains its params data-parallel on Spark: each step"
        + " broadcasts the params, every partition computes the gradient of its share of the batch, and the"
        + " driver sums them and applies the update. Options as in adjoint train.", ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:trained and written", "1:the model, the data, --init-from or an option value is wrong,"
        + " or training diverged; nothing written", "2:bad command-line usage"})
public final class SparkTrain implements Callable<Integer> {
  static final int DEFAULT_EPOCHS = 30;

  @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file (read by the driver)")
  Path file;

  @Option(names = "--model", paramLabel = "NAME", description = "the model, when the file has several")
  String modelName;

  @Option(names = "--data", required = true, paramLabel = "PATH", description = "training data: CSV (optionally"
      + " .gz) or Parquet, at any path Spark reads (a file, a directory, hdfs://, s3a://, ...)")
  String data;

  @Option(names = "--format", paramLabel = "csv|parquet", description = "the data's format (default: parquet"
      + " for a path ending in .parquet, else csv)")
  String format;

  @Option(names = "--features", paramLabel = "INPUT[=COLS]", description = "the float input [B, F] that takes the"
      + " feature columns, and which ones (counting from 1): 1-64, or 1-10,12 (default: the model's only f32/f64"
      + " input; every column but the label)")
  String features;

  @Option(names = "--label", paramLabel = "INPUT[=COL]", description = "the i32 input [B] that takes the label"
      + " column, and which one (default: the model's only i32 input; the last column)")
  String label;

  @Option(names = "--header", description = "the first line of each CSV file is a header")
  boolean header;

  @Option(names = "--held-out", paramLabel = "FRACTION|ROWS", defaultValue = "0.2", description = "the last"
      + " rows (in the data's order) held out for evaluation after every epoch: a fraction (rounded up) or a row"
      + " count; 0 for none (default: ${DEFAULT-VALUE})")
  String heldOut;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "rows per global batch"
      + " (default: ${DEFAULT-VALUE}); reshuffled every epoch, the same batches as adjoint train's")
  int batchSize;

  @Option(names = "--epochs", paramLabel = "N", description = "passes over the training rows (default: "
      + DEFAULT_EPOCHS + "); 0 only evaluates the params (say, --init-from) on the held-out rows")
  Integer epochs;

  @Option(names = "--steps-per-epoch", paramLabel = "N", description = "steps per epoch (default: as many batches"
      + " as the training rows make)")
  Integer stepsPerEpoch;

  @Option(names = "--optimizer", paramLabel = "sgd|adam|adamw", defaultValue = "adam",
      description = "the update rule (default: ${DEFAULT-VALUE})")
  String optimizer;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-2", description = "the learning rate, the peak"
      + " of the schedule (default: ${DEFAULT-VALUE})")
  double lr;

  @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: 0.9)")
  Double momentum;

  @Option(names = "--nesterov", description = "SGD with Nesterov momentum")
  boolean nesterov;

  @Option(names = "--weight-decay", paramLabel = "W", description = "L2 penalty (sgd, adam) or decoupled decay"
      + " (adamw) (default: 0; adamw 0.01)")
  Double weightDecay;

  @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "cosine", description = "constant, cosine or"
      + " step:EVERY:GAMMA (default: ${DEFAULT-VALUE})")
  String schedule;

  @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0", description = "linear learning-rate"
      + " warm-up over the first STEPS steps")
  int warmup;

  @Option(names = "--clip-norm", paramLabel = "MAX", description = "clip the gradients to this global L2 norm")
  Double clipNorm;

  @Option(names = "--target-loss", paramLabel = "LOSS", description = "stop after the first step whose training"
      + " loss is below LOSS")
  Double targetLoss;

  @Option(names = "--accuracy", paramLabel = "OUTPUT", description = "the output whose argmax is compared with"
      + " the held-out labels (default: the first output [B, classes])")
  String accuracy;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "seed of the param initializers"
      + " and the shuffling (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--init-from", paramLabel = "FILE.safetensors", description = "start from these params")
  Path initFrom;

  @Option(names = "--out", paramLabel = "DIR", description = "where the driver writes MODEL.safetensors"
      + " (default: runs/MODEL)")
  Path out;

  @Option(names = "--quiet", description = "print no plan, epoch lines or gradient table")
  boolean quiet;

  @Option(names = "--partitions", paramLabel = "N", description = "spread the rows over N partitions after"
      + " numbering them (default: as read; a .gz file is read as one partition)")
  Integer partitions;

  @Option(names = "--local-steps", description = "broadcast the params once per epoch, not once per step: each"
      + " partition steps through the epoch on its own rows with its own optimizer, and the driver averages the"
      + " partitions' params after it (model averaging: fewer jobs, not the same result as adjoint train)")
  boolean localSteps;

  @Option(names = "--master", paramLabel = "URL", description = "the Spark master, when not run by spark-submit"
      + " (which sets it): local[2], spark://host:7077, ...")
  String master;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command with its output and errors going to the given writers; returns the exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new SparkTrain());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("adjoint-spark: internal error: " + e);
      return 3;
    });
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    try {
      return train(stdout, stderr);
    } catch (TrainException e) {
      stderr.println(e.getMessage());
      return 1;
    } finally {
      stdout.flush();
      stderr.flush();
    }
  }

  private int train(PrintWriter stdout, PrintWriter stderr) throws TrainException {
    checkCounts();
    int[] exit = {0};
    Compiled c = Compiled.load(file, modelName, seed, false, stderr, exit);
    if (c == null) {
      return exit[0];
    }
    AdjointModel model = c.model;
    if (!model.hasLoss()) {
      throw TrainException.at(file.toString(), "model " + model.name() + " has no loss: there is nothing to train");
    }
    if (model.inputs().isEmpty()) {
      throw TrainException.usage("model " + model.name() + " has no inputs: train it with adjoint train, without"
          + " data");
    }
    if (initFrom != null) {
      TrainParams.load(initFrom, model);
    }
    // A session that already runs in this JVM (a notebook's, a test's) is used and left running; else the
    // command makes its own and stops it at the end.
    boolean running = SparkSession.getDefaultSession().isDefined();
    SparkSession.Builder sb = SparkSession.builder().appName("adjoint-spark " + model.name());
    if (master != null && !running) {
      sb.master(master);
    }
    SparkSession spark = running ? SparkSession.active() : sb.getOrCreate();
    try {
      return train(stdout, stderr, c, spark);
    } finally {
      if (!running) {
        spark.stop();
      }
    }
  }

  private int train(PrintWriter stdout, PrintWriter stderr, Compiled c, SparkSession spark) throws TrainException {
    AdjointModel model = c.model;
    InputData source = InputData.read(spark, data, format, header);
    TrainData.Binding fb = features == null ? null : TrainData.parseBinding("--features", features);
    TrainData.Binding lb = label == null ? null : TrainData.parseBinding("--label", label);
    if (lb != null && lb.columns() != null && lb.columns().length != 1) {
      throw TrainException.usage("--label " + label + ": give one column");
    }
    int width = source.columns().size();
    int labelColumn = lb != null && lb.columns() != null ? lb.columns()[0] : width - 1;
    int[] featureColumns = fb != null && fb.columns() != null ? fb.columns() : allBut(width, labelColumn);
    for (int col : concat(featureColumns, labelColumn)) {
      if (col >= width) {
        throw TrainException.at(data, "column " + (col + 1) + " is past the " + width + " columns of the data");
      }
    }
    String labelInput = lb != null ? lb.input() : onlyInput(model, ElementType.I32);
    long rows = source.rows().count();
    if (rows == 0) {
      throw TrainException.at(data, "no rows");
    }
    int held = TrainData.heldOutRows(heldOut, (int) Math.min(rows, Integer.MAX_VALUE));
    Optimizer opt = TrainOptimizer.build(optimizer, model.parameters(), lr, momentum, nesterov, weightDecay);
    int epochCount = epochs != null ? epochs : DEFAULT_EPOCHS;
    int trainRows = (int) (rows - held);
    int perEpoch = stepsPerEpoch != null ? stepsPerEpoch : (trainRows + batchSize - 1) / batchSize;
    String accuracyOutput = held > 0 && labelInput != null ? c.accuracyOutput(labelInput, accuracy) : null;
    if (held == 0 && accuracy != null) {
      throw TrainException.usage("--accuracy needs held-out rows (--held-out is 0)");
    }
    SparkTrainer.Builder b = SparkTrainer.builder(model, opt)
        .data(source.rows()).classFiles(c.classFiles).batchSize(batchSize).seed(seed)
        .features(fb != null ? fb.input() : onlyFloatInput(model), names(source.columns(), featureColumns))
        .schedule(TrainOptimizer.schedule(schedule, lr, Math.max(1, (long) epochCount * perEpoch), warmup));
    if (labelInput != null) {
      b.label(labelInput, source.columns().get(labelColumn));
      Integer classes = c.graph.labelClassCounts().get(labelInput);
      if (classes != null) {
        b.labelClasses(classes);
      }
    }
    if (source.malformedColumn() != null) {
      b.malformedRecords(source.malformedColumn());
    }
    if (held > 0) {
      b.holdOutLast(held);
    }
    if (accuracyOutput != null) {
      b.accuracy(accuracyOutput);
    }
    if (partitions != null) {
      b.partitions(partitions);
    }
    if (epochCount > 0) {
      b.epochs(epochCount);
    }
    if (stepsPerEpoch != null) {
      b.stepsPerEpoch(stepsPerEpoch);
    }
    if (localSteps) {
      b.localSteps(optimizerFactory(optimizer, lr, momentum, nesterov, weightDecay));
    }
    if (clipNorm != null) {
      b.clipGlobalNorm(clipNorm);
    }
    if (targetLoss != null) {
      b.stopWhenLossBelow(targetLoss);
    }
    TrainReporter reporter = new TrainReporter(stdout, stderr, quiet, held > 0, epochCount);
    b.listener(reporter);
    Path dir = out != null ? out : Path.of("runs", model.name());
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw TrainException.usage("--out " + dir + ": exists and is not a directory");
    }
    String describe = String.format(Locale.ROOT, "%s: %d rows, %d for training, %d held out (the last); %s <- columns"
        + " %s, %s <- column %d", data, rows, trainRows, held, fb != null ? fb.input() : onlyFloatInput(model),
        TrainData.ranges(featureColumns), labelInput, labelColumn + 1);
    try (SparkTrainer trainer = build(b)) {
      if (epochCount == 0) {
        return evaluateOnly(stdout, trainer, describe, held, accuracyOutput);
      }
      if (!quiet) {
        stdout.printf(Locale.ROOT, "training %s (%,d params) with %s, lr %s, %s schedule%s; %d epochs of %d steps;"
            + " seed %d%n", model.name(), TrainParams.count(model), optimizer.toLowerCase(Locale.ROOT),
            TrainReporter.number(lr), schedule, warmup > 0 ? " after " + warmup + " warm-up steps" : "",
            epochCount, trainer.plan().stepsPerEpoch(), seed);
        if (localSteps) {
          stdout.println("local steps: the params are broadcast once per epoch and averaged after it");
        }
        stdout.println(describe + "; batch " + batchSize + (accuracyOutput != null ? "; accuracy of "
            + accuracyOutput : "") + "; " + trainer.partitions() + " partitions on " + spark.sparkContext().master());
        stdout.flush();
      }
      TrainingSummary summary;
      long start = System.nanoTime();
      try {
        summary = trainer.fit();
      } catch (TrainingDivergedException e) {
        throw TrainException.usage(e.getMessage() + "; nothing was written");
      } catch (IllegalArgumentException e) {
        throw TrainException.usage("training stopped: " + e.getMessage() + "; nothing was written");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (!quiet) {
        stdout.printf(Locale.ROOT, "trained %d steps in %.1f s: %.1f steps/s (held-out evaluations included)%n",
            summary.steps(), seconds, summary.steps() / seconds);
      }
      return finish(stdout, stderr, model, summary, dir);
    }
  }

  /** The executors' optimizers for --local-steps: the options' optimizer (already checked on the driver). */
  private static OptimizerFactory optimizerFactory(String kind, double lr, Double momentum, boolean nesterov,
      Double weightDecay) {
    return params -> {
      try {
        return TrainOptimizer.build(kind, params, lr, momentum, nesterov, weightDecay);
      } catch (TrainException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    };
  }

  private SparkTrainer build(SparkTrainer.Builder b) throws TrainException {
    try {
      return b.build();
    } catch (BadRowException e) {
      throw TrainException.at(data, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw TrainException.usage(e.getMessage());
    }
  }

  private int finish(PrintWriter stdout, PrintWriter stderr, AdjointModel model, TrainingSummary summary, Path dir)
      throws TrainException {
    if (!quiet) {
      stdout.println();
      stdout.print(summary.health().report());
      stdout.println();
    }
    if (targetLoss != null) {
      if (summary.reachedTarget()) {
        stdout.printf(Locale.ROOT, "reached the target loss %s at step %d: loss %s%n",
            TrainReporter.number(targetLoss), summary.steps(), TrainReporter.number(summary.finalLoss()));
      } else {
        stderr.printf(Locale.ROOT, "adjoint-spark: warning: the loss did not reach the target %s in %d steps (last"
            + " step's loss %s)%n", TrainReporter.number(targetLoss), summary.steps(),
            TrainReporter.number(summary.finalLoss()));
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("model", model.name());
    metadata.put("seed", Long.toString(seed));
    metadata.put("steps", Long.toString(summary.steps()));
    metadata.put("loss", Double.toString(summary.finalLoss()));
    Path target = dir.resolve(model.name() + ".safetensors");
    try {
      Files.createDirectories(dir);
      AtomicFiles.write(target, TrainParams.bytes(model, metadata));
    } catch (IOException e) {
      throw TrainException.at(dir.toString(), "cannot write: " + e);
    }
    stdout.println("wrote " + target);
    return 0;
  }

  private int evaluateOnly(PrintWriter stdout, SparkTrainer trainer, String describe, int held, String output)
      throws TrainException {
    if (held == 0) {
      throw TrainException.usage("--epochs 0 evaluates the params on the held-out rows: it needs a --held-out above"
          + " 0");
    }
    Evaluation r;
    try {
      r = trainer.evaluate();
    } catch (IllegalArgumentException e) {
      throw TrainException.usage(e.getMessage());
    }
    stdout.println(describe);
    stdout.println("held-out loss " + TrainReporter.number(r.loss()) + (output == null ? ""
        : String.format(Locale.ROOT, "  accuracy %.2f %%", 100 * r.accuracy())));
    return 0;
  }

  private void checkCounts() throws TrainException {
    if (batchSize < 1) {
      throw TrainException.usage("--batch-size " + batchSize + ": must be >= 1");
    }
    if (epochs != null && epochs < 0) {
      throw TrainException.usage("--epochs " + epochs + ": must be >= 0");
    }
    if (stepsPerEpoch != null && stepsPerEpoch < 1) {
      throw TrainException.usage("--steps-per-epoch " + stepsPerEpoch + ": must be >= 1");
    }
    if (partitions != null && partitions < 1) {
      throw TrainException.usage("--partitions " + partitions + ": must be >= 1");
    }
    if (clipNorm != null && !(clipNorm > 0 && Double.isFinite(clipNorm))) {
      throw TrainException.usage("--clip-norm " + clipNorm + ": must be a finite number above 0");
    }
    if (targetLoss != null && Double.isNaN(targetLoss)) {
      throw TrainException.usage("--target-loss must be a number");
    }
  }

  /** The model's only input of the kind (i32, or f32/f64 for {@code null}), or null (the binding then says why). */
  private static String onlyInput(AdjointModel model, ElementType type) {
    List<String> found = new ArrayList<>();
    for (InputSpec s : model.inputs()) {
      if (type == ElementType.I32 ? s.elementType() == ElementType.I32 : s.elementType() != ElementType.I32) {
        found.add(s.name());
      }
    }
    return found.size() == 1 ? found.get(0) : null;
  }

  private static String onlyFloatInput(AdjointModel model) throws TrainException {
    String x = onlyInput(model, null);
    if (x == null) {
      throw TrainException.usage("model " + model.name() + " has no single f32/f64 input for the features: choose"
          + " one with --features INPUT");
    }
    return x;
  }

  private static int[] allBut(int width, int label) {
    int[] cols = new int[Math.max(0, width - 1)];
    int n = 0;
    for (int c = 0; c < width && n < cols.length; c++) {
      if (c != label) {
        cols[n++] = c;
      }
    }
    return cols;
  }

  private static int[] concat(int[] a, int b) {
    int[] all = java.util.Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }

  private static String[] names(List<String> columns, int[] positions) {
    String[] names = new String[positions.length];
    for (int i = 0; i < positions.length; i++) {
      names[i] = columns.get(positions[i]);
    }
    return names;
  }
}
