package dev.adjoint.compiler;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.emit.GradientTestEmitter;
import dev.adjoint.compiler.emit.JavaEmitter;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import dev.adjoint.runtime.check.GradientCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.lang.model.SourceVersion;

/**
 * The compiler as one call, used by every door (the command line, the annotation processor, the Maven plugin,
 * the tests): a model source in; its diagnostics, every stage of each model's graph and the generated Java out.
 *
 * <pre>
 *   source → AST → forward Graph            (front end: {@link FrontEnd})
 *          → differentiate → gradient Graph  (the pass pipeline: {@link CompiledModel#stages()})
 *          → Java                            ({@link CompiledModel#javaSource()})
 * </pre>
 *
 * The front end runs at once; each model's pipeline and Java run when first asked for.
 */
public final class Compiler {

    /** Whether pipelines verify every stage by default: {@code -Dadjoint.verify=true} (the test suites set it). */
    public static final boolean VERIFY_BY_DEFAULT = Boolean.getBoolean("adjoint.verify");

    private Compiler() {
    }

    /**
     * What to compile and generate.
     *
     * @param packageName the Java package of the generated classes; {@code ""} is the default package
     * @param gradientTests also emit, for every model with a loss, a JUnit 5 test that checks its gradient
     *     against central finite differences ({@code FooGradientTest}, with the f64 twin {@code FooF64Twin} it
     *     checks unless the model is all f64; both are {@link GeneratedSource#test() test} sources)
     * @param f64 compile the f64 twin of every model: every {@code f32} read as {@code f64} (the same graph in
     *     double precision, on which gradients are checked tightly)
     * @param verify check the graph's invariants after every pass (a compiler bug then fails at once, naming the
     *     pass)
     * @param checkpoint which forward values the gradient keeps and which it recomputes ({@code --checkpoint})
     * @param planDims values of the dims to plan memory for ({@code --plan-dims B=64}): what a checkpoint budget
     *     is measured at, and what {@code show --stage memory} evaluates its byte counts for
     * @param testTolerance the largest relative error the gradient test accepts
     * @param testStep the first central difference's step in the gradient test, relative to {@code max(1, |x|)}
     */
    public record Options(String packageName, boolean gradientTests, boolean f64, boolean verify,
            CheckpointPolicy checkpoint, Map<String, Integer> planDims, double testTolerance, double testStep) {
        /**
         * @throws IllegalArgumentException if {@code packageName} is neither empty nor a valid package name, the
         *     tolerance is negative or not finite, or the step is not in (0, 0.1]
         */
        public Options {
            Objects.requireNonNull(packageName, "packageName");
            if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
                throw new IllegalArgumentException("'" + packageName + "' is not a valid Java package name");
            }
            Objects.requireNonNull(checkpoint, "checkpoint");
            planDims = Map.copyOf(planDims);
            if (!(testTolerance >= 0) || Double.isInfinite(testTolerance)) {
                throw new IllegalArgumentException("the gradient test's tolerance must be a finite number >= 0, got "
                        + testTolerance);
            }
            if (!(testStep > 0 && testStep <= 0.1)) {
                throw new IllegalArgumentException("the gradient test's step must be above 0 and at most 0.1, got "
                        + testStep);
            }
        }

        /**
         * Model classes only, in the default package, f32 as written, verifying as {@link #VERIFY_BY_DEFAULT}; the
         * gradient test's tolerance and step are {@link GradientCheck}'s defaults.
         */
        public static Options defaults() {
            return new Options("", false, false, VERIFY_BY_DEFAULT, CheckpointPolicy.NONE, Map.of(),
                    GradientCheck.DEFAULT_TOLERANCE, GradientCheck.STEP);
        }

        /** Model classes only, in {@code packageName}. */
        public static Options of(String packageName) {
            return defaults().withPackage(packageName);
        }

        public Options withPackage(String p) {
            return new Options(p, gradientTests, f64, verify, checkpoint, planDims, testTolerance, testStep);
        }

        public Options withGradientTests(boolean on) {
            return new Options(packageName, on, f64, verify, checkpoint, planDims, testTolerance, testStep);
        }

        public Options withF64(boolean on) {
            return new Options(packageName, gradientTests, on, verify, checkpoint, planDims, testTolerance, testStep);
        }

        public Options withVerify(boolean on) {
            return new Options(packageName, gradientTests, f64, on, checkpoint, planDims, testTolerance, testStep);
        }

        public Options withCheckpoint(CheckpointPolicy policy) {
            return new Options(packageName, gradientTests, f64, verify, policy, planDims, testTolerance, testStep);
        }

        public Options withPlanDims(Map<String, Integer> dims) {
            return new Options(packageName, gradientTests, f64, verify, checkpoint, dims, testTolerance, testStep);
        }

        /** The gradient test's tolerance and first step (see the record's parameters). */
        public Options withGradientTest(double tolerance, double step) {
            return new Options(packageName, gradientTests, f64, verify, checkpoint, planDims, tolerance, step);
        }
    }

    /**
     * Analyzes {@code source}: parses and elaborates every model (reporting every error), and checks that the
     * models' classes will not clash. Never throws for a bad model: everything wrong with it is a diagnostic,
     * and then the compilation has no models.
     *
     * @throws IllegalStateException only for an internal compiler error
     */
    public static Compilation compile(SourceFile source, Options options) {
        FrontEnd.Result analyzed = FrontEnd.analyze(source, options.f64());
        Diagnostics diagnostics = analyzed.diagnostics();
        if (!analyzed.ok()) {
            return new Compilation(source, options, diagnostics, List.of());
        }
        List<CompiledModel> models = new ArrayList<>();
        Supplier<Compilation> twins = memoize(() -> twins(source, options));
        for (ModelGraph m : analyzed.models()) {
            models.add(new CompiledModel(m, options, () -> twins.get().model(m.name())));
        }
        if (!checkDistinct(source, models, options, diagnostics)) {
            return new Compilation(source, options, diagnostics, List.of());
        }
        return new Compilation(source, options, diagnostics, models);
    }

    /** The f64 twins of the models (f32 read as f64), for the gradient tests. */
    private static Compilation twins(SourceFile source, Options options) {
        Options o = options.withF64(true).withGradientTests(false);
        if (o.checkpoint().kind() == CheckpointPolicy.Kind.BUDGET) {
            // every f32 value of the twin takes twice the bytes: the same placement fits twice the budget
            o = o.withCheckpoint(CheckpointPolicy.budget(Math.multiplyHigh(o.checkpoint().budgetBytes(), 2) != 0
                    ? Long.MAX_VALUE : o.checkpoint().budgetBytes() * 2));
        }
        Compilation twins = compile(source, o);
        if (!twins.ok()) {
            // Only element types differ from the checked models, so this would be a compiler bug.
            throw new IllegalStateException("internal compiler error: the f64 twin has errors:\n"
                    + twins.diagnostics().format());
        }
        return twins;
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    /** Reports (at the model) two models of one file that would become the same class; false if any did. */
    private static boolean checkDistinct(SourceFile source, List<CompiledModel> models, Options options,
            Diagnostics diagnostics) {
        Map<String, CompiledModel> seen = new HashMap<>();
        boolean ok = true;
        for (CompiledModel m : models) {
            List<String> classes = new ArrayList<>(List.of(m.className()));
            if (options.gradientTests() && m.front().hasLoss()) {
                classes.add(GradientTestEmitter.testClassName(m.front()));
                if (GradientTestEmitter.needsTwin(m.front())) {
                    classes.add(GradientTestEmitter.twinClassName(m.front()));
                }
            }
            for (String c : classes) {
                CompiledModel before = seen.putIfAbsent(c, m);
                if (before != null && before != m) {
                    String qualified = options.packageName().isEmpty() ? c : options.packageName() + "." + c;
                    diagnostics.error(m.front().span() != null ? m.front().span() : source.spanAt(0, 0), "model "
                            + m.name() + ": another model of this file is also emitted as class " + qualified
                            + "; rename one of them");
                    ok = false;
                }
            }
        }
        return ok;
    }

    /** The simple name of the class generated for the model named {@code model}. */
    public static String className(String model) {
        return JavaEmitter.className(model);
    }
}
