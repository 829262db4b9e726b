package dev.adjoint.cli;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.ModelTooLargeException;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.plan.CheckpointException;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The steps the commands that run a model share: read, check, pick one model, emit, compile, load. Public for
 * the Spark entry point (adjoint-spark), which compiles in its driver as {@code train} does and ships the class
 * files to its executors.
 */
public final class Compiled {
    /** Package of classes compiled in-process. */
    static final String PACKAGE = "adjoint.generated";

    /** The checked model. */
    public final ModelGraph graph;
    /** An instance of the compiled class, made with the seed given to {@link #load}. */
    public final AdjointModel model;
    /** The compiled class files (binary name → bytes), the model class among them. */
    public final Map<String, byte[]> classFiles;

    private Compiled(ModelGraph graph, AdjointModel model, Map<String, byte[]> classFiles) {
        this.graph = graph;
        this.model = model;
        this.classFiles = classFiles;
    }

    /**
     * The compiled model, or null after printing why (diagnostics, or an ambiguous/unknown model name) —
     * {@code exit[0]} then holds the exit status.
     */
    public static Compiled load(Path file, String modelName, long seed, boolean f64Twin, PrintWriter err,
            int[] exit) {
        return load(file, modelName, seed, Compiler.Options.of(PACKAGE).withF64(f64Twin), err, exit);
    }

    /**
     * As {@link #load(Path, String, long, boolean, PrintWriter, int[])}, compiled with {@code options} (in the
     * package of this class, whatever {@code options} says): a checkpoint policy that cannot be met is printed too.
     */
    public static Compiled load(Path file, String modelName, long seed, Compiler.Options options, PrintWriter err,
            int[] exit) {
        Compilation all = ModelFiles.compile(file, options.withPackage(PACKAGE), err);
        if (all == null) {
            exit[0] = 1;
            return null;
        }
        List<CompiledModel> models = ModelFiles.select(all.models(), modelName, err);
        if (models == null) {
            exit[0] = 2;
            return null;
        }
        if (models.size() > 1) {
            err.println("adjoint: " + file + " has several models ("
                    + String.join(", ", models.stream().map(CompiledModel::name).toList()) + "); choose one with --model");
            exit[0] = 2;
            return null;
        }
        CompiledModel m = models.get(0);
        long heap = Runtime.getRuntime().maxMemory();
        String tooBig = ModelMemory.params(m.front()).exceeds(heap);
        if (tooBig != null) {
            err.println(file + ": error: " + tooBig);
            exit[0] = 1;
            return null;
        }
        AdjointModel model;
        try {
            model = m.load(seed);
        } catch (CheckpointException e) {
            err.println(file + ": error: " + e.getMessage());
            exit[0] = 2;
            return null;
        } catch (ModelTooLargeException e) {
            Diagnostics d = new Diagnostics();
            d.add(e.diagnostic());
            err.print(d.format());
            exit[0] = 1;
            return null;
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof OutOfMemoryError)) {
                throw e;
            }
            err.println(file + ": error: " + ModelMemory.params(m.front()).outOfMemory("constructing it", heap));
            exit[0] = 1;
            return null;
        } catch (OutOfMemoryError e) {
            err.println(file + ": error: " + ModelMemory.params(m.front()).outOfMemory("compiling it", heap));
            exit[0] = 1;
            return null;
        }
        return new Compiled(m.front(), model, m.classFiles());
    }

    /**
     * The output whose argmax is compared with the labels of {@code labelInput}: {@code requested} (checked), or
     * by default the first output shaped {@code [B, classes]}, or null if there is none.
     */
    public String accuracyOutput(String labelInput, String requested) throws TrainException {
        Integer classes = graph.labelClassCounts().get(labelInput);
        for (Graph.Output o : graph.outputs()) {
            Shape s = o.node().shape();
            boolean fits = s.rank() == 2 && s.dim(1).isFixed() && (classes == null || s.dim(1).size() == classes);
            if (requested != null && o.name().equals(requested)) {
                if (s.rank() < 1) {
                    throw TrainException.usage("--accuracy " + requested + ": output " + requested + " is a scalar;"
                            + " accuracy takes the argmax over the last axis of an output [B, classes]");
                }
                return requested;
            }
            if (requested == null && fits) {
                return o.name();
            }
        }
        if (requested != null) {
            throw TrainException.usage("--accuracy " + requested + ": model " + graph.name() + " has no output "
                    + requested + " (its outputs: "
                    + String.join(", ", graph.outputs().stream().map(Graph.Output::name).toList()) + ")");
        }
        return null;
    }

    /** The message for an {@link OutOfMemoryError} while running the model. */
    String outOfMemory() {
        return ModelMemory.params(graph).outOfMemory("running it", Runtime.getRuntime().maxMemory());
    }
}
