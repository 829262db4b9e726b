package dev.adjoint.compiler;

import com.palantir.javapoet.JavaFile;
import dev.adjoint.compiler.ad.Differentiate;
import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.emit.GradientTestEmitter;
import dev.adjoint.compiler.emit.InMemoryCompiler;
import dev.adjoint.compiler.emit.JavaEmitter;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.GraphTooLargeException;
import dev.adjoint.compiler.opt.CommonSubexpressions;
import dev.adjoint.compiler.opt.DeadCode;
import dev.adjoint.compiler.opt.LayoutFold;
import dev.adjoint.compiler.opt.NanSafeMasks;
import dev.adjoint.compiler.opt.Simplify;
import dev.adjoint.compiler.pass.Pass;
import dev.adjoint.compiler.pass.Pipeline;
import dev.adjoint.compiler.pass.Stage;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import dev.adjoint.compiler.plan.Checkpoints;
import dev.adjoint.compiler.plan.ExecutionPlan;
import dev.adjoint.compiler.plan.HeldBytes;
import dev.adjoint.compiler.plan.Planner;
import dev.adjoint.runtime.AdjointModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One model of a {@link Compilation}: its front-end result, every stage of its graph, and its generated Java.
 * The pipeline and the Java are computed when first asked for, once.
 */
public final class CompiledModel {
    /** The stages {@link #stage} knows, by the names {@code show --stage} uses. */
    public static final List<String> STAGES = List.of("forward", "gradient", "optimized");

    private final ModelGraph front;
    private final Compiler.Options options;
    private final Supplier<CompiledModel> twin;
    private List<Stage> stages;
    private Checkpoints checkpoints;
    private ExecutionPlan plan;
    private JavaFile javaFile;
    private Map<String, byte[]> classFiles;
    private long emitNanos;

    CompiledModel(ModelGraph front, Compiler.Options options, Supplier<CompiledModel> twin) {
        this.front = front;
        this.options = options;
        this.twin = twin;
    }

    /**
     * The compiled form of a model the front end analyzed on its own (tests, tools); it has no f64 twin, so
     * {@code options} must not ask for gradient tests.
     */
    public static CompiledModel of(ModelGraph front, Compiler.Options options) {
        if (options.gradientTests()) {
            throw new IllegalArgumentException("gradient tests need the model's source: use Compiler.compile");
        }
        return new CompiledModel(front, options, () -> {
            throw new IllegalStateException("no twin");
        });
    }

    /** The passes every model goes through, in order. */
    static List<Pass> passes() {
        return List.of(new Differentiate(), new NanSafeMasks(), new Simplify(), new LayoutFold(),
                new Simplify("simplify-again"), new CommonSubexpressions(), new DeadCode());
    }

    /** The front end's result: the forward graph and the named values {@code check} prints. */
    public ModelGraph front() {
        return front;
    }

    /** The model's name as written. */
    public String name() {
        return front.name();
    }

    /** The simple name of its generated class. */
    public String className() {
        return JavaEmitter.className(front.name());
    }

    /** The class's qualified name in the compilation's package. */
    public String qualifiedClassName() {
        return options.packageName().isEmpty() ? className() : options.packageName() + "." + className();
    }

    /**
     * Every stage of the pipeline, {@code forward} first, then one per pass.
     *
     * @throws IllegalStateException for an internal compiler error (a pass that fails, or with
     *     {@link Compiler.Options#verify} a graph that breaks an invariant)
     * @throws ModelTooLargeException if the forward graph fits the node limit but the gradient does not
     */
    public synchronized List<Stage> stages() {
        if (stages == null) {
            List<Pass> passes = new ArrayList<>(passes());
            if (options.checkpoint().kind() != CheckpointPolicy.Kind.NONE) {
                checkpoints = new Checkpoints(options.checkpoint(), options.planDims());
                passes.add(checkpoints);
            }
            try {
                stages = new Pipeline(passes, options.verify()).run(front.graph());
            } catch (GraphTooLargeException e) {
                throw new ModelTooLargeException(tooLarge(front, e));
            }
        }
        return stages;
    }

    /**
     * What the checkpoint pass chose (kept and recomputed values, extra FLOPs), or null under
     * {@code --checkpoint none}, where every value the backward pass reads is kept.
     *
     * @throws dev.adjoint.compiler.plan.CheckpointException for a budget that cannot be met
     */
    public synchronized Checkpoints.Result checkpointing() {
        stages();
        return checkpoints == null ? null : checkpoints.result();
    }

    /** The options this model was compiled with. */
    public Compiler.Options options() {
        return options;
    }

    /**
     * The bytes of forward values held for the backward pass while each step runs, and their peak, for
     * {@code dims} (see {@link HeldBytes}).
     */
    public HeldBytes heldBytes(Map<String, ? extends Number> dims) {
        return HeldBytes.of(plan(), copies(), dims);
    }

    /** The backward pass's recomputed copies of forward values (none without checkpointing). */
    private java.util.Set<dev.adjoint.compiler.ir.Node> copies() {
        Checkpoints.Result r = checkpointing();
        return r == null ? java.util.Set.of() : r.copies();
    }

    /**
     * The error for a model whose forward graph fits the node limit but whose gradient does not (differentiation
     * adds its nodes to the same graph): at the model's loss.
     */
    private static Diagnostic tooLarge(ModelGraph m, GraphTooLargeException e) {
        return Diagnostic.error(m.hasLoss() ? m.loss().span() : m.span(), "model " + m.name() + " is too large: with"
                + " its gradient it would need more than " + e.limit() + " graph nodes (the forward pass alone fits)");
    }

    /**
     * The graph of the stage {@code name} as {@code show} names it: {@code forward} (the front end's graph),
     * {@code gradient} (with the backward pass; for a model without a loss, the forward graph) or
     * {@code optimized} (after every optimizer pass: what the Java is generated from).
     *
     * @throws IllegalArgumentException for another name
     */
    public Graph stage(String name) {
        switch (name) {
            case "forward":
                return stages().get(0).graph();
            case "gradient":
                return stageAfter("differentiate");
            case "optimized":
                return graph();
            default:
                throw new IllegalArgumentException("unknown stage '" + name + "'; the stages are "
                        + String.join(", ", STAGES));
        }
    }

    private Graph stageAfter(String pass) {
        for (Stage s : stages()) {
            if (s.name().equals(pass)) {
                return s.graph();
            }
        }
        throw new IllegalStateException("no pass " + pass + " in the pipeline");
    }

    /** The last stage's graph: what the Java is generated from. */
    public Graph graph() {
        List<Stage> all = stages();
        return all.get(all.size() - 1).graph();
    }

    /**
     * How the optimized graph runs: steps, fused loops, buffers, lifetimes and the planned peak bytes; the plan
     * the class is generated from and {@code show --stage memory} prints.
     */
    public synchronized ExecutionPlan plan() {
        if (plan == null) {
            plan = Planner.plan(graph());
        }
        return plan;
    }

    /**
     * The most buffers a generated class may hold. Each is a field of the class's {@code Workspace}, whose constant
     * pool javac limits to 65,535 entries; a stored value takes about 6.6 of them (measured: the chain
     * {@code h = tanh(h)} with a loss, 2,002 buffers in 13,278 entries; javac refuses 10,002 buffers, "too many
     * constants", and compiles 5,002). Past this the model is an error at its name, before the Java is emitted.
     */
    public static final int MAX_BUFFERS = 9_000;

    /**
     * The model's class.
     *
     * @throws ModelTooLargeException if the plan holds more than {@link #MAX_BUFFERS} buffers
     */
    public synchronized JavaFile javaFile() {
        if (javaFile == null) {
            ExecutionPlan p = plan();
            if (p.buffers().size() > MAX_BUFFERS) {
                throw new ModelTooLargeException(Diagnostic.error(front.span(), String.format(java.util.Locale.ROOT,
                        "model %s is too large to compile: its class would hold %,d stored values, and javac takes"
                        + " at most about %,d (the constant pool of a Java class); split it, or use fewer steps",
                        name(), p.buffers().size(), MAX_BUFFERS)));
            }
            long start = System.nanoTime();
            javaFile = JavaEmitter.emit(p, copies(), options.packageName(), className());
            emitNanos = System.nanoTime() - start;
        }
        return javaFile;
    }

    /** How long emitting the Java took (wall-clock nanoseconds), once {@link #javaFile} has run; else 0. */
    public synchronized long emitNanos() {
        return emitNanos;
    }

    /** The model's class as source text. */
    public String javaSource() {
        return javaFile().toString();
    }

    /**
     * The model's class, then, with {@link Compiler.Options#gradientTests} and a loss, its gradient test (and
     * the f64 twin the test checks, unless the model is all f64).
     */
    public List<GeneratedSource> sources() {
        List<GeneratedSource> out = new ArrayList<>();
        String pkg = options.packageName();
        out.add(unit(pkg, javaFile(), false));
        if (options.gradientTests() && front.hasLoss()) {
            if (GradientTestEmitter.needsTwin(front)) {
                CompiledModel t = twin.get();
                String twinClass = GradientTestEmitter.twinClassName(front);
                out.add(unit(pkg, JavaEmitter.emit(t.plan(), t.copies(), pkg, twinClass), true));
                out.add(unit(pkg, GradientTestEmitter.emit(t.front(), pkg, twinClass, options.testTolerance(),
                        options.testStep()), true));
            } else {
                out.add(unit(pkg, GradientTestEmitter.emit(front, pkg, className(), options.testTolerance(),
                        options.testStep()), true));
            }
        }
        return out;
    }

    private static GeneratedSource unit(String pkg, JavaFile file, boolean test) {
        String simple = file.typeSpec().name();
        return new GeneratedSource(pkg.isEmpty() ? simple : pkg + "." + simple, file.toString(), test);
    }

    /**
     * The model's class compiled in memory (against the runtime on the class path) and instantiated with
     * parameters initialized from {@code seed}.
     *
     * @throws InMemoryCompiler.CompilationException if javac rejects the generated source (a compiler bug)
     */
    public AdjointModel load(long seed) {
        return InMemoryCompiler.instantiate(classFiles(), qualifiedClassName(), seed);
    }

    /**
     * The model's class compiled in memory against the runtime on the class path: binary name to class file bytes
     * (the class and its nested classes), compiled once. A distributed trainer ships these to its workers.
     *
     * @throws InMemoryCompiler.CompilationException if javac rejects the generated source (a compiler bug)
     * @throws ModelTooLargeException if javac refuses the class for its size
     */
    public synchronized Map<String, byte[]> classFiles() {
        if (classFiles == null) {
            String source = javaSource();
            try {
                classFiles = Map.copyOf(new InMemoryCompiler().compile(qualifiedClassName(), source));
            } catch (InMemoryCompiler.CompilationException e) {
                String m = String.valueOf(e.getMessage());
                String limit = m.contains("too many constants") ? "too many constants"
                        : m.contains("code too large") ? "code too large" : null;
                if (limit == null) {
                    throw e; // javac refusing generated code for another reason is a compiler bug
                }
                throw new ModelTooLargeException(Diagnostic.error(front.span(), String.format(java.util.Locale.ROOT,
                        "model %s is too large to compile: javac refuses its class (%s; %,d lines, %,d stored"
                        + " values)", name(), limit, source.lines().count(), plan().buffers().size())));
            }
        }
        return classFiles;
    }
}
