package dev.adjoint.compiler.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.eval.Interpreter;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.pass.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Translation validation: every pass of the pipeline, on every sample model (its f64 twin) and on seeded random
 * models, leaves the outputs, the loss and every gradient unchanged, checked by evaluating the graph before and
 * after the pass with the reference interpreter at random points. In f64 the values agree to 1e-12 (relative to
 * their magnitude); the rules that may change rounding are named in {@link Simplify}.
 */
class TranslationValidationTest {
    private static final double TOLERANCE = 1e-12;
    private static final int LABELS = 3;

    static Stream<Arguments> models() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (var files = Files.list(Path.of("../samples/models"))) {
            for (Path p : files.sorted().toList()) {
                out.add(Arguments.of(p.getFileName().toString(), Files.readString(p)));
            }
        }
        for (long seed = 1; seed <= 40; seed++) {
            out.add(Arguments.of("random" + seed, RandomModels.model("Random" + seed, seed)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyPassKeepsEveryValue(String name, String text) {
        Compilation c = Compiler.compile(new SourceFile(name, text), Compiler.Options.defaults().withF64(true));
        assertTrue(c.ok(), () -> text + "\n" + c.diagnostics().format());
        for (CompiledModel m : c.models()) {
            List<Stage> stages = m.stages();
            Map<String, Integer> dims = new LinkedHashMap<>();
            m.front().dims().forEach(d -> dims.put(d, 3));
            Map<String, Integer> classes = m.front().labelClassCounts();
            for (int point = 0; point < 2; point++) {
                Map<String, NdArray> leaves = randomLeaves(m.front().graph(), dims, classes,
                        new Random(31L * name.hashCode() + point));
                Map<String, NdArray> before = evaluate(stages.get(1).graph(), dims, leaves);
                for (int i = 2; i < stages.size(); i++) {
                    Map<String, NdArray> after = evaluate(stages.get(i).graph(), dims, leaves);
                    compare(name + " after " + stages.get(i).name(), before, after);
                    before = after;
                }
            }
        }
    }

    /** Every root by name ({@code output o}, {@code loss l}, {@code gradient W}). */
    static Map<String, NdArray> evaluate(Graph g, Map<String, Integer> dims, Map<String, NdArray> byName) {
        Map<Node, NdArray> leaves = new LinkedHashMap<>();
        g.inputs().forEach(in -> leaves.put(in.node(), byName.get(in.name())));
        g.params().forEach(p -> leaves.put(p.node(), byName.get(p.name())));
        Map<String, Node> roots = new LinkedHashMap<>();
        g.outputs().forEach(o -> roots.put("output " + o.name(), o.node()));
        if (g.hasLoss()) {
            roots.put("loss " + g.loss().name(), g.loss().node());
        }
        g.gradients().forEach(d -> roots.put("gradient " + d.name(), d.adjoint()));
        List<Node> needed = new ArrayList<>();
        roots.values().stream().filter(n -> n != null).forEach(needed::add);
        Map<Node, NdArray> values = new Interpreter(dims).run(needed, leaves);
        Map<String, NdArray> out = new LinkedHashMap<>();
        roots.forEach((k, n) -> out.put(k, n == null ? null : values.get(n)));
        return out;
    }

    static void compare(String where, Map<String, NdArray> expected, Map<String, NdArray> actual) {
        assertEquals(expected.keySet(), actual.keySet(), where);
        expected.forEach((root, e) -> {
            NdArray a = actual.get(root);
            if (e == null || a == null) {
                assertEquals(e == null, a == null, where + ": " + root + " is zero on one side only");
                return;
            }
            assertEquals(List.of(box(e.shape())), List.of(box(a.shape())), where + ": " + root);
            for (int i = 0; i < e.size(); i++) {
                double x = e.data()[i];
                double y = a.data()[i];
                boolean same = Double.compare(x, y) == 0 || x == y
                        || Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.abs(x));
                if (!same) {
                    fail(where + ": " + root + " element " + i + " was " + x + ", is " + y);
                }
            }
        });
    }

    private static List<Integer> box(int[] shape) {
        List<Integer> l = new ArrayList<>();
        for (int s : shape) {
            l.add(s);
        }
        return l;
    }

    /** Floats in [-1, 1] (params) and [0.1, 1] (inputs), labels in [0, classes). */
    static Map<String, NdArray> randomLeaves(Graph g, Map<String, Integer> dims, Map<String, Integer> classes,
            Random rnd) {
        Interpreter shapes = new Interpreter(dims);
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (Graph.Input in : g.inputs()) {
            int[] shape = shapes.concreteShape(in.node().shape());
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = in.node().dtype() == DType.I32 ? rnd.nextInt(classes.getOrDefault(in.name(), LABELS))
                        : 0.1 + 0.9 * rnd.nextDouble();
            }
            out.put(in.name(), new NdArray(shape, v));
        }
        for (Graph.Param p : g.params()) {
            int[] shape = shapes.concreteShape(p.node().shape());
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = 2 * rnd.nextDouble() - 1;
            }
            out.put(p.name(), new NdArray(shape, v));
        }
        return out;
    }
}
