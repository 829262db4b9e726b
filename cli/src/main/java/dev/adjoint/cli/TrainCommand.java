package dev.adjoint.cli;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Kernels;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.io.AtomicFiles;
import dev.adjoint.runtime.train.CsvBatchSource;
import dev.adjoint.runtime.train.Evaluation;
import dev.adjoint.runtime.train.GradientHealth;
import dev.adjoint.runtime.train.Trainer;
import dev.adjoint.runtime.train.TrainingDivergedException;
import dev.adjoint.runtime.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code adjoint train FILE.model [--data FILE.csv]}: compile in-process, train, save the parameters and plots. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Compiles a model in-process and trains its params: on the rows of a CSV file (--data), or,"
                + " for a model without inputs, on its loss alone; writes the params (safetensors) and charts.",
                "",
                "Prints one line per epoch (training loss; held-out loss and accuracy with data), warns when a"
                + " parameter's gradient vanishes or explodes, and ends with a table of the gradient norms. Writes the"
                + " trained params (safetensors, loadable by PyTorch's safetensors.torch.load_file and by"
                + " --init-from), a loss curve and a gradient-norm chart (PNG) to --out. Every file is written whole"
                + " or not at all; nothing is written when training fails.",
                "",
                "Data binding: the feature columns go to one f32/f64 input [B, F] (--features), the label column to"
                + " one i32 input [B] (--label); columns count from 1. Default: the model's only float input takes"
                + " every column but the last, its only i32 input the last. Labels must lie in [0, classes) where the"
                + " model's cross_entropy or one_hot gives the class count. The last --held-out rows are held out.",
                "",
                "A progress bar is shown on standard error when it is a terminal.",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:trained and written", "1:the model, the data, --init-from or an option value is wrong,"
                + " or training diverged (a NaN or infinite loss); nothing written", "2:bad command-line usage"})
final class TrainCommand implements Callable<Integer> {
    static final String DEFAULT_HELD_OUT = "0.2";
    static final int DEFAULT_EPOCHS_WITH_DATA = 30;
    static final int DEFAULT_EPOCHS_WITHOUT_DATA = 10;
    static final int DEFAULT_STEPS_WITHOUT_DATA = 1000;

    @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "the model, when the file has several")
    String modelName;

    @Option(names = "--data", paramLabel = "FILE.csv", description = "training data: a CSV file of numbers, or"
            + " gzip-compressed .csv.gz; omit it for a model without inputs")
    Path data;

    @Option(names = "--features", paramLabel = "INPUT[=COLS]", description = "the float input [B, F] that takes the"
            + " feature columns, and which ones: 1-64, or a list such as 1-10,12 (default: the model's only f32/f64"
            + " input; every column but the label)")
    String features;

    @Option(names = "--label", paramLabel = "INPUT[=COL]", description = "the i32 input [B] that takes the label"
            + " column, and which one (default: the model's only i32 input; the last column)")
    String label;

    @Option(names = "--header", description = "the first line of the CSV file is a header, not data")
    boolean header;

    @Option(names = "--held-out", paramLabel = "FRACTION|ROWS", defaultValue = DEFAULT_HELD_OUT,
            description = "the last rows held out for evaluation after every epoch: a fraction (rounded up) or a"
                    + " row count; 0 for none (default: ${DEFAULT-VALUE})")
    String heldOut;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
            description = "rows per training step (default: ${DEFAULT-VALUE}); the rows are reshuffled every epoch")
    int batchSize;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the training rows (default: "
            + DEFAULT_EPOCHS_WITH_DATA + "; without data, " + DEFAULT_EPOCHS_WITHOUT_DATA + " epochs of"
            + " --steps-per-epoch steps); 0 only evaluates the params (say, --init-from) on the held-out rows and"
            + " writes nothing")
    Integer epochs;

    @Option(names = "--steps-per-epoch", paramLabel = "N", description = "steps per epoch (default: as many batches"
            + " as the training rows make; without data, " + DEFAULT_STEPS_WITHOUT_DATA + ")")
    Integer stepsPerEpoch;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|adamw", defaultValue = "adam",
            description = "the update rule, as PyTorch's torch.optim (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-2",
            description = "the learning rate, the peak of the schedule (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum, in [0, 1) (default: 0.9)")
    Double momentum;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "W", description = "L2 penalty (sgd, adam: added to the gradient)"
            + " or decoupled decay (adamw) (default: 0; adamw 0.01)")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "cosine",
            description = "learning rate over the run: constant, cosine (from --lr down to 0 at the last step) or"
                    + " step:EVERY:GAMMA (times GAMMA every EVERY steps) (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0",
            description = "linear learning-rate warm-up over the first STEPS steps (default: none)")
    int warmup;

    @Option(names = "--clip-norm", paramLabel = "MAX", description = "clip the gradients to this global L2 norm"
            + " before each update (default: no clipping)")
    Double clipNorm;

    @Option(names = "--target-loss", paramLabel = "LOSS", description = "stop after the first step whose training"
            + " loss is below LOSS")
    Double targetLoss;

    @Option(names = "--accuracy", paramLabel = "OUTPUT", description = "the output whose argmax over the last axis"
            + " is compared with the held-out labels (default: the first output [B, classes])")
    String accuracy;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed of the param initializers and the shuffling (default: ${DEFAULT-VALUE}); the same"
                    + " seed gives the same params file, byte for byte")
    long seed;

    @Option(names = "--init-from", paramLabel = "FILE.safetensors", description = "start from these params"
            + " (a file this command wrote, or any safetensors file with one tensor per param, same names, types"
            + " and shapes) instead of the initializers")
    Path initFrom;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write MODEL.safetensors, loss.png and"
            + " gradient-norms.png (default: runs/MODEL)")
    Path out;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "threads for large kernels (default: ${DEFAULT-VALUE}); results are the same for every count")
    int threads;

    @Option(names = "--no-plots", description = "do not write the PNG charts")
    boolean noPlots;

    @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
    boolean noProgress;

    @Option(names = "--quiet", description = "print no epoch lines and no gradient table; only warnings, errors"
            + " and the files written")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
        if (threads < 1) {
            throw TrainException.usage("--threads must be at least 1, got " + threads);
        }
        Kernels.setThreads(threads);
        int[] exit = {0};
        Compiled c = Compiled.load(file, modelName, seed, false, stderr, exit);
        if (c == null) {
            return exit[0];
        }
        AdjointModel model = c.model;
        if (!model.hasLoss()) {
            throw TrainException.at(file.toString(), "model " + model.name() + " has no loss: there is nothing to"
                    + " train");
        }
        checkCounts();
        TrainData td = null;
        if (data != null) {
            if (model.inputs().isEmpty()) {
                throw TrainException.usage("model " + model.name() + " has no inputs, so it trains without --data"
                        + " (give --epochs and --steps-per-epoch)");
            }
            td = TrainData.load(data, model.name(), model.inputs(), c.graph.labelClassCounts(), features, label, header,
                    heldOut);
        } else {
            if (!model.inputs().isEmpty()) {
                throw TrainException.usage("model " + model.name() + " has inputs ("
                        + String.join(", ", model.inputs().stream().map(i -> i.name()).toList())
                        + "): give training data with --data FILE.csv");
            }
            for (String o : List.of("--features", "--label", "--header", "--held-out", "--batch-size",
                    "--accuracy")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw TrainException.usage(o + " applies to training on --data");
                }
            }
        }
        if (initFrom != null) {
            TrainParams.load(initFrom, model);
        }
        if (epochs != null && epochs == 0) {
            return evaluateOnly(stdout, c, td);
        }
        Optimizer opt = TrainOptimizer.build(optimizer, model.parameters(), lr, momentum, nesterov, weightDecay);
        Trainer.Builder builder = Trainer.builder(model, opt);
        int epochCount;
        String accuracyOutput = null;
        if (td != null) {
            builder.data(CsvBatchSource.shuffled(td.train(), td.featureInput(), td.labelInput(), batchSize, seed));
            if (td.heldOut() != null) {
                builder.heldOut(CsvBatchSource.inOrder(td.heldOut(), td.featureInput(), td.labelInput(),
                        Math.max(batchSize, 1024)));
                accuracyOutput = accuracyOutput(c.graph, td.labelInput());
                if (accuracyOutput != null) {
                    builder.accuracy(accuracyOutput, td.labelInput());
                }
            } else if (accuracy != null) {
                throw TrainException.usage("--accuracy needs held-out rows (--held-out is 0)");
            }
            epochCount = epochs != null ? epochs : DEFAULT_EPOCHS_WITH_DATA;
            if (stepsPerEpoch != null) {
                builder.stepsPerEpoch(stepsPerEpoch);
            }
        } else {
            epochCount = epochs != null ? epochs : DEFAULT_EPOCHS_WITHOUT_DATA;
            builder.stepsPerEpoch(stepsPerEpoch != null ? stepsPerEpoch : DEFAULT_STEPS_WITHOUT_DATA);
        }
        builder.epochs(epochCount);
        int perEpoch = stepsPerEpoch != null ? stepsPerEpoch
                : td != null ? (td.train().rows() + batchSize - 1) / batchSize : DEFAULT_STEPS_WITHOUT_DATA;
        long total = (long) epochCount * perEpoch;
        LearningRateSchedule lrs = TrainOptimizer.schedule(schedule, lr, total, warmup);
        builder.schedule(lrs);
        if (clipNorm != null) {
            builder.clipGlobalNorm(clipNorm);
        }
        if (targetLoss != null) {
            builder.stopWhenLossBelow(targetLoss);
        }
        Path dir = out != null ? out : Path.of("runs", model.name());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw TrainException.usage("--out " + dir + ": exists and is not a directory");
        }
        TrainProgress progress = noProgress || quiet ? null : TrainProgress.forTerminal();
        if (progress != null) {
            builder.listener(progress);
        }
        TrainReporter reporter = new TrainReporter(stdout, stderr, quiet, td != null && td.heldOut() != null);
        builder.listener(reporter);
        Trainer trainer;
        try {
            trainer = builder.build();
        } catch (IllegalArgumentException e) {
            throw TrainException.usage(e.getMessage());
        }
        if (!quiet) {
            stdout.printf(Locale.ROOT, "training %s (%,d params) with %s, lr %s, %s schedule%s; %d epochs of %d steps;"
                    + " seed %d%n", model.name(), TrainParams.count(model), optimizer.toLowerCase(Locale.ROOT),
                    TrainReporter.number(lr), schedule, warmup > 0 ? " after " + warmup + " warm-up steps" : "",
                    epochCount, trainer.plan().stepsPerEpoch(), seed);
            if (td != null) {
                stdout.println(td.describe() + "; batch " + batchSize
                        + (accuracyOutput != null ? "; accuracy of " + accuracyOutput : ""));
            }
            stdout.flush();
        }
        TrainingSummary summary;
        try {
            summary = trainer.fit();
        } catch (TrainingDivergedException e) {
            throw TrainException.usage(e.getMessage() + "; nothing was written");
        } catch (IllegalArgumentException e) {
            throw TrainException.usage("training stopped: " + e.getMessage() + "; nothing was written");
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        return finish(stdout, stderr, model, summary, reporter, dir, TrainCharts.depthOrder(c.graph));
    }

    private int finish(PrintWriter stdout, PrintWriter stderr, AdjointModel model, TrainingSummary summary,
            TrainReporter reporter, Path dir, List<String> depth) throws TrainException {
        GradientHealth health = summary.health();
        if (!quiet) {
            stdout.println();
            stdout.print(health.report());
            stdout.println();
        }
        if (targetLoss != null) {
            if (summary.reachedTarget()) {
                stdout.printf(Locale.ROOT, "reached the target loss %s at step %d: loss %s%n",
                        TrainReporter.number(targetLoss), summary.steps(), TrainReporter.number(summary.finalLoss()));
            } else {
                stderr.printf(Locale.ROOT, "adjoint train: warning: the loss did not reach the target %s in %d steps"
                        + " (last step's loss %s)%n", TrainReporter.number(targetLoss), summary.steps(),
                        TrainReporter.number(summary.finalLoss()));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("model", model.name());
        metadata.put("seed", Long.toString(seed));
        metadata.put("steps", Long.toString(summary.steps()));
        metadata.put("loss", Double.toString(summary.finalLoss()));
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(dir.resolve(model.name() + ".safetensors"), TrainParams.bytes(model, metadata));
        if (!noPlots) {
            try {
                files.put(dir.resolve("loss.png"), TrainCharts.loss(model.name(), reporter));
                files.put(dir.resolve("gradient-norms.png"), TrainCharts.gradientNorms(model.name(), health, depth));
            } catch (IOException | RuntimeException | Error e) {
                stderr.println("adjoint train: warning: cannot draw the charts (" + e + "); writing the params only"
                        + " (use --no-plots to skip them)");
                files.keySet().removeIf(p -> p.toString().endsWith(".png"));
            }
        }
        try {
            Files.createDirectories(dir);
            for (Map.Entry<Path, byte[]> f : files.entrySet()) {
                AtomicFiles.write(f.getKey(), f.getValue());
            }
        } catch (IOException e) {
            throw TrainException.at(dir.toString(), "cannot write: " + e);
        }
        for (Path p : files.keySet()) {
            stdout.println("wrote " + p);
        }
        return 0;
    }

    /** {@code --epochs 0}: the held-out loss (and accuracy) of the params as they are; nothing is written. */
    private int evaluateOnly(PrintWriter stdout, Compiled c, TrainData td) throws TrainException {
        if (td == null || td.heldOut() == null) {
            throw TrainException.usage("--epochs 0 evaluates the params on the held-out rows: it needs --data and"
                    + " a --held-out above 0");
        }
        String output = accuracyOutput(c.graph, td.labelInput());
        Evaluation r;
        try {
            r = Evaluation.run(c.model, CsvBatchSource.inOrder(td.heldOut(), td.featureInput(), td.labelInput(),
                    Math.max(batchSize, 1024)), output, td.labelInput());
        } catch (IllegalArgumentException e) {
            throw TrainException.usage(e.getMessage());
        }
        stdout.println(td.describe());
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
        if (clipNorm != null && !(clipNorm > 0 && Double.isFinite(clipNorm))) {
            throw TrainException.usage("--clip-norm " + clipNorm + ": must be a finite number above 0");
        }
        if (targetLoss != null && Double.isNaN(targetLoss)) {
            throw TrainException.usage("--target-loss must be a number");
        }
    }

    /** {@code --accuracy}, checked; by default the first output shaped {@code [B, classes]}, or null if none. */
    private String accuracyOutput(ModelGraph g, String labelInput) throws TrainException {
        Integer classes = g.labelClassCounts().get(labelInput);
        for (ModelGraph.OutputDecl o : g.outputs()) {
            Shape s = o.node().shape();
            boolean fits = s.rank() == 2 && s.dim(1).isFixed() && (classes == null || s.dim(1).size() == classes);
            if (accuracy != null && o.name().equals(accuracy)) {
                if (s.rank() < 1) {
                    throw TrainException.usage("--accuracy " + accuracy + ": output " + accuracy + " is a scalar;"
                            + " accuracy takes the argmax over the last axis of an output [B, classes]");
                }
                return accuracy;
            }
            if (accuracy == null && fits) {
                return o.name();
            }
        }
        if (accuracy != null) {
            throw TrainException.usage("--accuracy " + accuracy + ": model " + g.name() + " has no output "
                    + accuracy + " (its outputs: "
                    + String.join(", ", g.outputs().stream().map(ModelGraph.OutputDecl::name).toList()) + ")");
        }
        return null;
    }
}
