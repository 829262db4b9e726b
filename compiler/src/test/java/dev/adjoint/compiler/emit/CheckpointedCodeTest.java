package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.opt.RandomModels;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recomputation changes memory, never results: the generated code of every sample (as written, f32, and as its f64
 * twin) and of seeded random models gives bit-identical losses, outputs and gradients under {@code sqrt} and a
 * budget as under {@code none}, on the same inputs and parameters; and what is recomputed is really recomputed
 * (the deep samples drop values and hold fewer bytes for the backward pass).
 */
class CheckpointedCodeTest {

    static Stream<String> samples() throws IOException {
        try (var files = Files.list(Path.of("../samples/models"))) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".model")).sorted().toList()
                    .stream();
        }
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 8);
    }

    private static ModelGraph analyze(String file, String text, boolean f64) {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile(file, text), f64);
        assertTrue(r.ok(), () -> r.diagnostics().format());
        return r.models().get(0);
    }

    private static AdjointModel load(CompiledModel c, long seed) {
        return new InMemoryCompiler().load(c.qualifiedClassName(), c.javaSource(), seed);
    }

    private static Map<String, Integer> dims(ModelGraph m, int value) {
        Map<String, Integer> d = new LinkedHashMap<>();
        m.graph().dims().forEach(s -> d.put(s, value));
        return d;
    }

    /** Compiles {@code m} under each policy and checks every result bit for bit against {@code none}. */
    private static void sameBits(ModelGraph m, Map<String, Integer> dims, int labels, boolean expectRecompute) {
        Compiler.Options base = Compiler.Options.of(Harness.PACKAGE).withPlanDims(dims);
        CompiledModel none = CompiledModel.of(m, base);
        if (!m.hasLoss()) {
            return;
        }
        long noneHeld = none.heldBytes(dims).peak();
        Map<String, Tensor> in = Harness.inputs(m, dims, 7, -1, 1, labels);
        AdjointModel noneLive = load(none, 3);
        GradientResult expected = noneLive.gradient(in);
        measuredWithinPlanned(noneLive, none, dims, m.name() + " under none");
        CompiledModel sqrt = CompiledModel.of(m, base.withCheckpoint(CheckpointPolicy.SQRT));
        long budget = Math.max(1, noneHeld * 3 / 4);
        for (CompiledModel c : List.of(sqrt, budgeted(m, base, budget, noneHeld))) {
            AdjointModel live = load(c, 3);
            GradientResult got = live.gradient(in);
            String what = m.name() + " under " + c.options().checkpoint();
            measuredWithinPlanned(live, c, dims, what);
            assertEquals(Double.doubleToRawLongBits(expected.loss()), Double.doubleToRawLongBits(got.loss()), what);
            expected.outputs().forEach((k, t) -> bits(t, got.outputs().get(k), what + ", output " + k));
            expected.gradients().forEach((k, t) -> bits(t, got.gradients().get(k), what + ", gradient " + k));
            assertTrue(c.heldBytes(dims).peak() <= noneHeld, what);
            if (c.options().checkpoint().kind() == CheckpointPolicy.Kind.BUDGET) {
                assertTrue(c.heldBytes(dims).peak() <= c.options().checkpoint().budgetBytes(), what);
            }
        }
        if (expectRecompute) {
            assertFalse(sqrt.checkpointing().recomputed().isEmpty(), m.name() + ": sqrt recomputes nothing");
            assertTrue(sqrt.heldBytes(dims).peak() < noneHeld, m.name() + ": sqrt holds no fewer bytes");
        }
    }

    /**
     * What the generated class measures over its own arrays (buffers holding forward values the backward pass
     * reads, from their step to their last backward read) is within what the planner counts, and so within the
     * budget: a held value never sits in a buffer larger than itself for longer than the plan says.
     */
    private static void measuredWithinPlanned(AdjointModel live, CompiledModel c, Map<String, Integer> dims,
            String what) {
        long measured = live.memory().heldForBackward();
        long planned = c.heldBytes(dims).peak();
        assertTrue(measured > 0 || planned == 0, what + ": nothing measured");
        assertTrue(measured <= planned, what + ": measured " + measured + " > planned " + planned);
        if (c.options().checkpoint().kind() == CheckpointPolicy.Kind.BUDGET) {
            assertTrue(planned <= c.options().checkpoint().budgetBytes(), what);
        }
    }

    /** Under {@code budget:} the {@code none} peak minus a quarter, or (if that cannot be met) under none's peak. */
    private static CompiledModel budgeted(ModelGraph m, Compiler.Options base, long budget, long noneHeld) {
        CompiledModel c = CompiledModel.of(m, base.withCheckpoint(CheckpointPolicy.budget(budget)));
        try {
            c.stages();
            return c;
        } catch (dev.adjoint.compiler.plan.CheckpointException e) {
            assertTrue(e.getMessage().contains("smallest feasible peak"), e.getMessage());
            return CompiledModel.of(m, base.withCheckpoint(CheckpointPolicy.budget(Math.max(1, noneHeld))));
        }
    }

    private static void bits(Tensor want, Tensor got, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int i = 0; i < want.size(); i++) {
            if (Double.doubleToRawLongBits(want.getAsDouble(i)) != Double.doubleToRawLongBits(got.getAsDouble(i))) {
                throw new AssertionError(what + ": element " + i + " is " + got.getAsDouble(i) + ", not "
                        + want.getAsDouble(i));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySampleGivesTheSameBitsUnderEveryPolicy(String file) throws IOException {
        String text = Files.readString(Path.of("../samples/models", file));
        boolean deep = file.contains("deep");
        for (boolean f64 : new boolean[] {false, true}) {
            ModelGraph m = analyze(file, text, f64);
            sameBits(m, dims(m, 3), 2, deep);
        }
    }

    /**
     * {@code batch_norm} and {@code dropout} recomputed in the backward pass: the copy of a batch norm does not update
     * the running statistics a second time, and the copy of a dropout draws the same mask. Under {@code sqrt} the
     * batch norm is recomputed, and after a training call the gradients and the running statistics are
     * {@code none}'s, bit for bit (under a budget too, whatever it recomputes).
     */
    @org.junit.jupiter.api.Test
    void recomputedBatchNormAndDropoutChangeNeitherGradientsNorStatistics() {
        ModelGraph m = analyze("deep_bn.model", """
                model DeepBn {
                  dim B
                  input x : f64[B, 8]
                  input y : f64[B, 8]
                  param W[8] : f64[8, 8] = glorot_uniform
                  param g : f64[8] = ones
                  param c : f64[8] = zeros
                  h = x
                  for i in 0..2 {
                    h = tanh(h @ W[i])
                  }
                  h = batch_norm(tanh(h @ W[3]), g, c)
                  for i in 4..5 {
                    h = tanh(h @ W[i])
                  }
                  h = dropout(tanh(h @ W[6]), 0.25)
                  h = tanh(h @ W[7])
                  loss l = mse(h, y)
                }
                """, false);
        Map<String, Integer> dims = dims(m, 5);
        Compiler.Options base = Compiler.Options.of(Harness.PACKAGE).withPlanDims(dims);
        Map<String, Tensor> in = Harness.inputs(m, dims, 7, -1, 1, 2);
        AdjointModel none = load(CompiledModel.of(m, base), 3);
        GradientResult expected = none.gradient(in);
        long noneHeld = CompiledModel.of(m, base).heldBytes(dims).peak();
        for (CheckpointPolicy p : List.of(CheckpointPolicy.SQRT, CheckpointPolicy.budget(noneHeld * 3 / 4))) {
            CompiledModel c = CompiledModel.of(m, base.withCheckpoint(p));
            assertFalse(c.checkpointing().recomputed().isEmpty(), p + " recomputes nothing");
            if (p == CheckpointPolicy.SQRT) {
                assertTrue(c.checkpointing().recomputed().keySet().stream()
                        .anyMatch(n -> n.op() instanceof dev.adjoint.compiler.ops.BatchNormOp), "sqrt keeps the batch norm");
            }
            AdjointModel model = load(c, 3);
            GradientResult got = model.gradient(in);
            expected.gradients().forEach((k, t) -> bits(t, got.gradients().get(k), p + ", gradient " + k));
            assertEquals(none.buffers().keySet(), model.buffers().keySet(), p.toString());
            none.buffers().forEach((k, t) -> bits(t, model.buffers().get(k), p + ", " + k + " after a step"));
        }
    }

    @ParameterizedTest(name = "random model {0}")
    @MethodSource("seeds")
    void randomModelsGiveTheSameBitsUnderEveryPolicy(long seed) {
        ModelGraph m = analyze("random.model", RandomModels.model("Random" + seed, seed), false);
        sameBits(m, Map.of("B", 4), 3, false);
    }
}
