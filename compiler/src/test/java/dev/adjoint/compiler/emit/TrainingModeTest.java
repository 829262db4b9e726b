package dev.adjoint.compiler.emit;

import static dev.adjoint.compiler.emit.Harness.check;
import static dev.adjoint.compiler.emit.Harness.compile;
import static dev.adjoint.compiler.emit.Harness.dims;
import static dev.adjoint.compiler.emit.Harness.model;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.Mode;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.check.GradientCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dropout} and {@code batch_norm} in the generated code: in training mode (the masks of the model's step,
 * the batch's statistics) and in evaluation mode (no dropout, the running statistics the steps left) they agree with
 * the reference interpreter, step after step; their gradients are exact (finite differences of the same training
 * step, with its masks); each dropout call draws its own masks.
 */
class TrainingModeTest {
    private static final String F64 = """
            fn block(h) = dropout(relu(h), 0.3)
            model Regularized {
              dim B
              input grad x : f64[B, 6]
              input y : i32[B]
              param W : f64[6, 5] = normal(0, 0.5)
              param g : f64[5] = uniform(0.5, 1.5)
              param c : f64[5] = normal(0, 0.1)
              param V : f64[5, 3] = normal(0, 0.5)
              h1 = block(batch_norm(x @ W, g, c))
              h2 = dropout(h1, p=0.5)
              logits = h2 @ V
              output probs = softmax(logits, axis=-1)
              output kept = dropout(x, 0.25)
              loss l = mean(cross_entropy(logits, y))
            }
            """;

    @Test
    void agreesWithTheInterpreterInBothModesStepAfterStep() {
        ModelGraph m = model(F64);
        AdjointModel model = compile(m, 11);
        for (int step = 0; step < 4; step++) {
            assertEquals(step, model.trainingStep());
            check(model, m, dims("B", 4 + step), 100 + step, -1, 1, 3);   // one gradient call: one step
        }
    }

    @Test
    void agreesWithTheInterpreterInF32() {
        ModelGraph m = model(F64.replace("f64", "f32"));
        AdjointModel model = compile(m, 12);
        check(model, m, dims("B", 5), 1, -1, 1, 3);
        check(model, m, dims("B", 5), 2, -1, 1, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void gradientsAreExactUnderTheStepsMasks(long seed) {
        AdjointModel model = compile(model(F64), seed);
        GradientCheck.Result r = GradientCheck.run(model, GradientCheck.Options.seeded(seed)
                .withDims(Map.of("B", 5)).withClassCounts(Map.of("y", 3)));
        assertTrue(r.lossFinite());
        assertEquals(5, r.gradients().size(), "x, W, g, c, V");
        for (GradientCheck.GradientError e : r.gradients()) {
            assertTrue(e.within(GradientCheck.DEFAULT_TOLERANCE), e.describe());
        }
    }

    @Test
    void dropoutDropsAboutPAndScalesTheRestEachCallItsOwnMask() {
        AdjointModel model = compile(model("""
                model Drop {
                  dim N
                  input x : f64[N]
                  output a = dropout(x, 0.3)
                  output b = dropout(x, 0.3)
                  output none = dropout(x, 0)
                  output all = dropout(x, 1)
                }
                """), 5);
        int n = 20_000;
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 2.0);
        Map<String, Tensor> in = Map.of("x", DoubleTensor.of(ones, n));
        var training = model.forward(in, Mode.TRAINING);
        double[] a = ((DoubleTensor) training.output("a")).data();
        double[] b = ((DoubleTensor) training.output("b")).data();
        int dropped = 0;
        int differ = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(a[i] == 0 || Math.abs(a[i] - 2 / 0.7) < 1e-12, "kept elements are scaled by 1/(1-p): " + a[i]);
            dropped += a[i] == 0 ? 1 : 0;
            differ += (a[i] == 0) != (b[i] == 0) ? 1 : 0;
        }
        assertEquals(0.3, dropped / (double) n, 0.015, "the fraction dropped");
        assertEquals(2 * 0.3 * 0.7, differ / (double) n, 0.02, "two calls draw independent masks");
        assertArrayEquals(ones, ((DoubleTensor) training.output("none")).data());
        assertArrayEquals(new double[n], ((DoubleTensor) training.output("all")).data());
        var evaluation = model.forward(in);
        assertArrayEquals(ones, ((DoubleTensor) evaluation.output("a")).data(), "the identity in evaluation");
        assertArrayEquals(ones, ((DoubleTensor) model.predict(in).output("all")).data());
        // the same step, the same masks; a model without a loss never advances its step
        assertArrayEquals(a, ((DoubleTensor) model.forward(in, Mode.TRAINING).output("a")).data());
        model.setTrainingStep(1);
        assertFalse(java.util.Arrays.equals(a, ((DoubleTensor) model.forward(in, Mode.TRAINING).output("a")).data()));
    }

    @Test
    void aBadProbabilityIsAnErrorAtItsPlace() {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile("bad.model", """
                model Bad {
                  dim B
                  input x : f32[B, 4]
                  output o = dropout(x, 1.5)
                }
                """));
        assertFalse(r.ok());
        String text = r.diagnostics().format();
        assertTrue(text.contains("bad.model:4:25: error: dropout: p is the probability of dropping an element, so it"
                + " must be in [0, 1], got 1.5"), text);
    }

    @Test
    void batchNormsAreNamedAfterTheirGamma() {
        AdjointModel model = compile(model("""
                model Two {
                  dim B
                  input x : f64[B, 3]
                  param g1 : f64[3] = ones
                  param c1 : f64[3] = zeros
                  output a = batch_norm(x, g1, c1)
                  output b = batch_norm(x * 2, g1, c1)
                  output d = batch_norm(x, g1 * 2, c1)
                }
                """), 1);
        assertEquals(List.of("g1.running_mean", "g1.running_var", "g1_2.running_mean", "g1_2.running_var",
                "batch_norm.running_mean", "batch_norm.running_var"), List.copyOf(model.buffers().keySet()));
    }
}
