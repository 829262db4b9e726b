package dev.adjoint.compiler;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.Elaborator;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.parse.ModelParser;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The front end as one call: source text to shape-checked model graphs, or diagnostics. The command line,
 * the annotation processor and the tests all come through here.
 */
public final class FrontEnd {
    /** Stack for the compiler thread: deeply nested (but legal) expressions recurse deeply. */
    private static final long STACK_BYTES = 512L * 1024 * 1024;

    private FrontEnd() {
    }

    /** The result of analysing one file: its models (empty when there are errors) and every diagnostic. */
    public record Result(SourceFile source, List<ModelGraph> models, Diagnostics diagnostics) {
        public boolean ok() {
            return !diagnostics.hasErrors();
        }
    }

    /** Parses and elaborates a file. Never throws for a bad model: everything wrong is a diagnostic. */
    public static Result analyze(SourceFile source) {
        return analyze(source, false);
    }

    /** As {@link #analyze(SourceFile)}; with {@code f32AsF64}, the f64 twin of each model (f32 read as f64). */
    public static Result analyze(SourceFile source, boolean f32AsF64) {
        Diagnostics diagnostics = new Diagnostics();
        AtomicReference<List<ModelGraph>> models = new AtomicReference<>(List.of());
        AtomicReference<Throwable> crash = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                Ast.FileAst ast = ModelParser.parse(source, diagnostics);
                if (ast != null) {
                    List<ModelGraph> graphs = Elaborator.elaborate(ast, diagnostics, f32AsF64);
                    models.set(diagnostics.hasErrors() ? List.of() : graphs);
                }
            } catch (StackOverflowError e) {
                diagnostics.error(source.spanAt(0, 0), "the model is nested too deeply to compile");
            } catch (OutOfMemoryError e) {
                diagnostics.error(source.spanAt(0, 0), "the model is too large to compile in this much memory");
            } catch (RuntimeException | Error e) {
                crash.set(e); // a bug in the compiler: never let it pass for a model without errors
            }
        }, "adjoint-front-end", STACK_BYTES);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (crash.get() != null) {
            throw new IllegalStateException("internal compiler error: " + crash.get(), crash.get());
        }
        return new Result(source, models.get(), diagnostics);
    }
}
