package dev.adjoint.compiler.ad;

import static dev.adjoint.compiler.ad.GradCheck.ANY;

import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.PadOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of reductions, the matrix product and the ops that move elements. */
class ShapeGradTest {

    static Stream<Arguments> reductions() {
        String[] exprs = {
            "sum(x)", "sum(x, axis=1)", "sum(x, axis=[0, 2], keepdims=true)", "sum(x, axis=-1, keepdims=true)",
            "mean(x)", "mean(x, axis=0)", "mean(x, axis=[-1, 0])", "mean(x, axis=1, keepdims=true)",
            "max(x)", "max(x, axis=0)", "max(x, axis=[1, 2], keepdims=true)", "max(x, axis=-2)",
            "logsumexp(x)", "logsumexp(x, axis=0)", "logsumexp(x, axis=[-1, 0], keepdims=true)",
            "sum(x * x, axis=2) + mean(x, axis=2)",
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 200;
        for (String e : exprs) {
            out.add(Arguments.of(e, "[B, 3, 2]", Map.of("B", 2), seed++));
            out.add(Arguments.of(e, "[B, 3, 2]", Map.of("B", 1), seed++));
            out.add(Arguments.of(e, "[4, 1, 3]", Map.of(), seed++));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1} {2}")
    @MethodSource
    void reductions(String expr, String shape, Map<String, Integer> dims, long seed) {
        GradCheck.checkOutput("dim B\ninput grad x : f64" + shape + "\noutput y = " + expr, dims, seed, ANY);
    }

    static Stream<Arguments> matmul() {
        String[][] cases = {
            {"[3]", "[3]"}, {"[3]", "[3, 4]"}, {"[B, 3]", "[3]"}, {"[B, 3]", "[3, 4]"}, {"[2, B]", "[B, 4]"},
            {"[B, 2, 3]", "[B, 3, 4]"}, {"[B, 2, 3]", "[3, 4]"}, {"[1, 1]", "[1, 1]"},
        };
        List<Arguments> out = new ArrayList<>();
        long seed = 300;
        for (String[] c : cases) {
            for (int b : new int[] {1, 3}) {
                out.add(Arguments.of(c[0], c[1], Map.of("B", b), seed++));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} @ {1} {2}")
    @MethodSource
    void matmul(String sa, String sb, Map<String, Integer> dims, long seed) {
        GradCheck.checkOutput("dim B\ninput grad a : f64" + sa + "\ninput grad b : f64" + sb + "\noutput y = a @ b",
                dims, seed, ANY);
    }

    static Stream<Arguments> layout() {
        return Stream.of(
                Arguments.of("[B, 3]", "x.T"),
                Arguments.of("[2, B, 3]", "transpose(x, [2, 0, 1])"),
                Arguments.of("[2, B, 3]", "transpose(x, [-1, 1, 0]) * 2"),
                Arguments.of("[B, 6]", "reshape(x, [-1])"),
                Arguments.of("[B, 6]", "reshape(x, [B, 2, 3])"),
                Arguments.of("[4, 6]", "reshape(x, [3, -1]) @ reshape(x, [-1, 3])"),
                Arguments.of("[B, 3]", "concat([x, x * x], axis=0)"),
                Arguments.of("[B, 3]", "concat([x, sin(x), x], axis=-1)"),
                Arguments.of("[2, 3]", "concat([x, x[0:1, :]], axis=0)"),
                Arguments.of("[4, B]", "x[1:, :]"),
                Arguments.of("[B, 5]", "x[:, 1:-1]"),
                Arguments.of("[4, 5]", "x[:2, 3:] + x[2:, :2]"),
                Arguments.of("[6]", "x[1:4] * x[3:]"),
                Arguments.of("[B, 3]", "cast(x, f32) * cast(x, f32)"));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource
    void layout(String shape, String expr) {
        GradCheck.checkOutput("dim B\ninput grad x : f64" + shape + "\noutput y = " + expr, Map.of("B", 2),
                expr.hashCode(), ANY);
    }

    /** BroadcastOp and pad are made only by the differentiator; their own rules matter for second derivatives. */
    static Stream<Arguments> gradientOps() {
        Shape b3 = new Shape(List.of(Dim.sym("B"), Dim.of(3)));
        return Stream.of(
                Arguments.of(Shape.of(3), new BroadcastOp(new Shape(List.of(Dim.of(2), Dim.sym("B"), Dim.of(3))))),
                Arguments.of(Shape.of(2, 1, 3), new BroadcastOp(Shape.of(2, 4, 3))),
                Arguments.of(new Shape(List.of(Dim.of(1), Dim.of(3))), new BroadcastOp(b3)),
                Arguments.of(Shape.of(2, 3), new PadOp(Shape.of(5, 3), List.of(0), List.of(1L))),
                Arguments.of(Shape.of(2, 3), new PadOp(Shape.of(4, 7), List.of(0, 1), List.of(2L, 3L))),
                Arguments.of(new Shape(List.of(Dim.sym("B"), Dim.of(2))),
                        new PadOp(new Shape(List.of(Dim.sym("B"), Dim.of(4))), List.of(1), List.of(0L))));
    }

    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource
    void gradientOps(Shape in, Op op) {
        GraphBuilder b = new GraphBuilder();
        Node x = b.add(new InputOp("x", new TensorType(DType.F64, in)));
        Node y = b.add(op, x);
        Map<String, Integer> dims = Map.of("B", 2);
        Random rnd = new Random(in.hashCode());
        int[] shape = new dev.adjoint.compiler.eval.Interpreter(dims).concreteShape(in);
        Map<Node, NdArray> leaves = new java.util.HashMap<>(Map.of(x, GradCheck.random(shape, rnd, ANY)));
        GradCheck.checkWeighted(b, y, List.of(x), dims, leaves, rnd);
    }
}
