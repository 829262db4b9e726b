package dev.adjoint.compiler.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.eval.Interpreter;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Finite-difference checks of the differentiator against the reference interpreter, in f64. A test writes a
 * small model whose {@code output y} applies the op under test to {@code input grad} values; the check adds
 * {@code loss = sum(y * w)} with a random fixed {@code w}, differentiates with respect to every
 * {@code input grad} and {@code param}, and compares each adjoint with central differences.
 */
final class GradCheck {
    static final double H = 1e-5;
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-6;

    /** How to draw a random value for a float leaf. */
    @FunctionalInterface
    interface Domain {
        double draw(Random rnd);
    }

    /** Uniform in [-2, 2]. */
    static final Domain ANY = rnd -> -2 + 4 * rnd.nextDouble();
    /** Uniform in ±[0.2, 2]: away from the kinks at 0. */
    static final Domain NONZERO = rnd -> (rnd.nextBoolean() ? 1 : -1) * (0.2 + 1.8 * rnd.nextDouble());
    /** Uniform in [0.2, 2]. */
    static final Domain POSITIVE = rnd -> 0.2 + 1.8 * rnd.nextDouble();

    private GradCheck() {
    }

    /** The only model of {@code text}, which must compile. */
    static ModelGraph model(String text) {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile("t.model", text));
        assertTrue(r.ok(), () -> "model does not compile:\n" + r.diagnostics().format() + "\n" + text);
        assertEquals(1, r.models().size());
        return r.models().get(0);
    }

    /** {@code model T { body }}. */
    static ModelGraph body(String body) {
        return model("model T {\n" + body + "\n}\n");
    }

    /**
     * Checks the gradient of {@code sum(y * w)} for the model's output {@code y}, with {@code w} random,
     * with respect to every {@code input grad} and {@code param}, at a random point of {@code domain}.
     */
    static void checkOutput(String body, Map<String, Integer> dims, long seed, Domain domain) {
        ModelGraph m = body(body);
        Node y = m.outputs().stream().filter(o -> o.name().equals("y")).findFirst().orElseThrow().node();
        Random rnd = new Random(seed);
        Map<Node, NdArray> leaves = randomLeaves(m, dims, rnd, domain, 3);
        checkWeighted(GraphBuilder.extend(m.graph()), y, wrtOf(m), dims, leaves, rnd);
    }

    /** Adds {@code loss = sum(y * w)} with a random {@code w} to the graph and checks it. */
    static Gradients checkWeighted(GraphBuilder b, Node y, List<Node> wrt, Map<String, Integer> dims,
            Map<Node, NdArray> leaves, Random rnd) {
        Node w = b.add(new InputOp("w__", y.type()));
        Node loss = b.add(new ReduceOp(ReduceFn.SUM, allAxes(y), false), b.add(new BinaryOp(BinaryFn.MUL), y, w));
        Map<Node, NdArray> all = new LinkedHashMap<>(leaves);
        all.put(w, random(new Interpreter(dims).concreteShape(y.shape()), rnd, ANY));
        return check(b, loss, wrt, dims, all);
    }

    /** Checks the gradients of the model's own loss at a random point. */
    static Gradients checkLoss(ModelGraph m, Map<String, Integer> dims, long seed, Domain domain, int labels) {
        Map<Node, NdArray> leaves = randomLeaves(m, dims, new Random(seed), domain, labels);
        return check(GraphBuilder.extend(m.graph()), m.loss().node(), wrtOf(m), dims, leaves);
    }

    static List<Node> wrtOf(ModelGraph m) {
        List<Node> wrt = new ArrayList<>();
        m.params().forEach(p -> wrt.add(p.node()));
        m.inputs().stream().filter(Graph.Input::grad).forEach(i -> wrt.add(i.node()));
        return wrt;
    }

    /** Random values for every input and param; i32 leaves get labels in {@code [0, labels)}. */
    static Map<Node, NdArray> randomLeaves(ModelGraph m, Map<String, Integer> dims, Random rnd, Domain domain,
            int labels) {
        Interpreter in = new Interpreter(dims);
        Map<Node, NdArray> leaves = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        m.inputs().forEach(i -> nodes.add(i.node()));
        m.params().forEach(p -> nodes.add(p.node()));
        for (Node n : nodes) {
            int[] shape = in.concreteShape(n.shape());
            Domain d = n.dtype() == DType.I32 ? r -> r.nextInt(labels) : domain;
            leaves.put(n, random(shape, rnd, d));
        }
        return leaves;
    }

    static NdArray random(int[] shape, Random rnd, Domain d) {
        double[] data = new double[Arrays.stream(shape).reduce(1, (a, c) -> a * c)];
        for (int i = 0; i < data.length; i++) {
            data[i] = d.draw(rnd);
        }
        return new NdArray(shape, data);
    }

    /** The values of every requested adjoint (zeros where symbolic), keyed by the variable. */
    static Map<Node, NdArray> adjointValues(Gradients gr, Map<String, Integer> dims, Map<Node, NdArray> leaves) {
        Interpreter in = new Interpreter(dims);
        List<Node> roots = new ArrayList<>();
        for (Node x : gr.wrt()) {
            if (gr.of(x) != null) {
                roots.add(gr.of(x));
            }
        }
        Map<Node, NdArray> values = in.run(roots, leaves);
        Map<Node, NdArray> out = new LinkedHashMap<>();
        for (Node x : gr.wrt()) {
            out.put(x, gr.of(x) == null ? NdArray.zeros(in.concreteShape(x.shape())) : values.get(gr.of(x)));
        }
        return out;
    }

    /** Differentiates, then compares every requested adjoint with central differences. */
    static Gradients check(GraphBuilder b, Node loss, List<Node> wrt, Map<String, Integer> dims,
            Map<Node, NdArray> leaves) {
        Gradients gr = Autodiff.differentiate(b, loss, wrt);
        Map<Node, NdArray> analytic = adjointValues(gr, dims, leaves);
        Interpreter in = new Interpreter(dims);
        for (Node x : wrt) {
            NdArray numeric = finiteDifferences(in, loss, leaves, x);
            NdArray got = analytic.get(x);
            for (int i = 0; i < numeric.size(); i++) {
                double a = got.data()[i];
                double e = numeric.data()[i];
                if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) {
                    fail("d" + name(x) + "[" + i + "]: autodiff " + a + ", finite differences " + e + "\nautodiff:  "
                            + got + "\nnumerical: " + numeric);
                }
            }
        }
        return gr;
    }

    /** Central differences of the scalar {@code loss} with respect to every element of {@code x}. */
    static NdArray finiteDifferences(Interpreter in, Node loss, Map<Node, NdArray> leaves, Node x) {
        NdArray x0 = leaves.get(x);
        double[] grad = new double[x0.size()];
        for (int i = 0; i < grad.length; i++) {
            grad[i] = (lossAt(in, loss, leaves, x, i, H) - lossAt(in, loss, leaves, x, i, -H)) / (2 * H);
        }
        return new NdArray(x0.shape(), grad);
    }

    private static double lossAt(Interpreter in, Node loss, Map<Node, NdArray> leaves, Node x, int i, double step) {
        NdArray x0 = leaves.get(x);
        double[] data = x0.data().clone();
        data[i] += step;
        Map<Node, NdArray> moved = new LinkedHashMap<>(leaves);
        moved.put(x, new NdArray(x0.shape(), data));
        return in.eval(loss, moved).item();
    }

    static String name(Node x) {
        return x.op() instanceof InputOp i ? i.name() : x.op().name();
    }

    static List<Integer> allAxes(Node y) {
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < y.shape().rank(); i++) {
            axes.add(i);
        }
        return axes;
    }
}
