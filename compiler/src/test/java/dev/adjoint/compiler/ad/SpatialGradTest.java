package dev.adjoint.compiler.ad;

import static dev.adjoint.compiler.ad.GradCheck.ANY;

import dev.adjoint.compiler.eval.Interpreter;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.AvgPool2dGradOp;
import dev.adjoint.compiler.ops.Conv2dFilterGradOp;
import dev.adjoint.compiler.ops.Conv2dInputGradOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.Pair;
import dev.adjoint.compiler.ops.ScatterAddOp;
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
 * Finite-difference checks of {@code conv2d}, the poolings and {@code take}: odd sizes, strides, padding, dilation,
 * a symbolic batch bound to 1 and 3, and the gradient ops' own derivatives (second derivatives).
 */
class SpatialGradTest {

    static Stream<Arguments> convolutions() {
        String[][] cases = {
            {"[B, 2, 5, 6]", "[3, 2, 3, 3]", ""},
            {"[B, 2, 7, 5]", "[3, 2, 3, 2]", ", stride=2, padding=1"},
            {"[B, 1, 7, 7]", "[2, 1, 3, 3]", ", dilation=2, padding=[2, 1]"},
            {"[B, 3, 5, 7]", "[2, 3, 2, 3]", ", stride=[3, 2], padding=[1, 1], dilation=[2, 1]"},
            {"[B, 2, 4, 5]", "[3, 2, 1, 1]", ", stride=[1, 2]"},
            {"[B, 1, 3, 3]", "[1, 1, 3, 3]", ", padding=2, stride=3"},
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 1400;
        for (String[] c : cases) {
            for (int b : new int[] {1, 3}) {
                out.add(Arguments.of(c[0], c[1], c[2], Map.of("B", b), seed++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "conv2d({0}, {1}{2}) {3}")
    @MethodSource
    void convolutions(String x, String w, String options, Map<String, Integer> dims, long seed) {
        GradCheck.checkOutput("dim B\ninput grad x : f64" + x + "\ninput grad w : f64" + w
                + "\noutput y = conv2d(x, w" + options + ")", dims, seed, ANY);
    }

    static Stream<Arguments> poolings() {
        String[][] cases = {
            {"[B, 2, 5, 5]", "2"},
            {"[B, 2, 5, 6]", "3, stride=2, padding=1"},
            {"[B, 1, 6, 7]", "[2, 3], stride=[1, 2]"},
            {"[B, 3, 4, 4]", "[3, 2], stride=1, padding=[1, 0]"},
            {"[B, 1, 3, 5]", "[3, 5]"},
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 1500;
        for (String[] c : cases) {
            for (String fn : new String[] {"max_pool2d", "avg_pool2d"}) {
                for (int b : new int[] {1, 3}) {
                    out.add(Arguments.of(fn, c[0], c[1], Map.of("B", b), seed++));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}(x {1}, {2}) {3}")
    @MethodSource
    void poolings(String fn, String x, String options, Map<String, Integer> dims, long seed) {
        GradCheck.checkOutput("dim B\ninput grad x : f64" + x + "\noutput y = " + fn + "(x, " + options + ")", dims,
                seed, ANY);
    }

    /** Indices drawn in [0, 3): with more indices than that, rows repeat, and their gradients must add up. */
    static Stream<Arguments> takes() {
        String[][] cases = {
            {"[5, 3]", "[B, 4]"},
            {"[4]", "[B]"},
            {"[6, 2, 3]", "[B, 2, 2]"},
            {"[3, 2]", "[]"},
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 1600;
        for (String[] c : cases) {
            for (int b : new int[] {1, 3}) {
                out.add(Arguments.of(c[0], c[1], Map.of("B", b), seed++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "take(table {0}, indices {1}) {2}")
    @MethodSource
    void takes(String table, String indices, Map<String, Integer> dims, long seed) {
        GradCheck.checkOutput("dim B\nparam E : f64" + table + " = zeros\ninput i : i32" + indices
                + "\noutput y = take(E, i) * take(E, i)", dims, seed, ANY);
    }

    /** A small network of every op, through its loss. */
    @ParameterizedTest(name = "B = {0}")
    @MethodSource("batches")
    void network(int batch) {
        GradCheck.checkLoss(GradCheck.body("""
                dim B
                input  x : f64[B, 1, 7, 6]
                input  t : i32[B, 2]
                input  y : i32[B]
                param  K1 : f64[3, 1, 3, 3] = zeros
                param  c1 : f64[3, 1, 1]    = zeros
                param  K2 : f64[2, 3, 2, 2] = zeros
                param  E  : f64[4, 3]       = zeros
                param  W  : f64[6, 3]       = zeros
                h = tanh(conv2d(x, K1, padding=1) + c1)                 // [B, 3, 7, 6]
                p = max_pool2d(h, 2, stride=[2, 1], padding=[1, 0])     // [B, 3, 4, 5]
                q = avg_pool2d(conv2d(p, K2, dilation=[1, 2]), [2, 1])  // [B, 2, 1, 3]
                z = reshape(q, [B, 6]) * reshape(take(E, t), [B, 6])
                loss l = mean(cross_entropy(z @ W, y))
                """),
                Map.of("B", batch), 1700 + batch, ANY, 3);
    }

    static Stream<Integer> batches() {
        return Stream.of(1, 3);
    }

    /** The gradient ops, made only by the differentiator: their own derivatives, as in a second derivative. */
    static Stream<Arguments> gradientOps() {
        Dim b = Dim.sym("B");
        Pair one = Pair.of(1);
        return Stream.of(
                Arguments.of(new Conv2dInputGradOp(Pair.of(2), one, new Pair(1, 2), new Pair(5, 6)),
                        List.of(new Shape(List.of(b, Dim.of(3), Dim.of(3), Dim.of(3))), Shape.of(3, 2, 2, 2))),
                Arguments.of(new Conv2dFilterGradOp(new Pair(1, 2), Pair.of(0), new Pair(2, 1), new Pair(2, 3)),
                        List.of(new Shape(List.of(b, Dim.of(2), Dim.of(5), Dim.of(6))),
                                new Shape(List.of(b, Dim.of(3), Dim.of(3), Dim.of(2))))),
                Arguments.of(new AvgPool2dGradOp(Pair.of(3), Pair.of(2), one, new Pair(5, 4)),
                        List.of(new Shape(List.of(b, Dim.of(2), Dim.of(3), Dim.of(2))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void gradientOps(Op op, List<Shape> shapes) {
        GraphBuilder g = new GraphBuilder();
        Map<String, Integer> dims = Map.of("B", 2);
        Random rnd = new Random(op.hashCode());
        Map<Node, NdArray> leaves = new LinkedHashMap<>();
        List<Node> in = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            Node x = g.add(new InputOp("x" + i, new TensorType(DType.F64, shapes.get(i))));
            in.add(x);
            leaves.put(x, GradCheck.random(new Interpreter(dims).concreteShape(shapes.get(i)), rnd, ANY));
        }
        Node y = g.add(op, in.toArray(Node[]::new));
        GradCheck.checkWeighted(g, y, in, dims, leaves, rnd);
    }

    /** {@code scatter_add} with repeated indices, and its derivative ({@code take}). */
    @ParameterizedTest(name = "B = {0}")
    @MethodSource("batches")
    void scatterAdd(int batch) {
        GraphBuilder g = new GraphBuilder();
        Map<String, Integer> dims = Map.of("B", batch);
        Node dy = g.add(new InputOp("dy", new TensorType(DType.F64, new Shape(List.of(Dim.sym("B"), Dim.of(4),
                Dim.of(2))))));
        Node idx = g.add(new InputOp("i", new TensorType(DType.I32, new Shape(List.of(Dim.sym("B"), Dim.of(4))))));
        Node y = g.add(new ScatterAddOp(Dim.of(3), "i"), dy, idx);
        Random rnd = new Random(1800 + batch);
        Interpreter shapes = new Interpreter(dims);
        Map<Node, NdArray> leaves = new LinkedHashMap<>();
        leaves.put(dy, GradCheck.random(shapes.concreteShape(dy.shape()), rnd, ANY));
        leaves.put(idx, GradCheck.random(shapes.concreteShape(idx.shape()), rnd, r -> r.nextInt(3)));
        GradCheck.checkWeighted(g, y, List.of(dy), dims, leaves, rnd);
    }
}
