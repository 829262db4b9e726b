package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.ad.Autodiff;
import dev.adjoint.compiler.ad.Gradients;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.eval.Interpreter;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Mode;
import dev.adjoint.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Emit, compile in memory with -Xlint:all -Werror, run, and compare with the reference interpreter. */
final class Harness {
    static final String PACKAGE = "gen.models";

    private Harness() {
    }

    static ModelGraph model(String text) {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile("test.model", text));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        return r.models().get(0);
    }

    static ModelGraph sample(String file) throws IOException {
        Path p = Path.of("../samples/models", file);
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile(file, Files.readString(p)));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        return r.models().get(0);
    }

    /** The seed each model of {@link #compile} was made with: its dropout masks are drawn from it. */
    private static final Map<AdjointModel, Long> SEEDS = java.util.Collections.synchronizedMap(
            new java.util.WeakHashMap<>());

    static AdjointModel compile(ModelGraph m, long seed) {
        String src = CompiledModel.of(m, Compiler.Options.of(PACKAGE)).javaSource();
        try {
            AdjointModel model = new InMemoryCompiler("-Xlint:all", "-Werror").load(
                    PACKAGE + "." + Names.sanitize(m.name()), src, seed);
            SEEDS.put(model, seed);
            return model;
        } catch (InMemoryCompiler.CompilationException e) {
            throw new AssertionError(e.getMessage() + "\n" + numbered(src), e);
        }
    }

    static String numbered(String src) {
        StringBuilder b = new StringBuilder();
        String[] lines = src.split("\n");
        for (int i = 0; i < lines.length; i++) {
            b.append(i + 1).append(": ").append(lines[i]).append('\n');
        }
        return b.toString();
    }

    /** Random inputs: floats uniform in [lo, hi), i32 labels in [0, labels). */
    static Map<String, Tensor> inputs(ModelGraph m, Map<String, Integer> dims, long seed, double lo, double hi,
            int labels) {
        Interpreter shapes = new Interpreter(dims);
        Random r = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Graph.Input in : m.inputs()) {
            int[] shape = shapes.concreteShape(in.node().shape());
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            switch (in.node().dtype()) {
                case F32 -> {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) (lo + (hi - lo) * r.nextDouble());
                    }
                    out.put(in.name(), FloatTensor.of(v, shape));
                }
                case F64 -> {
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = lo + (hi - lo) * r.nextDouble();
                    }
                    out.put(in.name(), DoubleTensor.of(v, shape));
                }
                case I32 -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = r.nextInt(labels);
                    }
                    out.put(in.name(), IntTensor.of(v, shape));
                }
                default -> fail("input type " + in.node().dtype());
            }
        }
        return out;
    }

    static NdArray nd(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getAsDouble(i);
        }
        return new NdArray(t.shape(), d);
    }

    /** Compiles m, runs forward (and gradient when there is a loss), and compares every value. */
    static void check(ModelGraph m, Map<String, Integer> dims, double lo, double hi, int labels) {
        check(compile(m, 42), m, dims, 5, lo, hi, labels);
    }

    /** Runs {@code model}, compiled from m, on inputs drawn from {@code seed}, and compares every value. */
    static void check(AdjointModel model, ModelGraph m, Map<String, Integer> dims, long seed, double lo, double hi,
            int labels) {
        Map<String, Tensor> in = inputs(m, dims, seed, lo, hi, labels);
        double tol = m.params().stream().anyMatch(p -> p.node().dtype() == DType.F32)
                || m.inputs().stream().anyMatch(i -> i.node().dtype() == DType.F32) ? 1e-4 : 1e-10;
        Map<Node, NdArray> leaves = new HashMap<>();
        for (Graph.Input d : m.inputs()) {
            leaves.put(d.node(), nd(in.get(d.name())));
        }
        for (Graph.Param p : m.params()) {
            leaves.put(p.node(), nd(model.parameters().get(p.name())));
        }
        List<Node> roots = new ArrayList<>();
        m.outputs().forEach(o -> roots.add(o.node()));
        Gradients g = m.hasLoss() ? Autodiff.of(m.graph()) : null;
        if (g != null) {
            roots.add(m.loss().node());
            g.ofWrt().stream().filter(d -> d != null).forEach(roots::add);
        }
        // a training step: the forward pass in training mode (batch statistics, the dropout masks of the step)
        long noiseSeed = SEEDS.getOrDefault(model, 0L);
        Map<Node, NdArray> expected = new Interpreter(dims).withNoise(noiseSeed, model.trainingStep()).run(roots, leaves);
        ForwardResult f = model.forward(in, Mode.TRAINING);
        for (Graph.Output o : m.outputs()) {
            assertClose("output " + o.name(), expected.get(o.node()), f.output(o.name()), tol);
        }
        if (g == null) {
            assertTrue(f.loss().isEmpty());
            checkEvaluation(model, m, dims, in, leaves, tol);
            return;
        }
        double loss = expected.get(m.loss().node()).data()[0];
        assertClose("loss", loss, f.loss().getAsDouble(), tol);
        GradientResult gr = model.gradient(in);
        assertClose("gradient loss", loss, gr.loss(), tol);
        for (Graph.Output o : m.outputs()) {
            assertClose("gradient output " + o.name(), expected.get(o.node()), gr.outputs().get(o.name()), tol);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < g.wrt().size(); i++) {
            Node x = g.wrt().get(i);
            String name = nameOf(m, x);
            names.add(name);
            Node d = g.ofWrt().get(i);
            NdArray want = d == null ? new NdArray(nd(gr.gradient(name)).shape(),
                    new double[gr.gradient(name).size()]) : expected.get(d);
            assertClose("gradient " + name, want, gr.gradient(name), tol);
        }
        assertEquals(names, List.copyOf(gr.gradients().keySet()));
        checkEvaluation(model, m, dims, in, leaves, tol);
    }

    /**
     * Evaluation mode (running statistics, no dropout) and prediction: {@code forward} and {@code predict} (from
     * the inputs the outputs need alone) agree with the interpreter in evaluation mode given the model's buffers.
     */
    static void checkEvaluation(AdjointModel model, ModelGraph m, Map<String, Integer> dims, Map<String, Tensor> in,
            Map<Node, NdArray> leaves, double tol) {
        Map<String, double[]> state = new HashMap<>();
        model.buffers().forEach((name, t) -> state.put(name, nd(t).data()));
        List<Node> roots = new ArrayList<>();
        m.outputs().forEach(o -> roots.add(o.node()));
        if (m.hasLoss()) {
            roots.add(m.loss().node());
        }
        Map<Node, NdArray> expected = new Interpreter(dims).inMode(Mode.EVALUATION).withState(state)
                .run(roots, leaves);
        ForwardResult f = model.forward(in);
        Map<String, Tensor> needed = new LinkedHashMap<>();
        model.predictInputs().forEach(s -> needed.put(s.name(), in.get(s.name())));
        ForwardResult p = model.predict(needed);
        for (Graph.Output o : m.outputs()) {
            assertClose("evaluation output " + o.name(), expected.get(o.node()), f.output(o.name()), tol);
            assertClose("predicted output " + o.name(), expected.get(o.node()), p.output(o.name()), tol);
        }
        if (m.hasLoss()) {
            assertClose("evaluation loss", expected.get(m.loss().node()).data()[0], f.loss().getAsDouble(), tol);
        }
        assertTrue(p.loss().isEmpty(), "predict gives no loss");
    }

    static String nameOf(ModelGraph m, Node x) {
        for (Graph.Param p : m.params()) {
            if (p.node() == x) {
                return p.name();
            }
        }
        for (Graph.Input i : m.inputs()) {
            if (i.node() == x) {
                return i.name();
            }
        }
        throw new AssertionError(x.toString());
    }

    static void assertClose(String what, double expected, double actual, double tol) {
        assertTrue(Math.abs(expected - actual) <= tol * Math.max(1, Math.abs(expected)),
                () -> what + ": expected " + expected + ", got " + actual);
    }

    static void assertClose(String what, NdArray expected, Tensor actual, double tol) {
        NdArray a = nd(actual);
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(a.shape()),
                what + " shape");
        double scale = 1;
        for (double v : expected.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.data().length; i++) {
            double e = expected.data()[i];
            double x = a.data()[i];
            if (Math.abs(e - x) > tol * scale) {
                fail(what + "[" + i + "]: expected " + e + ", got " + x + " (tolerance " + tol * scale + ")");
            }
        }
    }

    static Map<String, Integer> dims(Object... kv) {
        Map<String, Integer> d = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return d;
    }
}
