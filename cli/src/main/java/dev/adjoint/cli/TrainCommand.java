package dev.adjoint.cli;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Kernels;
import dev.adjoint.runtime.io.AtomicFiles;
import dev.adjoint.runtime.io.BackgroundWriter;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.train.Checkpoint;
import dev.adjoint.runtime.train.CsvBatchSource;
import dev.adjoint.runtime.train.EpochReport;
import dev.adjoint.runtime.train.Evaluation;
import dev.adjoint.runtime.train.GradientHealth;
import dev.adjoint.runtime.train.Trainer;
import dev.adjoint.runtime.train.TrainingDivergedException;
import dev.adjoint.runtime.train.TrainingListener;
import dev.adjoint.runtime.train.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.adjoint.compiler.Compiler;
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
                "Prints one line per epoch (training loss; held-out loss and accuracy, or RMSE, with data), warns"
                + " when a"
                + " parameter's gradient vanishes or explodes, and ends with a table of the gradient norms. Writes the"
                + " trained params (safetensors, loadable by PyTorch's safetensors.torch.load_file and by"
                + " --init-from), a loss curve, a gradient-norm chart and an accuracy or RMSE chart (PNG) to --out."
                + " Every file is written whole or not at all; when training fails, only the checkpoint of its last"
                + " whole epoch is left.",
                "",
                "Data binding: the feature columns go to one f32/f64 input [B, F] (--features), the target columns to"
                + " one more input (--label): class labels to an i32 input [B], regression targets to an f32/f64"
                + " input [B] or [B, k]; columns count from 1. Default: the model's only i32 input takes the last"
                + " column, its only other float input every other column. Labels must lie in [0, classes) where the"
                + " model's cross_entropy or one_hot gives the class count. --held-out rows are held out (--split).",
                "",
                "A checkpoint (params, optimizer state, progress) is written to --out after every epoch; --resume DIR"
                + " continues a stopped run exactly where it stopped.",
                "",
                "A progress bar is shown on standard error when it is a terminal.",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:trained and written", "1:the model, the data, --init-from or an option value is wrong,"
                + " or training diverged (a NaN or infinite loss); no params written", "2:bad command-line usage"})
final class TrainCommand implements Callable<Integer> {
    static final String DEFAULT_HELD_OUT = "0.2";
    static final int DEFAULT_EPOCHS_WITH_DATA = 30;
    static final int DEFAULT_EPOCHS_WITHOUT_DATA = 10;
    static final int DEFAULT_STEPS_WITHOUT_DATA = 1000;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE.model", description = "the model file (not with"
            + " --resume)")
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

    @Option(names = "--label", paramLabel = "INPUT[=COLS]", description = "the input that takes the targets, and"
            + " which columns: class labels to an i32 input [B] (one column), regression targets to an f32/f64 input"
            + " [B] (one column) or [B, k] (k columns) (default: the model's only i32 input; the last column, or the"
            + " last k)")
    String label;

    @Option(names = "--header", description = "the first line of the CSV file is a header, not data")
    boolean header;

    @Option(names = "--held-out", paramLabel = "FRACTION|ROWS", defaultValue = DEFAULT_HELD_OUT,
            description = "the rows held out for evaluation after every epoch: a fraction (rounded up) or a"
                    + " row count; 0 for none (default: ${DEFAULT-VALUE})")
    String heldOut;

    @Option(names = "--split", paramLabel = "last|random|stratified", description = "which rows are held out: the"
            + " last rows of the file, rows drawn at random, or at random within each class so that every class"
            + " keeps its share (seeded by --seed; default: stratified for class labels, random for regression"
            + " targets, as many files are sorted by class)")
    String split;

    @Option(names = "--standardize", description = "standardize each feature column with the mean and standard"
            + " deviation of the training rows (saved in the params file's metadata)")
    boolean standardize;

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

    @Option(names = "--accuracy", paramLabel = "OUTPUT", description = "the output whose held-out accuracy is"
            + " reported: the argmax over the last axis of an output [B, classes], or a probability [B] thresholded"
            + " at 0.5 (default with labels: the first output [B, classes], else the first [B])")
    String accuracy;

    @Option(names = "--rmse", paramLabel = "OUTPUT", description = "the output whose held-out root mean squared"
            + " error against regression targets is reported (default: the first output shaped like the targets)")
    String rmse;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed of the param initializers and the shuffling (default: ${DEFAULT-VALUE}); the same"
                    + " seed gives the same params file, byte for byte")
    long seed;

    @Option(names = "--init-from", paramLabel = "FILE.safetensors", description = "start from these params"
            + " (a file this command wrote, or any safetensors file with one tensor per param, same names, types"
            + " and shapes) instead of the initializers")
    Path initFrom;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write MODEL.safetensors, the charts and"
            + " checkpoint.safetensors (default: runs/MODEL)")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue the run whose output directory (--out)"
            + " is DIR from its last checkpoint, with the options it was started with; the result is the same as"
            + " if it had never stopped")
    Path resume;

    @Option(names = "--stop-after", paramLabel = "EPOCHS", description = "stop after this many epochs of the plan"
            + " (the schedule stays planned for --epochs), leaving a checkpoint to --resume from")
    Integer stopAfter;
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

    @CommandLine.Mixin
    CheckpointPolicyOptions checkpointing;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The run being continued ({@code --resume}), or null. */
    private TrainCheckpoint.Resumed resumed;
    /**
     * Writes this run's checkpoints, each epoch's on a thread of its own so that training does not wait for
     * the disk; {@link BackgroundWriter#written()} counts them.
     */
    private BackgroundWriter checkpoints;

    /** The options that may go with {@code --resume}: they change what is shown, not what is trained. */
    private static final List<String> RESUME_OPTIONS = List.of("--resume", "--stop-after", "--no-plots",
            "--no-progress", "--quiet");

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            return resume != null ? resumeRun(stdout, stderr) : train(stdout, stderr);
        } catch (TrainException e) {
            stderr.println(e.getMessage());
            return 1;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    /** {@code --resume DIR}: the run's own command line, from its checkpoint, continued. */
    private int resumeRun(PrintWriter stdout, PrintWriter stderr) throws TrainException {
        for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUME_OPTIONS.contains(o.longestName())) {
                throw TrainException.usage(o.longestName() + " cannot go with --resume: a resumed run keeps the"
                        + " options it was started with (only " + String.join(", ", RESUME_OPTIONS.subList(1,
                        RESUME_OPTIONS.size())) + " may be given)");
            }
        }
        if (file != null) {
            throw TrainException.usage("--resume takes the model from the run's checkpoint: give no FILE.model");
        }
        TrainCheckpoint.Resumed r = TrainCheckpoint.read(resume);
        TrainCommand run = new TrainCommand();
        CommandLine cli = new CommandLine(run);
        try {
            cli.parseArgs(r.origin().args().toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw TrainException.at(resume.resolve(TrainCheckpoint.FILE).toString(), "its command line no longer"
                    + " parses: " + e.getMessage());
        }
        Path cwd = r.origin().cwd();
        run.spec = cli.getCommandSpec();
        run.file = cwd.resolve(run.file);
        run.data = run.data == null ? null : cwd.resolve(run.data);
        run.initFrom = null; // the checkpoint holds the params
        run.out = resume;
        run.stopAfter = stopAfter;
        run.quiet = quiet;
        run.noProgress = noProgress;
        run.noPlots = noPlots;
        run.resumed = r;
        checkDigest(run.file, r.origin().modelDigest(), "model");
        if (run.data != null) {
            checkDigest(run.data, r.origin().dataDigest(), "data");
        }
        return run.train(stdout, stderr);
    }

    private void checkDigest(Path f, String expected, String what) throws TrainException {
        if (!Files.isRegularFile(f)) {
            throw TrainException.at(f.toString(), "no such file: the run in " + resume + " was started with this "
                    + what + " file");
        }
        if (!TrainCheckpoint.sha256(f).equals(expected)) {
            throw TrainException.at(f.toString(), "the " + what + " file has changed since the run in " + resume
                    + " began, so it cannot be continued exactly; start a new run (--init-from "
                    + resume.resolve(TrainCheckpoint.FILE) + " does not apply: use its MODEL.safetensors)");
        }
    }

    private int train(PrintWriter stdout, PrintWriter stderr) throws TrainException {
        if (file == null) {
            throw TrainException.usage("give the model file (FILE.model), or --resume DIR");
        }
        if (threads < 1) {
            throw TrainException.usage("--threads must be at least 1, got " + threads);
        }
        Kernels.setThreads(threads);
        Compiler.Options options;
        try {
            options = checkpointing.apply(Compiler.Options.defaults());
        } catch (IllegalArgumentException e) {
            throw TrainException.usage(e.getMessage());
        }
        int[] exit = {0};
        Compiled c = Compiled.load(file, modelName, seed, options, stderr, exit);
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
            td = TrainData.load(data, model.name(), model.inputs(), c.graph.labelClassCounts(),
                    new TrainData.Options(features, label, header, heldOut, split, seed, standardize));
        } else {
            if (!model.inputs().isEmpty()) {
                throw TrainException.usage("model " + model.name() + " has inputs ("
                        + String.join(", ", model.inputs().stream().map(i -> i.name()).toList())
                        + "): give training data with --data FILE.csv");
            }
            for (String o : List.of("--features", "--label", "--header", "--held-out", "--batch-size",
                    "--accuracy", "--rmse", "--split", "--standardize")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw TrainException.usage(o + " applies to training on --data");
                }
            }
        }
        Evaluation.Metric metric = td == null || td.heldOut() == null ? null : TrainMetric.choose(c.graph, td,
                accuracy, rmse);
        if (td != null && td.heldOut() == null && (accuracy != null || rmse != null)) {
            throw TrainException.usage((accuracy != null ? "--accuracy" : "--rmse")
                    + " needs held-out rows (--held-out is 0)");
        }
        if (initFrom != null) {
            TrainParams.load(initFrom, model);
        }
        if (epochs != null && epochs == 0) {
            return evaluateOnly(stdout, c, td, metric);
        }
        Optimizer opt = TrainOptimizer.build(optimizer, model.parameters(), lr, momentum, nesterov, weightDecay);
        Trainer.Builder builder = Trainer.builder(model, opt);
        int epochCount;
        if (td != null) {
            builder.data(CsvBatchSource.shuffled(td.train(), td.featureInput(), td.labelInput(), batchSize, seed));
            if (td.heldOut() != null) {
                builder.heldOut(CsvBatchSource.inOrder(td.heldOut(), td.featureInput(), td.labelInput(),
                        Math.max(batchSize, 1024)));
                if (metric != null && metric.kind() == Evaluation.Metric.Kind.ACCURACY) {
                    builder.accuracy(metric.output(), metric.targets());
                } else if (metric != null) {
                    builder.rmse(metric.output(), metric.targets());
                }
            }
            epochCount = epochs != null ? epochs : DEFAULT_EPOCHS_WITH_DATA;
            if (stepsPerEpoch != null) {
                builder.stepsPerEpoch(stepsPerEpoch);
            }
        } else {
            epochCount = epochs != null ? epochs : DEFAULT_EPOCHS_WITHOUT_DATA;
            builder.stepsPerEpoch(stepsPerEpoch != null ? stepsPerEpoch : DEFAULT_STEPS_WITHOUT_DATA);
        }
        int perEpoch = stepsPerEpoch != null ? stepsPerEpoch
                : td != null ? (int) ((td.train().rows() + (long) batchSize - 1) / batchSize)
                : DEFAULT_STEPS_WITHOUT_DATA;
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
        int epochsDone = 0;
        if (resumed != null) {
            Checkpoint ck = resumed.checkpoint();
            if (ck.epochs() >= epochCount || "true".equals(ck.metadata().get("train.finished"))) {
                stdout.printf(Locale.ROOT, "the run in %s is complete (%d of %d epochs, %d steps); nothing to do%n",
                        dir, ck.epochs(), epochCount, ck.steps());
                return 0;
            }
            try {
                ck.restore(model, opt);
            } catch (IllegalArgumentException e) {
                throw TrainException.at(resume.resolve(TrainCheckpoint.FILE).toString(), e.getMessage());
            }
            epochsDone = ck.epochs();
            builder.resumeAfter(ck.epochs(), ck.steps());
        }
        int lastEpoch = stopAfter == null ? epochCount : Math.min(stopAfter, epochCount);
        if (stopAfter != null && stopAfter <= epochsDone) {
            throw TrainException.usage("--stop-after " + stopAfter + ": the run has already done " + epochsDone
                    + " epochs");
        }
        builder.epochs(lastEpoch);
        TrainProgress progress = noProgress || quiet ? null : TrainProgress.forTerminal();
        if (progress != null) {
            builder.listener(progress);
        }
        TrainReporter reporter = new TrainReporter(stdout, stderr, quiet, td != null && td.heldOut() != null,
                epochCount);
        if (resumed != null) {
            reporter.restore(resumed.stepLosses(), resumed.epochs());
        }
        builder.listener(reporter);
        TrainCheckpoint.Origin origin = resumed != null ? resumed.origin() : new TrainCheckpoint.Origin(ownArgs(),
                Path.of("").toAbsolutePath(), TrainCheckpoint.sha256(file),
                data == null ? null : TrainCheckpoint.sha256(data), optimizer.toLowerCase(Locale.ROOT));
        Map<String, String> runMetadata = runMetadata(td);
        checkpoints = new BackgroundWriter(dir.resolve(TrainCheckpoint.FILE));
        Trainer.Builder withCheckpoints = builder.listener(new TrainingListener() {
            @Override
            public void onEpoch(EpochReport e) {
                try {
                    Files.createDirectories(dir);
                    checkpoints.submit(TrainCheckpoint.bytes(model, opt, e, reporter, origin, runMetadata));
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        });
        Trainer trainer;
        try {
            trainer = withCheckpoints.build();
        } catch (IllegalArgumentException e) {
            throw TrainException.usage(e.getMessage());
        }
        if (!quiet) {
            stdout.printf(Locale.ROOT, "%s %s (%,d params) with %s, lr %s, %s schedule%s; %d epochs of %d steps;"
                    + " seed %d%n", resumed != null ? "resuming" : "training", model.name(), TrainParams.count(model),
                    optimizer.toLowerCase(Locale.ROOT), TrainReporter.number(lr), schedule,
                    warmup > 0 ? " after " + warmup + " warm-up steps" : "", epochCount, trainer.plan().stepsPerEpoch(),
                    seed);
            if (resumed != null) {
                stdout.printf(Locale.ROOT, "%s: continuing after epoch %d (step %d)%n",
                        dir.resolve(TrainCheckpoint.FILE), epochsDone, resumed.checkpoint().steps());
            }
            if (td != null) {
                stdout.println(td.describe() + "; batch " + batchSize + (metric == null ? ""
                        : metric.kind() == Evaluation.Metric.Kind.ACCURACY ? "; accuracy of " + metric.output()
                        : "; rmse of " + metric.output()));
            }
            stdout.flush();
        }
        TrainingSummary summary;
        try {
            summary = trainer.fit();
            checkpoints.close();
        } catch (TrainingDivergedException e) {
            throw TrainException.usage(e.getMessage() + notWritten(dir));
        } catch (UncheckedIOException e) {
            throw TrainException.at(dir.toString(), "cannot write the checkpoint: " + e.getCause());
        } catch (IOException e) {
            throw TrainException.at(dir.toString(), "cannot write the checkpoint: " + e);
        } catch (IllegalArgumentException e) {
            throw TrainException.usage("training stopped: " + e.getMessage() + notWritten(dir));
        } catch (OutOfMemoryError e) {
            throw TrainException.usage(c.outOfMemory() + notWritten(dir));
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        if (summary.reachedTarget()) {
            EpochReport last = reporter.epochs().get(reporter.epochs().size() - 1);
            Map<String, String> finished = new LinkedHashMap<>(runMetadata);
            finished.put("train.finished", "true");
            try {
                AtomicFiles.write(dir.resolve(TrainCheckpoint.FILE),
                        TrainCheckpoint.bytes(model, opt, last, reporter, origin, finished));
            } catch (IOException e) {
                throw TrainException.at(dir.toString(), "cannot write the checkpoint: " + e);
            }
        }
        int code = finish(stdout, stderr, model, summary, reporter, dir, TrainCharts.depthOrder(c.graph), td, metric);
        if (lastEpoch < epochCount && !summary.reachedTarget()) {
            stdout.printf(Locale.ROOT, "stopped after epoch %d of %d (--stop-after); continue with: adjoint train"
                    + " --resume %s%n", lastEpoch, epochCount, dir);
        }
        return code;
    }

    /** This command's arguments, without the command name and what came before it. */
    private List<String> ownArgs() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return List.copyOf(all.subList(at + 1, all.size()));
    }

    /**
     * The end of the message of a run that failed: nothing written, or only the last epoch's checkpoint. Waits
     * for the checkpoint being written, if any; a failure to write it matters less than the failure reported.
     */
    private String notWritten(Path dir) {
        Path f = dir.resolve(TrainCheckpoint.FILE);
        try {
            checkpoints.close();
        } catch (IOException e) {
            // the failure reported is the run's
        }
        boolean fresh = resumed != null || checkpoints.written() > 0;
        return fresh && Files.isRegularFile(f) ? "; the params were not written (the checkpoint of the last whole"
                + " epoch is " + f + ")" : "; nothing was written";
    }

    /** What the params file records besides the params: the model, the seed and the standardization. */
    private Map<String, String> runMetadata(TrainData td) {
        Map<String, String> m = new LinkedHashMap<>();
        if (td != null && td.standardization() != null) {
            m.putAll(td.standardization().toMetadata());
        }
        return m;
    }

    private int finish(PrintWriter stdout, PrintWriter stderr, AdjointModel model, TrainingSummary summary,
            TrainReporter reporter, Path dir, List<String> depth, TrainData td, Evaluation.Metric metric)
            throws TrainException {
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
        metadata.putAll(runMetadata(td));
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(dir.resolve(model.name() + ".safetensors"), TrainParams.bytes(model, metadata));
        if (!noPlots) {
            try {
                files.put(dir.resolve("loss.png"), TrainCharts.loss(model.name(), reporter));
                files.put(dir.resolve("gradient-norms.png"), TrainCharts.gradientNorms(model.name(), health, depth, reporter));
                if (metric != null) {
                    boolean acc = metric.kind() == Evaluation.Metric.Kind.ACCURACY;
                    files.put(dir.resolve(acc ? "accuracy.png" : "rmse.png"),
                            TrainCharts.heldOut(model.name(), reporter, acc, metric.output()));
                }
            } catch (IOException | RuntimeException | Error e) {
                stderr.println("adjoint train: warning: cannot draw the charts (" + e + "); writing the params only"
                        + " (use --no-plots to skip them)");
                files.keySet().removeIf(p -> p.toString().endsWith(".png"));
            }
        }
        try {
            WriteAll.write(files); // all or none
        } catch (IOException e) {
            throw TrainException.at(dir.toString(), "cannot write " + IoErrors.reason(e) + "; nothing was written");
        }
        for (Path p : files.keySet()) {
            stdout.println("wrote " + p);
        }
        Path checkpoint = dir.resolve(TrainCheckpoint.FILE);
        if (Files.isRegularFile(checkpoint)) {
            stdout.println("wrote " + checkpoint);
        }
        return 0;
    }

    /** {@code --epochs 0}: the held-out loss (and metric) of the params as they are; nothing is written. */
    private int evaluateOnly(PrintWriter stdout, Compiled c, TrainData td, Evaluation.Metric metric)
            throws TrainException {
        if (td == null || td.heldOut() == null) {
            throw TrainException.usage("--epochs 0 evaluates the params on the held-out rows: it needs --data and"
                    + " a --held-out above 0");
        }
        Evaluation r;
        try {
            r = Evaluation.run(c.model, CsvBatchSource.inOrder(td.heldOut(), td.featureInput(), td.labelInput(),
                    Math.max(batchSize, 1024)), metric);
        } catch (IllegalArgumentException e) {
            throw TrainException.usage(e.getMessage());
        }
        stdout.println(td.describe());
        stdout.println("held-out loss " + TrainReporter.number(r.loss())
                + (Double.isNaN(r.accuracy()) ? "" : String.format(Locale.ROOT, "  accuracy %.2f %%", 100 * r.accuracy()))
                + (Double.isNaN(r.rmse()) ? "" : "  rmse " + TrainReporter.number(r.rmse())));
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
        if (stopAfter != null && stopAfter < 1) {
            throw TrainException.usage("--stop-after " + stopAfter + ": must be >= 1");
        }
    }
}
