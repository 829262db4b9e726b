package dev.adjoint.compiler.opt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.eval.Interpreter;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.pass.Pass;
import dev.adjoint.compiler.pass.Verifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny graph to try one rewrite on: inputs {@code x : f64[2, 3]}, {@code v : f64[3]}, {@code s : f64[]},
 * {@code n : i32[2]} (labels below 3), {@code p : f64[3, 2]}, {@code q : f64[4, 2, 3]}, and one output built by the
 * case. {@link #check} runs a pass, asserts a rule fired, and compares the output before and after at random
 * points with the reference interpreter.
 */
final class RuleCases {
    final GraphBuilder b = new GraphBuilder();
    final Node x = input("x", Shape.of(2, 3), DType.F64);
    final Node v = input("v", Shape.of(3), DType.F64);
    final Node s = input("s", Shape.SCALAR, DType.F64);
    final Node n = input("n", Shape.of(2), DType.I32);
    final Node p = input("p", Shape.of(3, 2), DType.F64);
    final Node q = input("q", Shape.of(4, 2, 3), DType.F64);
    private Node input(String name, Shape shape, DType t) {
        return b.add(new InputOp(name, new TensorType(t, shape)));
    }

    Node add(Op op, Node... in) {
        return b.add(op, in);
    }

    Graph graph(Node out) {
        List<Graph.Input> decls = new ArrayList<>();
        for (Node l : List.of(x, v, s, n, p, q)) {
            decls.add(new Graph.Input(((InputOp) l.op()).name(), l, false, null));
        }
        return Graph.of("Case", null, List.of(), decls, List.of(), List.of(new Graph.Output("y", out, null)), null,
                b.nodes(), Map.of(), Map.of());
    }

    /** Runs {@code pass} on a graph with output {@code out}; {@code rule} must fire and the values must agree. */
    Graph check(Pass pass, String rule, Node out) {
        Graph before = graph(out);
        Graph after = pass.run(before);
        Verifier.verify(after, pass.name());
        assertTrue(after.rewrites().containsKey(rule), rule + " did not fire: " + after.rewrites() + "\n" + after);
        for (long seed = 0; seed < 3; seed++) {
            Map<String, NdArray> leaves = leaves(before, new Random(seed));
            TranslationValidationTest.compare(rule, TranslationValidationTest.evaluate(before, Map.of(), leaves),
                    TranslationValidationTest.evaluate(after, Map.of(), leaves));
        }
        return after;
    }

    private static Map<String, NdArray> leaves(Graph g, Random rnd) {
        Interpreter shapes = new Interpreter(Map.of());
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (Graph.Input in : g.inputs()) {
            int[] shape = shapes.concreteShape(in.node().shape());
            int size = 1;
            for (int d : shape) {
                size *= d;
            }
            double[] data = new double[size];
            for (int i = 0; i < size; i++) {
                data[i] = in.node().dtype() == DType.I32 ? rnd.nextInt(3) : 2 * rnd.nextDouble() - 1;
            }
            out.put(in.name(), new NdArray(shape, data));
        }
        return out;
    }
}
