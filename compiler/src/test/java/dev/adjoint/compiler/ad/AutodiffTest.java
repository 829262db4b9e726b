package dev.adjoint.compiler.ad;

import static dev.adjoint.compiler.ad.GradCheck.ANY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.eval.Interpreter;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The driver: fan-out, symbolic zeros, what gets no gradient, kink conventions, whole models, second order. */
class AutodiffTest {

    private static Node input(ModelGraph m, String name) {
        return m.inputs().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow().node();
    }

    private static Node param(ModelGraph m, String name) {
        return m.params().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().node();
    }

    /** The adjoint of each {@code input grad}, evaluated at the given values. */
    private static Map<Node, NdArray> gradients(ModelGraph m, Map<String, NdArray> values) {
        Map<Node, NdArray> leaves = new HashMap<>();
        values.forEach((name, v) -> leaves.put(input(m, name), v));
        return GradCheck.adjointValues(Autodiff.of(m.graph()), Map.of(), leaves);
    }

    @Test
    void fanOutSumsTheContributions() {
        ModelGraph m = GradCheck.body("input grad x : f64[3]\nloss = sum(x * x + sin(x))");
        NdArray x = NdArray.vector(0.5, -1, 2);
        NdArray dx = gradients(m, Map.of("x", x)).get(input(m, "x"));
        for (int i = 0; i < 3; i++) {
            double v = x.data()[i];
            assertEquals(2 * v + Math.cos(v), dx.data()[i], 1e-12);
        }
        Node adjoint = Autodiff.of(m.graph()).of(input(m, "x"));
        assertTrue(adjoint.op() instanceof BinaryOp b && b.fn() == BinaryFn.ADD, adjoint.toString());
    }

    @Test
    void aParamOffTheLossPathHasASymbolicZeroGradient() {
        ModelGraph m = GradCheck.body("""
                input x : f64[2]
                param W : f64[2] = ones
                param unused : f64[2] = zeros
                param onlyOutput : f64[2] = ones
                output o = x * onlyOutput
                loss = sum(x * W)
                """);
        Gradients g = Autodiff.of(m.graph());
        assertNotNull(g.of(param(m, "W")));
        assertNull(g.of(param(m, "unused")));
        assertTrue(g.isZero(param(m, "onlyOutput")));
        assertEquals(List.of(param(m, "W"), param(m, "unused"), param(m, "onlyOutput")), g.wrt());
        assertTrue(g.ofWrt().get(1) == null && g.ofWrt().get(2) == null);
        assertTrue(g.isZero(input(m, "x")), "x is not a requested variable");
    }

    @Test
    void integerInputsAndMasksGetNoGradient() {
        ModelGraph m = GradCheck.body("""
                input grad x : f64[3]
                input n : i32[3]
                loss = sum(x * cast(n, f64) + where(x > 0, x, 0 * x))
                """);
        Node n = input(m, "n");
        Gradients g = Autodiff.differentiate(GraphBuilder.extend(m.graph()), m.loss().node(), List.of(input(m, "x"), n));
        assertNull(g.of(n));
        for (Node forward : g.adjoints().keySet()) {
            assertTrue(forward.dtype().isFloat(), "adjoint for a non-float node " + forward);
        }
        GradCheck.checkLoss(m, Map.of(), 7, GradCheck.NONZERO, 5);
    }

    @Test
    void signAndZeroPowersHaveZeroGradients() {
        GraphBuilder b = new GraphBuilder();
        Node x = b.add(new InputOp("x", new TensorType(DType.F64, Shape.of(3))));
        Node loss = b.add(new ReduceOp(ReduceFn.SUM, List.of(0), false), b.add(new UnaryOp(UnaryFn.SIGN), x));
        assertNull(Autodiff.differentiate(b, loss, List.of(x)).of(x));

        ModelGraph m = GradCheck.body("input grad x : f64[3]\nloss = sum(x ^ 0)");
        assertNull(Autodiff.of(m.graph()).of(input(m, "x")));
    }

    @Test
    void theBranchNotTakenByWhereReachesNoGradient() {
        ModelGraph m = GradCheck.body("input grad x : f64[4]\nloss = sum(where(x > 0, log(x), x * 2))");
        NdArray dx = gradients(m, Map.of("x", NdArray.vector(-1, 0.5, -3, 2))).get(input(m, "x"));
        assertArrayEquals(new double[] {2, 2, 2, 0.5}, dx.data(), 1e-12);
    }

    @Test
    void kinksFollowPyTorch() {
        NdArray zeros = NdArray.vector(0, 0);
        assertArrayEquals(new double[] {0, 0}, grad("relu(x)", zeros), "relu'(0) = 0");
        assertArrayEquals(new double[] {0, 0}, grad("abs(x)", zeros), "abs'(0) = 0");
        assertArrayEquals(new double[] {0.25, 0.25}, grad("leaky_relu(x, alpha=0.25)", zeros),
                "leaky_relu'(0) = alpha");
        assertArrayEquals(new double[] {1, 1}, grad("max(x, x)", zeros), "a tie gives half to each side");
        assertArrayEquals(new double[] {0.5, 0.5}, grad("max(x, 0)", zeros));
        assertArrayEquals(new double[] {0.5, 0.5}, grad("min(x, 0)", zeros));
        assertArrayEquals(new double[] {0.5, 0.5}, grad("max(x)", NdArray.vector(3, 3)), "tied maxima split evenly");
        assertArrayEquals(new double[] {0, 1}, grad("max(x)", NdArray.vector(1, 3)));
        // pow at a zero base: d/da 0^2 = 0; d/db a^b at a = 0, b = 2 is 0, not NaN (0 * log 0)
        ModelGraph m = GradCheck.body("input grad a : f64[2]\ninput grad b : f64[2]\nloss = sum(a ^ b)");
        Map<Node, NdArray> g = gradients(m, Map.of("a", zeros, "b", NdArray.vector(2, 0)));
        assertArrayEquals(new double[] {0, 0}, g.get(input(m, "a")).data());
        assertArrayEquals(new double[] {0, 0}, g.get(input(m, "b")).data());
    }

    private static double[] grad(String expr, NdArray x) {
        ModelGraph m = GradCheck.body("input grad x : f64[2]\nloss = sum(" + expr + ")");
        return gradients(m, Map.of("x", x)).get(input(m, "x")).data();
    }

    @Test
    void digitsMlpEndToEnd() {
        ModelGraph m = GradCheck.model("""
                model DigitsMlp {
                  dim B
                  input  x  : f64[B, 64]
                  input  y  : i32[B]
                  param  W1 : f64[64, 32] = he_normal
                  param  b1 : f64[32]     = zeros
                  param  W2 : f64[32, 10] = glorot_uniform
                  param  b2 : f64[10]     = zeros
                  h      = relu(x @ W1 + b1)
                  logits = h @ W2 + b2
                  output probs = softmax(logits, axis=-1)
                  loss   nll   = mean(cross_entropy(logits, y))
                }
                """);
        Gradients g = GradCheck.checkLoss(m, Map.of("B", 3), 11, ANY, 10);
        // the intermediates have adjoints an emitter can name (dlogits, dh), and x, an input, gets none
        Node logits = m.outputs().get(0).node().input(0);
        assertNotNull(g.of(logits));
        assertTrue(g.isZero(input(m, "x")));
        assertEquals(m.loss().node(), g.adjoints().keySet().iterator().next(), "the loss comes first");
    }

    @Test
    void deepModelWithFunctionsAndLoopsEndToEnd() {
        ModelGraph m = GradCheck.model("""
                fn dense(x, W, b) = x @ W + b
                fn residual(h, W, b) {
                  z = dense(h, W, b)
                  return h + tanh(z)
                }
                model Deep {
                  const L = 4
                  const H = 5
                  dim B
                  input grad x : f64[B, 3]
                  input y : f64[B, 1]
                  param Win  : f64[3, H] = glorot_uniform
                  param bin  : f64[H]    = normal(0, 0.5)
                  param W[L] : f64[H, H] = normal(0, 0.5)
                  param b[L] : f64[H]    = normal(0, 0.5)
                  param Wout : f64[H, 1] = glorot_uniform
                  h = tanh(dense(x, Win, bin))
                  for i in 0..L {
                    h = residual(h, W[i], b[i])
                  }
                  h = layer_norm(h, W[0][0, :], b[0])
                  output yhat = dense(h, Wout, 0.5)
                  loss = mse(yhat, y) + 0.1 * mean(softmax(h, axis=0) * h)
                }
                """);
        GradCheck.checkLoss(m, Map.of("B", 3), 12, ANY, 1);
    }

    @Test
    void secondOrderOfACube() {
        ModelGraph m = GradCheck.body("input grad x : f64[3]\nloss = sum(x ^ 3)");
        Node x = input(m, "x");
        GraphBuilder b = GraphBuilder.extend(m.graph());
        Node dx = Autodiff.of(b, m.graph()).of(x);
        Node sumDx = b.add(new ReduceOp(ReduceFn.SUM, List.of(0), false), dx);
        Node ddx = Autodiff.differentiate(b, sumDx, List.of(x)).of(x);
        NdArray at = NdArray.vector(-2, 0.5, 3);
        NdArray value = new Interpreter(Map.of()).eval(ddx, Map.of(x, at));
        assertArrayEquals(new double[] {-12, 3, 18}, value.data(), 1e-12);
    }

    /** Gradients are graphs: differentiating {@code sum(dx * v)} again checks the rules of gradient-made ops. */
    @Test
    void secondOrderMatchesFiniteDifferencesOfTheGradient() {
        String[] losses = {
            "sum(tanh(x) * exp(x) + sigmoid(x) * x)", "sum(softmax(x) * x)", "sum(log_softmax(x, axis=0) ^ 2)",
            "logsumexp(x * x)", "sum(max(x, axis=1) ^ 2)", "mean(x) * sum(x * x)", "sum(x[:, 1:] * x[:, :2])",
            "sum(relu(x) * x)", "sum(layer_norm(x, g, g) ^ 2)", "sum((x @ x.T) ^ 2)",
            "sum(sqrt(x * x + 1) / (1 + x * x))",
            "sum(batch_norm(x, g, g) * x)", "sum(concat([x, x * x], axis=0) ^ 2)", "mean(cross_entropy(x, n))",
        };
        long seed = 500;
        for (String loss : losses) {
            ModelGraph m = GradCheck.body("dim B\ninput grad x : f64[B, 3]\ninput grad g : f64[3]\ninput n : i32[B]\n"
                    + "input v : f64[B, 3]\nloss = " + loss);
            GraphBuilder b = GraphBuilder.extend(m.graph());
            Node x = input(m, "x");
            Node dx = Autodiff.of(b, m.graph()).of(x);
            Node probe = b.add(new ReduceOp(ReduceFn.SUM, List.of(0, 1), false),
                    b.add(new BinaryOp(BinaryFn.MUL), dx, input(m, "v")));
            Map<String, Integer> dims = Map.of("B", 2);
            Map<Node, NdArray> leaves = GradCheck.randomLeaves(m, dims, new Random(seed++), GradCheck.NONZERO, 3);
            GradCheck.check(b, probe, List.of(x, input(m, "g")), dims, leaves);
        }
    }

    @Test
    void geluGradientsCannotBeDifferentiatedAgain() {
        ModelGraph m = GradCheck.body("input grad x : f64[3]\nloss = sum(gelu(x))");
        GraphBuilder b = GraphBuilder.extend(m.graph());
        Node x = input(m, "x");
        Node sumDx = b.add(new ReduceOp(ReduceFn.SUM, List.of(0), false), Autodiff.of(b, m.graph()).of(x));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autodiff.differentiate(b, sumDx, List.of(x)));
        assertTrue(e.getMessage().startsWith("gelu_grad:"), e.getMessage());
    }

    @Test
    void differentiatingTwiceBuildsNothingNew() {
        ModelGraph m = GradCheck.body("dim B\ninput grad x : f64[B, 4]\nparam W : f64[4, 2] = ones\n"
                + "loss = mean(softmax(x @ W) * x[:, :2])");
        GraphBuilder b = GraphBuilder.extend(m.graph());
        Gradients first = Autodiff.of(b, m.graph());
        int size = b.size();
        Gradients second = Autodiff.of(b, m.graph());
        assertEquals(size, b.size());
        assertSame(first.of(param(m, "W")), second.of(param(m, "W")));
        assertEquals(first.adjoints(), second.adjoints());
    }

    @Test
    void meanOverASymbolicAxisCountsAtRunTime() {
        ModelGraph m = GradCheck.body("dim B\ninput grad x : f64[B, 2]\nloss = mean(x)");
        for (int b : new int[] {1, 4}) {
            GradCheck.checkLoss(m, Map.of("B", b), b, ANY, 1);
        }
    }

    @Test
    void badRequestsAreRejected() {
        ModelGraph noLoss = GradCheck.body("input x : f64[2]\noutput y = x");
        assertThrows(IllegalArgumentException.class, () -> Autodiff.of(noLoss.graph()));
        ModelGraph m = GradCheck.body("input n : i32[2]\ninput grad x : f64[2]\nloss = sum(x)");
        assertThrows(IllegalArgumentException.class,
                () -> Autodiff.differentiate(GraphBuilder.extend(m.graph()), input(m, "n"), List.of(input(m, "x"))));
        assertThrows(IllegalArgumentException.class,
                () -> Autodiff.differentiate(new GraphBuilder(), m.loss().node(), List.of()));
    }
}
