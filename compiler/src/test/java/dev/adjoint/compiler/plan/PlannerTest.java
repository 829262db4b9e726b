package dev.adjoint.compiler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.eval.Interpreter;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.opt.RandomModels;
import dev.adjoint.compiler.pass.GraphStats;
import dev.adjoint.compiler.plan.ExecutionPlan.Buffer;
import dev.adjoint.compiler.plan.ExecutionPlan.Kind;
import dev.adjoint.compiler.plan.ExecutionPlan.Step;
import dev.adjoint.compiler.show.MemoryDump;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.MemoryReport;
import dev.adjoint.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The execution plan: its invariants on every sample and on seeded random models (a value's buffer has its size
 * and type, values sharing a buffer never live at once, every value read was written before), the peak formula
 * is the sum of the buffers, and the generated class reports the same formula and holds exactly the planned bytes.
 */
class PlannerTest {
    static Stream<Arguments> models() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (var files = Files.list(Path.of("../samples/models"))) {
            for (Path p : files.sorted().toList()) {
                out.add(Arguments.of(p.getFileName().toString(), Files.readString(p)));
            }
        }
        for (long seed = 1; seed <= 20; seed++) {
            out.add(Arguments.of("random" + seed, RandomModels.model("Random" + seed, seed)));
        }
        return out.stream();
    }

    static List<CompiledModel> compile(String name, String text) {
        Compilation c = Compiler.compile(new SourceFile(name, text), Compiler.Options.of("gen.plan"));
        assertTrue(c.ok(), () -> c.diagnostics().format());
        return c.models();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void buffersAreSharedOnlyBetweenValuesThatNeverLiveAtOnce(String name, String text) {
        for (CompiledModel m : compile(name, text)) {
            ExecutionPlan plan = m.plan();
            Map<Buffer, List<int[]>> lives = new IdentityHashMap<>();
            List<Step> steps = plan.steps();
            Set<Node> written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (int p = 0; p < steps.size(); p++) {
                Step s = steps.get(p);
                if (s.kind() == Kind.ALIAS) {
                    continue;
                }
                for (Node n : s.written()) {           // the step's node, and the values a reduction also stores
                    Buffer b = plan.bufferOf().get(n);
                    assertNotNull(b, () -> n + " has no buffer");
                    assertEquals(n.dtype(), b.dtype(), () -> n + " in " + b);
                    assertEquals(n.shape().numel(), b.size(), () -> n + " in " + b);
                    int[] life = plan.lifetimes().get(n);
                    int step = p;
                    assertEquals(step, life[0], () -> n + " is defined in its step");
                    assertTrue(life[1] >= life[0], () -> n + " dies before it is born");
                    for (int[] other : lives.computeIfAbsent(b, k -> new ArrayList<>())) {
                        // a step may write the buffer of a value it is the last to read only if it is another step
                        assertTrue(life[0] > other[1] || other[0] > life[1],
                                () -> name + ": " + n + " overlaps another value in buf" + b.id());
                    }
                    lives.get(b).add(life);
                    written.add(n);
                }
                for (Node f : s.fused()) {
                    assertTrue(plan.inlined().contains(f), () -> f + " fused but not inlined");
                }
            }
            Poly sum = Poly.ZERO;
            for (Buffer b : plan.buffers()) {
                sum = sum.plus(b.size().times(Dim.of(GraphStats.elementBytes(b.dtype()))));
            }
            assertEquals(sum, plan.peakBytes());
            String dump = MemoryDump.text(plan);
            assertTrue(dump.contains("peak = " + plan.peakBytes() + " bytes"), dump);
            for (Buffer b : plan.buffers()) {
                assertTrue(dump.contains("buf" + b.id() + " "), dump);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void theOutputsStepsComeFirstAndReadOnlyThePredictionInputs(String name, String text) {
        for (CompiledModel m : compile(name, text)) {
            ExecutionPlan plan = m.plan();
            assertEquals(plan.forward().subList(0, plan.outputSteps()), plan.outputs());
            Set<Node> predictInputs = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            plan.predictInputs().forEach(in -> predictInputs.add(in.node()));
            Set<Node> computed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Step s : plan.outputs()) {
                List<Node> all = new ArrayList<>(s.fused());
                all.addAll(s.stores());
                all.add(s.node());
                computed.addAll(all);
                for (Node n : all) {
                    for (Node in : n.inputs()) {
                        assertFalse(in.op() instanceof dev.adjoint.compiler.ops.InputOp && !predictInputs.contains(in),
                                () -> name + ": prediction reads " + in + ", which it does not bind");
                        assertTrue(computed.contains(in) || in.inputs().isEmpty() || plan.inlined().contains(in),
                                () -> name + ": " + n + " reads " + in + " before the outputs' steps compute it");
                    }
                }
            }
            for (Graph.Output o : plan.graph().outputs()) {
                Node n = o.node();
                assertTrue(computed.contains(n) || n.inputs().isEmpty(), () -> name + ": output " + o.name()
                        + " is not computed by the outputs' steps");
            }
        }
    }

    @Test
    void predictionNeedsTheInputsTheOutputsReadAndNoLabels() {
        CompiledModel m = compile("p.model", """
                model P {
                  dim B
                  dim K
                  input x : f64[B, 3]
                  input y : i32[B]
                  input w : f64[K]
                  input t : f64[B]
                  param W : f64[3, 2] = normal(0, 1)
                  output o = x @ W
                  output s = sum(w * 0 + 1)
                  loss l = mean(cross_entropy(x @ W, y)) + sum(w) + mean(t)
                }
                """).get(0);
        assertEquals(List.of("x", "w"), m.plan().predictInputs().stream().map(Graph.Input::name).toList());
        AdjointModel model = m.load(1);
        assertEquals(List.of("x", "w"), model.predictInputs().stream().map(s -> s.name()).toList());
        var r = model.predict(Map.of("x", DoubleTensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3),
                "w", DoubleTensor.of(new double[4], 4)));
        assertEquals(4.0, r.output("s").getAsDouble(0));
        assertEquals(4, r.output("o").size());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.predict(Map.of("x", DoubleTensor.of(new double[6], 2, 3))));
        assertTrue(e.getMessage().contains("input w"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void theClassReportsThePlannedFormulaAndHoldsThePlannedBytes(String name, String text) {
        for (CompiledModel m : compile(name, text)) {
            AdjointModel model = m.load(7);
            MemoryReport before = model.memory();
            assertEquals(m.plan().peakBytes().toString(), before.formula());
            assertEquals(0, before.held(), "nothing held before the first call");
            long expected = 0;
            for (int size : new int[] {2, 5}) {
                Map<String, Integer> dims = new LinkedHashMap<>();
                m.front().dims().forEach(d -> dims.put(d, size));
                Map<String, Tensor> inputs = inputs(m, dims);
                if (model.hasLoss()) {
                    model.step(inputs);
                } else {
                    model.evaluate(inputs);
                }
                MemoryReport r = model.memory();
                assertEquals(m.plan().peakBytes().eval(dims), r.planned(dims), "the report evaluates the formula");
                expected += r.planned(dims);
                assertEquals(expected, r.held(), () -> "held for " + dims);
                if (dims.isEmpty()) {
                    break;
                }
            }
        }
    }

    /** Zeros of the declared shapes (label inputs zero too: a valid class). */
    static Map<String, Tensor> inputs(CompiledModel m, Map<String, Integer> dims) {
        Interpreter shapes = new Interpreter(dims);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Graph.Input in : m.front().inputs()) {
            int[] shape = shapes.concreteShape(in.node().shape());
            out.put(in.name(), switch (in.node().dtype()) {
                case F32 -> FloatTensor.zeros(shape);
                case F64 -> DoubleTensor.zeros(shape);
                case I32 -> IntTensor.zeros(shape);
                case BOOL -> throw new AssertionError("bool input");
            });
        }
        return out;
    }

    @Test
    void digitsPlanSharesBuffersAndFusesTheOneHotIntoTheSoftmaxGradient() throws IOException {
        CompiledModel m = compile("digits.model", Files.readString(Path.of("../samples/models/digits.model"))).get(0);
        ExecutionPlan plan = m.plan();
        assertTrue(plan.buffers().size() < plan.lifetimes().size(), "some values share a buffer");
        Step dlogits = plan.steps().stream().filter(s -> s.fused().size() >= 3).findFirst().orElseThrow();
        assertEquals(Kind.LOOP, dlogits.kind());
        assertFalse(plan.peakBytes().symbols().isEmpty(), "the peak grows with B");
    }
}
