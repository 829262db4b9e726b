package dev.adjoint.compiler.fuzz;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.GeneratedSource;
import dev.adjoint.compiler.ModelTooLargeException;
import dev.adjoint.compiler.GeneratedTests;
import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.emit.InMemoryCompiler;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every input of the fuzzer must do. A model the front end refuses has only positioned diagnostics
 * ({@code file:line:col: error: ...} inside the file, nothing unprintable); a model it accepts is generated,
 * compiled by javac (in batches, to keep the run short), loaded and, when small, run forward and backward on
 * seeded inputs. Anything else (a throwable from the compiler, javac refusing generated code, a crash of
 * generated code other than the documented {@code IllegalArgumentException}) is a finding.
 */
final class FuzzOracle {
    /** An input that broke a rule, with what happened. */
    record Finding(String name, String source, String problem) {
        @Override
        public String toString() {
            return "--- " + name + ": " + problem + "\n" + source + (source.endsWith("\n") ? "" : "\n") + "---";
        }
    }

    /** The node count above which javac is not tried: the emitter's size limits are issue 15, item 4. */
    static final int JAVAC_NODE_LIMIT = 2_000;
    /** The node count above which the emitter is not tried either (javac refuses about 20,000 today). */
    static final int EMIT_NODE_LIMIT = 40_000;
    /** The longest the compiler may take on one input. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(60);
    /** Models whose params take more than this are compiled but not constructed. */
    private static final long MAX_PARAM_BYTES = 64L << 20;
    /** Models whose values take more than this (at dims of 2) are constructed but not run. */
    private static final double MAX_RUN_ELEMENTS = 2e6;
    private static final int BATCH = 25;

    private static final Pattern HEADER = Pattern.compile("(.*):(\\d+):(\\d+): (error|warning|note): .+");

    private final List<Finding> findings = new ArrayList<>();
    private ExecutorService worker = newWorker();
    private final Map<String, Pending> batch = new LinkedHashMap<>();
    private int accepted;
    private int rejected;
    private int compiled;
    private int ran;
    private int tooLargeForJavac;

    /** An accepted model waiting for javac. */
    private record Pending(String name, String source, List<GeneratedSource> units, List<ModelGraph> graphs) {
    }

    /** What the compiler made of one input: its diagnostics, or its models and (unless too large) their Java. */
    private record Outcome(SourceFile file, Compilation result, List<GeneratedSource> units, Diagnostics tooLarge) {
    }

    List<Finding> findings() {
        return findings;
    }

    String summary() {
        return accepted + " accepted (" + compiled + " compiled by javac, " + ran + " run, " + tooLargeForJavac
                + " too large to try javac on), " + rejected + " rejected with positioned errors, " + findings.size()
                + " findings";
    }

    /**
     * Checks one input; accepted models are compiled when the batch is full or at {@link #flush()}. An input the
     * compiler takes more than {@link #TIME_LIMIT} on is a finding (its thread is left to finish on its own).
     */
    void check(String name, String source) {
        Future<Outcome> run = worker.submit(() -> compile(name, source));
        Outcome out;
        try {
            out = run.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            findings.add(new Finding(name, source, "the compiler took more than " + TIME_LIMIT.toSeconds() + " s"));
            return;
        } catch (ExecutionException e) {
            findings.add(new Finding(name, source, "the compiler threw " + stackTrace(e.getCause())));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        SourceFile file = out.file();
        Diagnostics refused = !out.result().ok() ? out.result().diagnostics() : out.tooLarge();
        if (refused != null) { // refused by the front end, or past the node limit with its gradient
            rejected++;
            checkDiagnostics(name, source, file, refused.sorted(), refused.format());
            return;
        }
        accepted++;
        List<ModelGraph> graphs = out.result().models().stream().map(CompiledModel::front).toList();
        if (out.units() == null || graphs.stream().anyMatch(m -> m.nodes().size() > JAVAC_NODE_LIMIT)) {
            tooLargeForJavac++;
            return;
        }
        batch.put(name, new Pending(name, source, out.units(), graphs));
        if (batch.size() >= BATCH) {
            flush();
        }
    }

    /**
     * The compiler's outcome: the front end first; the Java of a model too large for javac by far is not emitted
     * (javac's size limit is an error at the model of its own, checked by the emitter tests).
     */
    private static Outcome compile(String name, String source) {
        SourceFile file = new SourceFile(name + ".model", source);
        String pkg = "fuzz." + name.replaceAll("[^A-Za-z0-9]", "_").toLowerCase(java.util.Locale.ROOT);
        Compilation result = Compiler.compile(file, Compiler.Options.of(pkg));
        if (!result.ok()) {
            return new Outcome(file, result, null, null);
        }
        try {
            for (CompiledModel m : result.models()) {
                m.stages(); // differentiation: a gradient past the node limit is an error at the model
            }
            if (result.models().stream().anyMatch(m -> m.front().nodes().size() > EMIT_NODE_LIMIT)) {
                return new Outcome(file, result, null, null);
            }
            return new Outcome(file, result, result.sources(), null);
        } catch (ModelTooLargeException e) {
            Diagnostics d = new Diagnostics();
            d.add(e.diagnostic());
            return new Outcome(file, result, null, d);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-compiler");
            t.setDaemon(true);
            return t;
        });
    }

    private void checkDiagnostics(String name, String source, SourceFile file, List<Diagnostic> diagnostics,
            String formatted) {
        if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
            findings.add(new Finding(name, source, "refused without an error"));
        }
        for (Diagnostic d : diagnostics) {
            Matcher m = HEADER.matcher(d.header());
            if (!m.matches() || !m.group(1).equals(file.name())) {
                findings.add(new Finding(name, source, "not a file:line:col diagnostic: " + d.header()));
                continue;
            }
            int line = Integer.parseInt(m.group(2));
            int column = Integer.parseInt(m.group(3));
            if (line < 1 || line > file.lineCount() || column < 1 || column > file.line(line).length() + 2) {
                findings.add(new Finding(name, source, "a diagnostic outside the file: " + d.header()));
            }
        }
        if (formatted.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) { // tabs keep the caret aligned
            findings.add(new Finding(name, source, "a control character in the printed diagnostics"));
        }
    }

    /** Compiles the waiting models with javac, loads and runs them. */
    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, String> units = new LinkedHashMap<>();
        batch.values().forEach(p -> p.units().forEach(u -> units.put(u.qualifiedName(), u.text())));
        Map<String, byte[]> classes;
        try {
            classes = new InMemoryCompiler().compile(units, GeneratedTests.runtimeOnly());
        } catch (InMemoryCompiler.CompilationException e) {
            classes = new LinkedHashMap<>();
            for (Pending p : batch.values()) { // one by one, to name the models javac refuses
                Map<String, String> one = new LinkedHashMap<>();
                p.units().forEach(u -> one.put(u.qualifiedName(), u.text()));
                try {
                    classes.putAll(new InMemoryCompiler().compile(one, GeneratedTests.runtimeOnly()));
                } catch (InMemoryCompiler.CompilationException single) {
                    findings.add(new Finding(p.name(), p.source(), "javac refused the generated code: "
                            + single.getMessage()));
                }
            }
        }
        ClassLoader loader = GeneratedTests.loader(classes);
        for (Pending p : batch.values()) {
            for (int i = 0; i < p.graphs().size(); i++) {
                String className = p.units().get(i).qualifiedName();
                if (!classes.containsKey(className)) {
                    continue;
                }
                compiled++;
                try {
                    load(loader, className, p.graphs().get(i));
                } catch (Throwable t) {
                    findings.add(new Finding(p.name(), p.source(), className + " failed: " + stackTrace(t)));
                }
            }
        }
        batch.clear();
    }

    private void load(ClassLoader loader, String className, ModelGraph graph) throws Exception {
        long paramBytes = 0;
        for (Graph.Param d : graph.params()) {
            paramBytes += d.node().shape().numel().size() * (d.node().dtype() == DType.F64 ? 8L : 4L);
        }
        if (paramBytes > MAX_PARAM_BYTES) {
            return;
        }
        AdjointModel model = (AdjointModel) loader.loadClass(className).getConstructor(long.class).newInstance(7L);
        double work = 0;
        for (Node n : graph.nodes()) {
            double size = 1;
            for (var d : n.shape().dims()) {
                size *= d.coefficient() * Math.pow(2, d.symbols().size());
            }
            work += size;
        }
        if (work > MAX_RUN_ELEMENTS) {
            return;
        }
        Map<String, Tensor> inputs = inputs(model, graph.labelClassCounts());
        try {
            if (model.hasLoss()) {
                model.gradient(inputs);
            } else {
                model.forward(inputs);
            }
        } catch (IllegalArgumentException documented) {
            // a runtime check (an index out of range in take, a label out of range): documented behaviour
        }
        ran++;
    }

    /** Seeded inputs: every dim 2, floats in [-1, 1], labels in range (2 classes where unknown). */
    private static Map<String, Tensor> inputs(AdjointModel model, Map<String, Integer> classes) {
        SplittableRandom random = new SplittableRandom(11);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (InputSpec s : model.inputs()) {
            int[] shape = new int[s.rank()];
            for (int i = 0; i < shape.length; i++) {
                Dim d = s.dims().get(i);
                shape[i] = d instanceof Dim.Fixed f ? f.size() : d instanceof Dim.Named ? 2
                        : ((Dim.Product) d).coefficient() * (1 << ((Dim.Product) d).names().size());
            }
            if (s.elementType() == ElementType.I32) {
                IntTensor t = IntTensor.zeros(shape);
                int n = classes.getOrDefault(s.name(), 2);
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = random.nextInt(n);
                }
                inputs.put(s.name(), t);
            } else if (s.elementType() == ElementType.F64) {
                DoubleTensor t = DoubleTensor.zeros(shape);
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = random.nextDouble(-1, 1);
                }
                inputs.put(s.name(), t);
            } else {
                FloatTensor t = FloatTensor.zeros(shape);
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = (float) random.nextDouble(-1, 1);
                }
                inputs.put(s.name(), t);
            }
        }
        return inputs;
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }
}
