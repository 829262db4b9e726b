package dev.adjoint.cli;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Kernels;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.optim.Sgd;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import dev.adjoint.compiler.Compiler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code adjoint bench FILE.model [--dims B=32,…] [--threads N] [--seconds S]}: compile in-process, time
 * training steps on seeded random inputs, print one JSON line of medians.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Compiles a model in-process, fills its inputs with seeded random values (floats uniform in"
                + " [-1, 1), labels uniform over their classes) and times training steps (forward + loss + gradient)"
                + " after a warm-up; prints one JSON object (medians):",
                "",
                "  model, dims, threads, steps (measured), forward_ms, step_ms, steps_per_s, alloc_bytes_per_step"
                + " (bytes the calling thread allocates per step), kernels (the kernel implementation), then"
                + " update_ms (a plain SGD update of every param), time_to_steady_s and warmup_steps (from the first"
                + " step to the first of three half-second blocks in a row whose median step was within 10%% of the"
                + " measured step_ms), steady (false if the warm-up, which lasts until three such blocks after the"
                + " first 1,000 steps are within 10%% of each other, did not settle within --max-warmup).",
                "",
                "The JVM of ./adjoint runs the Vector API kernels (kernels: \"vector-api (N-bit)\"); without"
                + " --add-modules jdk.incubator.vector they are \"scalar\".",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:timed", "1:the model or an option value is wrong", "2:bad command-line usage"})
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "the model, when the file has several")
    String modelName;

    @Option(names = "--dims", paramLabel = "NAME=SIZE,…", description = "sizes of the inputs' named dims, e.g."
            + " B=32")
    String dims;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "threads for large kernels (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "measured time after the warm-up (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--max-warmup", paramLabel = "S", defaultValue = "180",
            description = "longest warm-up before measuring anyway (default: ${DEFAULT-VALUE})")
    double maxWarmup;

    @Option(names = "--trace-warmup", description = "print the median step time of every half second of the warm-up"
            + " on standard error")
    boolean traceWarmup;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "seed of the params and the inputs (default: ${DEFAULT-VALUE})")
    long seed;

    @CommandLine.Mixin
    CheckpointPolicyOptions checkpointing;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (threads < 1 || !(seconds > 0) || !(maxWarmup >= 0)) {
                err.println("adjoint bench: error: --threads must be at least 1, --seconds above 0 and --max-warmup"
                        + " at least 0");
                return 2;
            }
            Map<String, Integer> dimSizes;
            try {
                dimSizes = BenchInputs.parseDims(dims);
            } catch (IllegalArgumentException e) {
                err.println("adjoint bench: error: " + e.getMessage());
                return 2;
            }
            Compiler.Options options;
            try {
                options = checkpointing.apply(Compiler.Options.defaults());
            } catch (IllegalArgumentException e) {
                err.println("adjoint bench: error: " + e.getMessage());
                return 2;
            }
            if (options.planDims().isEmpty()) {
                options = options.withPlanDims(dimSizes); // a budget is for the dims benchmarked
            }
            int[] exit = {0};
            Compiled c = Compiled.load(file, modelName, seed, options, err, exit);
            if (c == null) {
                return exit[0];
            }
            AdjointModel model = c.model;
            if (!model.hasLoss()) {
                err.println(file + ": error: model " + model.name() + " has no loss: there is no training step to"
                        + " time");
                return 1;
            }
            Map<String, Tensor> inputs;
            try {
                inputs = BenchInputs.make(model.inputs(), dimSizes, c.graph.labelClassCounts(), seed);
            } catch (IllegalArgumentException e) {
                err.println("adjoint bench: error: " + e.getMessage());
                return 1;
            }
            Kernels.setThreads(threads);
            Kernels.warmUp();
            BenchRun.Result r = time(model, inputs, traceWarmup ? err : null);
            out.println(json(model.name(), dimSizes, r));
            return 0;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private BenchRun.Result time(AdjointModel model, Map<String, Tensor> inputs, PrintWriter trace) {
        Optimizer sgd = Sgd.builder(model.parameters()).learningRate(1e-4).build();
        StepResult[] last = new StepResult[1];
        // the allocation-free path the Trainer uses: evaluate and step run into the model's own buffers
        return BenchRun.run(() -> model.evaluate(inputs), () -> last[0] = model.step(inputs),
                () -> sgd.step(last[0].gradients()), seconds, maxWarmup, allocatedBytes(),
                trace);
    }

    /** The calling thread's allocated bytes so far, where the JVM counts them; else -1. */
    private static LongSupplier allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
            return bean::getCurrentThreadAllocatedBytes;
        }
        return () -> -1;
    }

    private String json(String name, Map<String, Integer> dimSizes, BenchRun.Result r) {
        StringBuilder d = new StringBuilder("{");
        dimSizes.forEach((k, v) -> d.append(d.length() > 1 ? ", " : "").append(TensorJson.quote(k)).append(": ")
                .append(v));
        d.append('}');
        return String.format(Locale.ROOT, "{\"model\": %s, \"dims\": %s, \"threads\": %d, \"steps\": %d,"
                + " \"forward_ms\": %s, \"step_ms\": %s, \"steps_per_s\": %s, \"alloc_bytes_per_step\": %d,"
                + " \"kernels\": %s, \"update_ms\": %s, \"time_to_steady_s\": %.2f, \"warmup_steps\": %d,"
                + " \"steady\": %b}",
                TensorJson.quote(name), d, threads, r.steps(), ms(r.forwardMs()), ms(r.stepMs()),
                String.format(Locale.ROOT, "%.1f", r.stepsPerS()), r.allocBytesPerStep(),
                TensorJson.quote(Kernels.implementation()), ms(r.updateMs()), r.timeToSteadyS(), r.warmupSteps(),
                r.steady());
    }

    /** Milliseconds with four significant digits (at least three decimals). */
    private static String ms(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "")
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
