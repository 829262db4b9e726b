package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Models compiled from source by the front end, evaluated end to end against hand-written loops. */
class ModelsTest {

    private static ModelGraph compile(String text) {
        FrontEnd.Result result = FrontEnd.analyze(new SourceFile("t.model", text));
        assertTrue(result.ok(), () -> result.diagnostics().toString());
        assertEquals(1, result.models().size());
        return result.models().get(0);
    }

    /** Deterministic values in [-1, 1] that differ from element to element. */
    private static NdArray wiggle(double seed, int... shape) {
        NdArray a = NdArray.zeros(shape);
        for (int i = 0; i < a.size(); i++) {
            a.data()[i] = Math.sin(seed + 1.7 * i + 0.01 * i * i);
        }
        return a;
    }

    private static Node input(ModelGraph m, String name) {
        return m.inputs().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow().node();
    }

    private static Node param(ModelGraph m, String name) {
        return m.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().node();
    }

    @Test
    void digitsMlpOnABatchOfTwo() {
        ModelGraph m = compile("""
                model DigitsMlp {
                  dim B
                  input  x  : f32[B, 64]
                  input  y  : i32[B]
                  param  W1 : f32[64, 32] = he_normal
                  param  b1 : f32[32]     = zeros
                  param  W2 : f32[32, 10] = glorot_uniform
                  param  b2 : f32[10]     = zeros

                  h      = relu(x @ W1 + b1)
                  logits = h @ W2 + b2
                  output probs = softmax(logits, axis=-1)
                  loss   nll   = mean(cross_entropy(logits, y))
                }
                """);
        NdArray x = wiggle(0, 2, 64);
        NdArray y = NdArray.vector(3, 7);
        NdArray w1 = wiggle(1, 64, 32);
        NdArray b1 = wiggle(2, 32);
        NdArray w2 = wiggle(3, 32, 10);
        NdArray b2 = wiggle(4, 10);
        Map<Node, NdArray> leaves = new HashMap<>();
        leaves.put(input(m, "x"), x);
        leaves.put(input(m, "y"), y);
        leaves.put(param(m, "W1"), w1);
        leaves.put(param(m, "b1"), b1);
        leaves.put(param(m, "W2"), w2);
        leaves.put(param(m, "b2"), b2);
        Node probs = m.outputs().get(0).node();
        Node nll = m.loss().node();
        Map<Node, NdArray> values = new Interpreter(Map.of("B", 2)).run(List.of(probs, nll), leaves);

        double[][] expectedProbs = new double[2][10];
        double loss = 0;
        for (int r = 0; r < 2; r++) {
            double[] h = new double[32];
            for (int j = 0; j < 32; j++) {
                double s = b1.get(j);
                for (int k = 0; k < 64; k++) {
                    s += x.get(r, k) * w1.get(k, j);
                }
                h[j] = Math.max(s, 0);
            }
            double[] logits = new double[10];
            double total = 0;
            for (int c = 0; c < 10; c++) {
                double s = b2.get(c);
                for (int j = 0; j < 32; j++) {
                    s += h[j] * w2.get(j, c);
                }
                logits[c] = s;
                total += Math.exp(s);
            }
            for (int c = 0; c < 10; c++) {
                expectedProbs[r][c] = Math.exp(logits[c]) / total;
            }
            loss += (Math.log(total) - logits[(int) y.get(r)]) / 2;
        }
        assertClose(NdArray.matrix(expectedProbs), values.get(probs), 1e-12);
        Fixture.assertScalar(loss, values.get(nll), 1e-12);
    }

    @Test
    void rosenbrockWithSlices() {
        ModelGraph m = compile("""
                model Rosenbrock {
                  const N = 1000
                  param x : f64[N] = uniform(-2, 2)
                  head = x[:-1]
                  tail = x[1:]
                  loss f = sum(100 * (tail - head^2)^2 + (1 - head)^2)
                }
                """);
        NdArray x = wiggle(5, 1000);
        double expected = 0;
        for (int i = 0; i < 999; i++) {
            double a = x.get(i + 1) - x.get(i) * x.get(i);
            expected += 100 * a * a + (1 - x.get(i)) * (1 - x.get(i));
        }
        NdArray f = new Interpreter(Map.of()).eval(m.loss().node(), Map.of(param(m, "x"), x));
        Fixture.assertScalar(expected, f, 1e-9);
        NdArray ones = NdArray.zeros(1000);
        java.util.Arrays.fill(ones.data(), 1);
        Fixture.assertScalar(0, new Interpreter(Map.of()).eval(m.loss().node(), Map.of(param(m, "x"), ones)), 0);
    }

    @Test
    void projectileWithScalarInputs() {
        ModelGraph m = compile("""
                model Projectile {
                  const g = 9.81
                  input grad speed : f64[]
                  input grad angle : f64[]
                  input height     : f64[]
                  vx = speed * cos(angle)
                  vy = speed * sin(angle)
                  t  = (vy + sqrt(vy^2 + 2 * g * height)) / g
                  output distance = vx * t
                  loss d = -distance
                }
                """);
        double speed = 20;
        double angle = 0.6;
        double height = 1.5;
        Map<Node, NdArray> leaves = Map.of(input(m, "speed"), NdArray.scalar(speed), input(m, "angle"),
                NdArray.scalar(angle), input(m, "height"), NdArray.scalar(height));
        double vy = speed * Math.sin(angle);
        double t = (vy + Math.sqrt(vy * vy + 2 * 9.81 * height)) / 9.81;
        double distance = speed * Math.cos(angle) * t;
        NdArray d = new Interpreter(Map.of()).eval(m.loss().node(), leaves);
        Fixture.assertScalar(-distance, d, 1e-12);
    }
}
