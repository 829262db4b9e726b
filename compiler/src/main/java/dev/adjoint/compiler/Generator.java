package dev.adjoint.compiler;

import com.palantir.javapoet.JavaFile;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.emit.GradientTestEmitter;
import dev.adjoint.compiler.emit.JavaEmitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.SourceVersion;

/**
 * The compiler as one call: a model source in, Java sources or diagnostics out. The command line
 * ({@code adjoint compile}), the annotation processor and the Maven plugin all generate through here, so they
 * produce the same classes for the same model.
 */
public final class Generator {
    private Generator() {
    }

    /**
     * What to generate.
     *
     * @param packageName the Java package of the generated classes; {@code ""} is the default package
     * @param gradientTests also emit, for every model with a loss, a JUnit 5 test that checks its gradient
     *     against central finite differences ({@code FooGradientTest}, with the f64 twin {@code FooF64Twin} it
     *     checks unless the model is all f64; both are {@link GeneratedSource#test() test} sources)
     */
    public record Options(String packageName, boolean gradientTests) {
        /** @throws IllegalArgumentException if {@code packageName} is neither empty nor a valid package name */
        public Options {
            Objects.requireNonNull(packageName, "packageName");
            if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
                throw new IllegalArgumentException("'" + packageName + "' is not a valid Java package name");
            }
        }

        /** Model classes only, in {@code packageName}. */
        public static Options of(String packageName) {
            return new Options(packageName, false);
        }
    }

    /**
     * One Java compilation unit.
     *
     * @param qualifiedName the top-level class, e.g. {@code com.acme.DigitsMlp}
     * @param text the source text
     * @param test whether it belongs in test sources (the gradient test and its helpers)
     */
    public record GeneratedSource(String qualifiedName, String text, boolean test) {
        /** The path below a source root, e.g. {@code com/acme/DigitsMlp.java}. */
        public String relativePath() {
            return qualifiedName.replace('.', '/') + ".java";
        }

        /** The class name without its package. */
        public String simpleName() {
            return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
        }
    }

    /**
     * The outcome of one {@link #generate} call.
     *
     * @param sources the generated units in model order (each model's class, then its test units); empty
     *     when not {@link #ok()}
     * @param diagnostics everything the compiler reported, each with {@code file:line:col}
     */
    public record Result(List<GeneratedSource> sources, Diagnostics diagnostics) {
        /** Keeps an unmodifiable copy of {@code sources}. */
        public Result {
            sources = List.copyOf(sources);
        }

        /** Whether there were no errors. */
        public boolean ok() {
            return !diagnostics.hasErrors();
        }
    }

    /**
     * Analyzes {@code source} and emits one class per model (and with {@link Options#gradientTests()} its
     * test units). Never throws for a bad model: everything wrong with it is a diagnostic, and then no source
     * is returned.
     *
     * @throws IllegalStateException only for an internal compiler error
     */
    public static Result generate(SourceFile source, Options options) {
        FrontEnd.Result analyzed = FrontEnd.analyze(source);
        Diagnostics diagnostics = analyzed.diagnostics();
        if (!analyzed.ok()) {
            return new Result(List.of(), diagnostics);
        }
        String pkg = options.packageName();
        List<GeneratedSource> sources = new ArrayList<>();
        List<ModelGraph> twins = options.gradientTests() ? twins(source) : List.of();
        for (int i = 0; i < analyzed.models().size(); i++) {
            ModelGraph m = analyzed.models().get(i);
            sources.add(unit(pkg, JavaEmitter.emit(m, pkg), false));
            if (options.gradientTests() && m.hasLoss()) {
                if (GradientTestEmitter.needsTwin(m)) {
                    String twin = GradientTestEmitter.twinClassName(m);
                    sources.add(unit(pkg, JavaEmitter.emit(twins.get(i), pkg, twin), true));
                    sources.add(unit(pkg, GradientTestEmitter.emit(twins.get(i), pkg, twin), true));
                } else {
                    sources.add(unit(pkg, GradientTestEmitter.emit(m, pkg, JavaEmitter.className(m)), true));
                }
            }
        }
        if (!checkDistinct(source, analyzed.models(), sources, diagnostics)) {
            return new Result(List.of(), diagnostics);
        }
        return new Result(sources, diagnostics);
    }

    /** The f64 twins of the models (f32 read as f64), in the same order. */
    private static List<ModelGraph> twins(SourceFile source) {
        FrontEnd.Result twins = FrontEnd.analyze(source, true);
        if (!twins.ok()) {
            // Only element types differ from the checked models, so this would be a compiler bug.
            throw new IllegalStateException("internal compiler error: the f64 twin has errors:\n"
                    + twins.diagnostics().format());
        }
        return twins.models();
    }

    private static GeneratedSource unit(String pkg, JavaFile file, boolean test) {
        String simple = file.typeSpec().name();
        return new GeneratedSource(pkg.isEmpty() ? simple : pkg + "." + simple, file.toString(), test);
    }

    /** Reports (at the model) two models of one file that would become the same class; false if any did. */
    private static boolean checkDistinct(SourceFile source, List<ModelGraph> models, List<GeneratedSource> sources,
            Diagnostics diagnostics) {
        Map<String, Integer> seen = new HashMap<>();
        boolean ok = true;
        for (GeneratedSource s : sources) {
            if (seen.merge(s.qualifiedName(), 1, Integer::sum) == 2) {
                ModelGraph m = modelOf(models, s);
                diagnostics.error(m.span() != null ? m.span() : source.spanAt(0, 0), "model " + m.name() + ": another model of this file is also emitted as"
                        + " class " + s.qualifiedName() + "; rename one of them");
                ok = false;
            }
        }
        return ok;
    }

    /** The model a clashing unit came from (the last one whose class names it, for the error's position). */
    private static ModelGraph modelOf(List<ModelGraph> models, GeneratedSource s) {
        ModelGraph found = models.get(models.size() - 1);
        for (ModelGraph m : models) {
            String c = JavaEmitter.className(m);
            if (s.simpleName().equals(c) || s.simpleName().equals(GradientTestEmitter.twinClassName(m))
                    || s.simpleName().equals(GradientTestEmitter.testClassName(m))) {
                found = m;
            }
        }
        return found;
    }
}
