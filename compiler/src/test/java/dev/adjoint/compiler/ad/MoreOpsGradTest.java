package dev.adjoint.compiler.ad;

import static dev.adjoint.compiler.ad.GradCheck.ANY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of the ops of issue 14 (min, prod, var, std, argmax, stop_gradient, the constructors,
 * step slices, concat along a symbolic axis of parts of different sizes, fns that return several values), at odd
 * sizes and with a symbolic batch, and exact checks where differences say nothing (ties, zeros, stopped gradients).
 */
class MoreOpsGradTest {

    static Stream<Arguments> reductions() {
        String[] exprs = {
            "min(x)", "min(x, axis=1)", "min(x, axis=[0, 2], keepdims=true)", "min(x, axis=-1)",
            "prod(x)", "prod(x, axis=0)", "prod(x, axis=[-1, 0], keepdims=true)", "prod(x, axis=1)",
            "var(x)", "var(x, axis=1)", "var(x, axis=[0, 2], keepdims=true, correction=0)",
            "var(x, axis=-1, correction=2)", "var(x, axis=[1, 2], correction=0.5)",
            "std(x)", "std(x, axis=-1)", "std(x, axis=[0, 1], keepdims=true)", "std(x, axis=1, correction=0)",
            "var(x, axis=2) * std(x, axis=2) + prod(x, axis=2) - min(x, axis=2)",
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 1400;
        for (String e : exprs) {
            out.add(Arguments.of(e, "[B, 3, 5]", Map.of("B", 3), seed++));
            out.add(Arguments.of(e, "[B, 3, 5]", Map.of("B", 2), seed++));
            out.add(Arguments.of(e, "[5, 3, 7]", Map.of(), seed++));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1} {2}")
    @MethodSource
    void reductions(String expr, String shape, Map<String, Integer> dims, long seed) {
        GradCheck.checkOutput("dim B\ninput grad x : f64" + shape + "\noutput y = " + expr, dims, seed, ANY);
    }

    static Stream<Arguments> layout() {
        return Stream.of(
                Arguments.of("[7, 5]", "x[::2]"),
                Arguments.of("[7, 5]", "x[1::2, :]"),
                Arguments.of("[7, 5]", "x[:, 1:5:3]"),
                Arguments.of("[7, 5]", "x[::3, ::2] * 2"),
                Arguments.of("[7, 5]", "x[-2::5]"),
                Arguments.of("[B, 7]", "x[:, ::2][:, :3] + x[:, 1::2] * x[:, 2:7:2]"),
                Arguments.of("[B, 3, 5]", "x[:, ::2, 1:4:2]"),
                Arguments.of("[B, 3]", "concat([concat([x, x * 2], axis=0), sin(x)], axis=0)"),
                Arguments.of("[B, 3]", "concat([x, reshape(concat([x, x], axis=1), [2*B, 3]), x * x], axis=0)"),
                Arguments.of("[3, B]", "concat([x * x, concat([x, x, x], axis=1)], axis=-1)"),
                Arguments.of("[B, 3]", "x * ones([B, 3], dtype=f64) + full([3], 2.5, dtype=f64) * x + zeros([B, 1], f64)"
                        + " + x @ eye(3, f64)"),
                Arguments.of("[B, 3]", "x * cast(arange(3), f64) + eye(3, dtype=f64)[1] + x * arange(3, dtype=f64)"));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource
    void layout(String shape, String expr) {
        GradCheck.checkOutput("dim B\ninput grad x : f64" + shape + "\noutput y = " + expr, Map.of("B", 3),
                expr.hashCode(), ANY);
    }

    /** An LSTM over 3 steps, the cell a fn that returns two values, with top-level consts. */
    @Test
    void lstmWithATupleReturningFn() {
        ModelGraph m = GradCheck.model("""
                const H = 3
                const T = 3
                fn cell(x, h, c, Wx, Wh, b) {
                  z = x @ Wx + h @ Wh + b
                  i = sigmoid(z[:, 0:H])
                  f = sigmoid(z[:, H:2*H])
                  g = tanh(z[:, 2*H:3*H])
                  o = sigmoid(z[:, 3*H:])
                  c2 = f * c + i * g
                  return o * tanh(c2), c2
                }
                model Lstm {
                  dim B
                  input x : f64[B, 5, 2]
                  input y : i32[B]
                  param Wx : f64[2, 4*H] = normal(0, 0.5)
                  param Wh : f64[H, 4*H] = normal(0, 0.5)
                  param b : f64[4*H] = zeros
                  param V : f64[H, 2] = normal(0, 0.5)
                  h = zeros([B, H], dtype=f64)
                  c = zeros([B, H], dtype=f64)
                  for t in 0..T {
                    h, c = cell(x[:, t, :], h, c, Wx, Wh, b)
                  }
                  loss l = mean(cross_entropy(h @ V, y))
                }
                """);
        GradCheck.checkLoss(m, Map.of("B", 3), 14, ANY, 2);
    }

    @Test
    void tiedMinimaShareTheGradientEvenly() {
        assertArrayEquals(new double[] {0.5, 0, 0.5}, grad("min(x)", NdArray.vector(1, 3, 1)), 1e-15);
        assertArrayEquals(new double[] {1, 0, 0}, grad("min(x)", NdArray.vector(1, 3, 2)), 1e-15);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, grad("min(x, axis=0)", NdArray.vector(2, 2, 2)),
                1e-15);
    }

    /** The product of the others, also where some factors are 0 (PyTorch's prod_backward gives the same). */
    @Test
    void productGradientsAtZeros() {
        assertArrayEquals(new double[] {12, 6, 8}, grad("prod(x)", NdArray.vector(2, 4, 3)), 1e-12);
        assertArrayEquals(new double[] {0, 6, 0}, grad("prod(x)", NdArray.vector(2, 0, 3)), 0);
        assertArrayEquals(new double[] {0, 0, 0}, grad("prod(x)", NdArray.vector(0, 0, 3)), 0);
        ModelGraph m = GradCheck.body("input grad x : f64[2, 3]\nloss = prod(x, axis=1)[0] + 10 * prod(x, axis=1)[1]");
        NdArray x = new NdArray(new int[] {2, 3}, new double[] {2, 0, 3, 1, 2, 5});
        assertArrayEquals(new double[] {0, 6, 0, 100, 50, 20}, values(m, x), 1e-12);
    }

    /** {@code x * stop_gradient(x)} has the gradient {@code x}, not {@code 2x}; argmax passes none. */
    @Test
    void stoppedAndIntegerPathsCarryNoGradient() {
        assertArrayEquals(new double[] {0.5, -2, 3}, grad("x * stop_gradient(x)", NdArray.vector(0.5, -2, 3)), 0);
        ModelGraph m = GradCheck.body("input grad x : f64[3]\nloss = sum(stop_gradient(x) * 2)");
        assertNull(Autodiff.of(m.graph()).of(m.inputs().get(0).node()));
        assertArrayEquals(new double[] {0, 0, 1},
                grad("one_hot(argmax(x), 3, dtype=f64) * x", NdArray.vector(0.5, -2, 3)), 0);
        ModelGraph a = GradCheck.body("input x : f64[2, 3]\noutput k = argmax(x)");
        assertEquals(DType.I32, a.outputs().get(0).node().dtype());
    }

    /** The population variance of a pair {a, b} is ((a - b) / 2)^2: its gradient is ((a - b) / 2, (b - a) / 2). */
    @Test
    void varianceGradientByHand() {
        assertArrayEquals(new double[] {-1.5, 1.5}, grad("var(x, correction=0)", NdArray.vector(1, 4)), 1e-12);
        assertArrayEquals(new double[] {-3, 3}, grad("var(x)", NdArray.vector(1, 4)), 1e-12);
        assertArrayEquals(new double[] {-Math.sqrt(0.5), Math.sqrt(0.5)}, grad("std(x)", NdArray.vector(1, 4)),
                1e-12);
    }

    private static double[] grad(String expr, NdArray x) {
        ModelGraph m = GradCheck.body("input grad x : f64[" + x.shape()[0] + "]\nloss = sum(" + expr + ")");
        return values(m, x);
    }

    private static double[] values(ModelGraph m, NdArray x) {
        Node in = m.inputs().get(0).node();
        Map<Node, NdArray> leaves = new HashMap<>(Map.of(in, x));
        return GradCheck.adjointValues(Autodiff.of(m.graph()), Map.of(), leaves).get(in).data();
    }
}
