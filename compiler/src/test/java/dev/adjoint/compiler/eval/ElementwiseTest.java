package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static dev.adjoint.compiler.eval.Fixture.matrix;
import static dev.adjoint.compiler.eval.Fixture.row;
import static dev.adjoint.compiler.eval.Fixture.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.GeluGradOp;
import dev.adjoint.compiler.ops.LeakyReluOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import org.junit.jupiter.api.Test;

class ElementwiseTest {
    private final Fixture f = new Fixture();

    private NdArray unary(UnaryFn fn, double... x) {
        return f.eval(f.add(new UnaryOp(fn), f.input("x", vector(x))));
    }

    private NdArray binary(BinaryFn fn, NdArray a, NdArray b) {
        return f.eval(f.add(new BinaryOp(fn), f.input("a", a), f.input("b", b)));
    }

    @Test
    void unaryFunctionsAtHandPoints() {
        assertClose(vector(-1, 2, -0.0), unary(UnaryFn.NEG, 1, -2, 0));
        assertClose(vector(1, Math.E, 1 / Math.E), unary(UnaryFn.EXP, 0, 1, -1));
        assertClose(vector(0, 1), unary(UnaryFn.LOG, 1, Math.E));
        assertClose(vector(0, Math.log(2), 1e-20), unary(UnaryFn.LOG1P, 0, 1, 1e-20), 1e-30);
        assertClose(vector(0, 3), unary(UnaryFn.SQRT, 0, 9));
        assertClose(vector(9, 0.25), unary(UnaryFn.SQUARE, -3, 0.5));
        assertClose(vector(3, 0, 2.5), unary(UnaryFn.ABS, -3, 0, 2.5));
        assertClose(vector(0, 1), unary(UnaryFn.SIN, 0, Math.PI / 2));
        assertClose(vector(1, -1), unary(UnaryFn.COS, 0, Math.PI));
        assertClose(vector(0, Math.tanh(1)), unary(UnaryFn.TANH, 0, 1));
        assertClose(vector(0.5, 0.8807970779778823, 1 - 0.8807970779778823), unary(UnaryFn.SIGMOID, 0, 2, -2));
        assertClose(vector(0, 0, 2.5), unary(UnaryFn.RELU, -1, 0, 2.5));
        assertClose(vector(Math.log(2), 1.3132616875182228, 0.04858735157374206), unary(UnaryFn.SOFTPLUS, 0, 1, -3));
        assertClose(vector(0, 0.8411919906082768, -0.15880800939172324, 1.954597694087775),
                unary(UnaryFn.GELU, 0, 1, -1, 2));
        assertClose(vector(-1, 0, 1), unary(UnaryFn.SIGN, -2, 0, 3));
    }

    @Test
    void leakyRelu() {
        Node x = f.input("x", vector(-2, 0, 3));
        assertClose(vector(-0.2, 0, 3), f.eval(f.add(new LeakyReluOp(0.1), x)));
    }

    @Test
    void geluGradIsTheDerivativeOfTheTanhApproximation() {
        double[] xs = {-3, -1, -0.5, 0, 0.5, 1, 2, 5};
        Node x = f.input("x", vector(xs));
        NdArray d = f.eval(f.add(new GeluGradOp(), x, f.add(new ConstantOp(1, DType.F64))));
        assertClose(vector(-0.08296408384578255, 0.13263009646535764, 0.5, 1.0829640838457826, 1.0860992566236183),
                vector(d.data()[1], d.data()[2], d.data()[3], d.data()[5], d.data()[6]));
        double h = 1e-5;
        for (int i = 0; i < xs.length; i++) {
            double[] up = unary(UnaryFn.GELU, xs[i] + h).data();
            double[] down = unary(UnaryFn.GELU, xs[i] - h).data();
            assertEquals((up[0] - down[0]) / (2 * h), d.data()[i], 1e-9, "gelu' at " + xs[i]);
        }
        NdArray scaled = f.eval(f.add(new GeluGradOp(), f.input("x3", matrix(row(0), row(1))), f.input("dy3",
                vector(2, -1))));
        assertClose(matrix(row(1, -0.5), row(2 * 1.0829640838457826, -1.0829640838457826)), scaled);
        NdArray huge = f.eval(f.add(new GeluGradOp(), f.input("x4", vector(-1e200, 1e200, -40, 40)),
                f.add(new ConstantOp(1, DType.F64))));
        assertClose(vector(0, 1, 0, 1), huge);
    }

    @Test
    void binaryFunctions() {
        NdArray a = vector(1, -2, 3);
        NdArray b = vector(2, 4, -1);
        assertClose(vector(3, 2, 2), binary(BinaryFn.ADD, a, b));
        assertClose(vector(-1, -6, 4), binary(BinaryFn.SUB, a, b));
        assertClose(vector(2, -8, -3), binary(BinaryFn.MUL, a, b));
        assertClose(vector(0.5, -0.5, -3), binary(BinaryFn.DIV, a, b));
        assertClose(vector(1, 16, 1.0 / 3), binary(BinaryFn.POW, a, b));
        assertClose(vector(2, 4, 3), binary(BinaryFn.MAX, a, b));
        assertClose(vector(1, -2, -1), binary(BinaryFn.MIN, a, b));
    }

    @Test
    void broadcastingStretchesOnesAndAlignsOnTheRight() {
        NdArray col = matrix(row(10), row(20));
        assertClose(matrix(row(11, 12, 13), row(21, 22, 23)), binary(BinaryFn.ADD, col, vector(1, 2, 3)));
        assertClose(matrix(row(11, 12, 13), row(21, 22, 23)), binary(BinaryFn.ADD, col, matrix(row(1, 2, 3))));
        assertClose(matrix(row(9, 18), row(19, 38)), binary(BinaryFn.SUB, matrix(row(10, 20), row(20, 40)),
                vector(1, 2)));
        Node x = f.input("x", matrix(row(1, 2), row(3, 4)));
        Node two = f.add(new ConstantOp(2, DType.F64));
        assertClose(matrix(row(2, 4), row(6, 8)), f.eval(f.add(new BinaryOp(BinaryFn.MUL), x, two)));
        assertClose(matrix(row(2, 1), row(2.0 / 3, 0.5)), f.eval(f.add(new BinaryOp(BinaryFn.DIV), two, x)));
        NdArray rank3 = binary(BinaryFn.MUL, Fixture.iota(2, 1, 3), matrix(row(1), row(-1)));
        assertClose(new NdArray(new int[] {2, 2, 3}, new double[] {0, 1, 2, -0.0, -1, -2, 3, 4, 5, -3, -4, -5}), rank3);
    }

    @Test
    void comparisonsGiveMasksAndWhereChooses() {
        Node a = f.input("a", vector(1, 2, 3));
        Node b = f.input("b", vector(2, 2, 2));
        double[][] expected = {{1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {0, 1, 1}, {0, 1, 0}, {1, 0, 1}};
        CompareFn[] fns = {CompareFn.LT, CompareFn.LE, CompareFn.GT, CompareFn.GE, CompareFn.EQ, CompareFn.NE};
        for (int i = 0; i < fns.length; i++) {
            assertClose(vector(expected[i]), f.eval(f.add(new CompareOp(fns[i]), a, b)), 0);
        }
        Node col = f.input("col", matrix(row(-1), row(1)));
        Node mask = f.add(new CompareOp(CompareFn.GT), col, f.add(new ConstantOp(0, DType.F64)));
        Node picked = f.add(new WhereOp(), mask, a, f.add(new ConstantOp(-7, DType.F64)));
        assertClose(matrix(row(-7, -7, -7), row(1, 2, 3)), f.eval(picked));
    }

    @Test
    void castTruncatesTowardZeroAndMasksBecomeOneOrZero() {
        Node x = f.input("x", vector(-2.7, 2.7, -0.5, 1e10));
        assertClose(vector(-2, 2, 0, Integer.MAX_VALUE), f.eval(f.add(new CastOp(DType.I32), x)), 0);
        Node mask = f.add(new CompareOp(CompareFn.GT), x, f.add(new ConstantOp(0, DType.F64)));
        assertClose(vector(0, 1, 0, 1), f.eval(f.add(new CastOp(DType.F32), mask)), 0);
        Node i = f.labels("i", vector(3, -4));
        assertClose(vector(3, -4), f.eval(f.add(new CastOp(DType.F64), i)), 0);
    }
}
