package dev.adjoint.cli;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.runtime.AdjointModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The steps {@code grad} and {@code gradcheck} share: read, check, pick one model, emit, compile, load. */
final class Compiled {
    /** Package of classes compiled in-process. */
    static final String PACKAGE = "adjoint.generated";

    final ModelGraph graph;
    final AdjointModel model;

    private Compiled(ModelGraph graph, AdjointModel model) {
        this.graph = graph;
        this.model = model;
    }

    /**
     * The compiled model, or null after printing why (diagnostics, or an ambiguous/unknown model name) —
     * {@code exit[0]} then holds the exit status.
     */
    static Compiled load(Path file, String modelName, long seed, boolean f64Twin, PrintWriter err, int[] exit) {
        Compilation all = ModelFiles.compile(file, Compiler.Options.of(PACKAGE).withF64(f64Twin), err);
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
        return new Compiled(m.front(), m.load(seed));
    }
}
