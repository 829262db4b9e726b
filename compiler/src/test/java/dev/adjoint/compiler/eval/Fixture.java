package dev.adjoint.compiler.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.InputOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small graph under construction with the values of its inputs: {@code f.input("x", vector(1, 2))}
 * makes an {@code f64[2]} input holding [1, 2]; {@code f.eval(f.add(op, x))} runs the interpreter.
 */
final class Fixture {
    final GraphBuilder builder = new GraphBuilder();
    final Map<Node, NdArray> leaves = new HashMap<>();
    final Map<String, Integer> dims = new HashMap<>();

    /** An {@code f64} input with a fixed shape, holding {@code value}. */
    Node input(String name, NdArray value) {
        return input(name, DType.F64, value);
    }

    /** An {@code i32} input with a fixed shape, holding {@code value}. */
    Node labels(String name, NdArray value) {
        return input(name, DType.I32, value);
    }

    Node input(String name, DType dtype, NdArray value) {
        List<Dim> d = new ArrayList<>();
        for (int s : value.shape()) {
            d.add(Dim.of(s));
        }
        Node n = builder.add(new InputOp(name, new TensorType(dtype, new Shape(d))));
        leaves.put(n, value);
        return n;
    }

    Node add(Op op, Node... inputs) {
        return builder.add(op, inputs);
    }

    NdArray eval(Node n) {
        return new Interpreter(dims).eval(n, leaves);
    }

    static NdArray vector(double... v) {
        return NdArray.vector(v);
    }

    static NdArray matrix(double[]... rows) {
        return NdArray.matrix(rows);
    }

    static double[] row(double... v) {
        return v;
    }

    /** {@code 0, 1, 2, ...} in the given shape. */
    static NdArray iota(int... shape) {
        NdArray z = NdArray.zeros(shape);
        for (int i = 0; i < z.size(); i++) {
            z.data()[i] = i;
        }
        return z;
    }

    static void assertClose(NdArray expected, NdArray actual) {
        assertClose(expected, actual, 1e-12);
    }

    static void assertClose(NdArray expected, NdArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape of " + actual);
        assertArrayEquals(expected.data(), actual.data(), tol, () -> "expected " + expected + " got " + actual);
    }

    static void assertScalar(double expected, NdArray actual, double tol) {
        assertEquals(0, actual.rank(), "rank of " + actual);
        assertEquals(expected, actual.item(), tol);
    }
}
