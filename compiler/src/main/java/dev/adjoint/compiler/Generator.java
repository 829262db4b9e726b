package dev.adjoint.compiler;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.emit.JavaEmitter;
import java.util.ArrayList;
import java.util.List;

/**
 * TEMPORARY stub of Contract B on branch plugin, so the Maven plugin can be built and tested before engineer
 * P's facade lands; merging branch processor replaces this file with P's implementation. No gradient tests.
 */
public final class Generator {
    private Generator() {
    }

    /** packageName "" = default package. gradientTests: also emit a JUnit 5 finite-difference test per model. */
    public record Options(String packageName, boolean gradientTests) {
    }

    /** One Java compilation unit; test = belongs in test sources. */
    public record GeneratedSource(String qualifiedName, String text, boolean test) {
        /** e.g. "com/acme/DigitsMlp.java". */
        public String relativePath() {
            return qualifiedName.replace('.', '/') + ".java";
        }
    }

    /** ok() iff diagnostics has no errors; sources is empty when not ok. */
    public record Result(List<GeneratedSource> sources, Diagnostics diagnostics) {
        public boolean ok() {
            return !diagnostics.hasErrors();
        }
    }

    /** Analyzes, emits; never throws for a bad model. */
    public static Result generate(SourceFile source, Options options) {
        FrontEnd.Result analyzed = FrontEnd.analyze(source);
        if (!analyzed.ok()) {
            return new Result(List.of(), analyzed.diagnostics());
        }
        List<GeneratedSource> sources = new ArrayList<>();
        for (ModelGraph m : analyzed.models()) {
            var file = JavaEmitter.emit(m, options.packageName());
            String name = options.packageName().isEmpty() ? file.typeSpec().name()
                    : options.packageName() + "." + file.typeSpec().name();
            sources.add(new GeneratedSource(name, file.toString(), false));
        }
        return new Result(List.copyOf(sources), analyzed.diagnostics());
    }
}
