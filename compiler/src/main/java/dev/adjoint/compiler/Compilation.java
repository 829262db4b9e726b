package dev.adjoint.compiler;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of {@link Compiler#compile}: every diagnostic, and (when there were no errors) one
 * {@link CompiledModel} per model of the file, in source order.
 */
public final class Compilation {
    private final SourceFile source;
    private final Compiler.Options options;
    private final Diagnostics diagnostics;
    private final List<CompiledModel> models;

    Compilation(SourceFile source, Compiler.Options options, Diagnostics diagnostics, List<CompiledModel> models) {
        this.source = source;
        this.options = options;
        this.diagnostics = diagnostics;
        this.models = List.copyOf(models);
    }

    public SourceFile source() {
        return source;
    }

    public Compiler.Options options() {
        return options;
    }

    /** Everything the compiler reported, each with {@code file:line:col}. */
    public Diagnostics diagnostics() {
        return diagnostics;
    }

    /** Whether there were no errors. */
    public boolean ok() {
        return !diagnostics.hasErrors();
    }

    /** The models, in source order; empty when there were errors. */
    public List<CompiledModel> models() {
        return models;
    }

    /** The model named {@code name}, or null. */
    public CompiledModel model(String name) {
        for (CompiledModel m : models) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Every generated unit in model order: each model's class, then (with {@link Compiler.Options#gradientTests})
     * its test units. Empty when there were errors.
     *
     * @throws IllegalStateException only for an internal compiler error
     */
    public List<GeneratedSource> sources() {
        List<GeneratedSource> out = new ArrayList<>();
        for (CompiledModel m : models) {
            out.addAll(m.sources());
        }
        return out;
    }
}
