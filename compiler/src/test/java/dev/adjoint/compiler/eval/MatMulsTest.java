package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static dev.adjoint.compiler.eval.Fixture.assertScalar;
import static dev.adjoint.compiler.eval.Fixture.matrix;
import static dev.adjoint.compiler.eval.Fixture.row;
import static dev.adjoint.compiler.eval.Fixture.vector;

import dev.adjoint.compiler.ops.MatMulOp;
import org.junit.jupiter.api.Test;

class MatMulsTest {
    private final Fixture f = new Fixture();

    private NdArray matmul(NdArray a, NdArray b) {
        return f.eval(f.add(new MatMulOp(), f.input("a", a), f.input("b", b)));
    }

    private static NdArray batch(double[]... flatMatrices2x2) {
        double[] data = new double[flatMatrices2x2.length * 4];
        for (int i = 0; i < flatMatrices2x2.length; i++) {
            System.arraycopy(flatMatrices2x2[i], 0, data, 4 * i, 4);
        }
        return new NdArray(new int[] {flatMatrices2x2.length, 2, 2}, data);
    }

    @Test
    void vectorDotVector() {
        assertScalar(32, matmul(vector(1, 2, 3), vector(4, 5, 6)), 0);
    }

    @Test
    void vectorTimesMatrix() {
        assertClose(vector(9, 12, 15), matmul(vector(1, 2), matrix(row(1, 2, 3), row(4, 5, 6))));
    }

    @Test
    void matrixTimesVector() {
        assertClose(vector(-2, -2), matmul(matrix(row(1, 2, 3), row(4, 5, 6)), vector(1, 0, -1)));
    }

    @Test
    void matrixTimesMatrix() {
        assertClose(matrix(row(19, 22), row(43, 50)), matmul(matrix(row(1, 2), row(3, 4)), matrix(row(5, 6), row(7, 8))));
        assertClose(matrix(row(4, 5, 6)), matmul(matrix(row(1, 1)), matrix(row(1, 2, 3), row(3, 3, 3))));
    }

    @Test
    void batchedTimesBatched() {
        NdArray a = batch(row(1, 2, 3, 4), row(0, 1, 1, 0));
        NdArray b = batch(row(5, 6, 7, 8), row(1, 2, 3, 4));
        assertClose(batch(row(19, 22, 43, 50), row(3, 4, 1, 2)), matmul(a, b));
    }

    @Test
    void batchedTimesOneMatrix() {
        NdArray a = batch(row(1, 2, 3, 4), row(0, 1, 1, 0));
        assertClose(batch(row(19, 22, 43, 50), row(7, 8, 5, 6)), matmul(a, matrix(row(5, 6), row(7, 8))));
        NdArray rows = new NdArray(new int[] {2, 1, 3}, new double[] {1, 0, 0, 0, 1, 1});
        NdArray expected = new NdArray(new int[] {2, 1, 2}, new double[] {1, 2, 8, 10});
        assertClose(expected, matmul(rows, matrix(row(1, 2), row(3, 4), row(5, 6))));
    }
}
