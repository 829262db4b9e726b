package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static dev.adjoint.compiler.eval.Fixture.matrix;
import static dev.adjoint.compiler.eval.Fixture.row;
import static dev.adjoint.compiler.eval.Fixture.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.BatchNormOp;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.LayerNormOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import org.junit.jupiter.api.Test;

class NeuralTest {
    /** softmax([1, 2, 3]) and log(e + e^2 + e^3). */
    private static final double P1 = 0.09003057317038046;
    private static final double P2 = 0.24472847105479767;
    private static final double P3 = 0.6652409557748219;
    private static final double LSE = 3.40760596444438;

    private final Fixture f = new Fixture();

    @Test
    void softmaxAlongTheLastAxisAndAlongAxis0() {
        Node x = f.input("x", matrix(row(1, 2, 3), row(3, 2, 1)));
        assertClose(matrix(row(P1, P2, P3), row(P3, P2, P1)), f.eval(f.add(new SoftmaxOp(1), x)), 1e-15);
        Node y = f.input("y", matrix(row(1, 5), row(2, 5), row(3, 5)));
        assertClose(matrix(row(P1, 1.0 / 3), row(P2, 1.0 / 3), row(P3, 1.0 / 3)), f.eval(f.add(new SoftmaxOp(0), y)),
                1e-15);
    }

    @Test
    void softmaxAlongTheMiddleAxisOfARank3Tensor() {
        // x[i, j, k]: the lines along axis 1 are (1, 2, 3) for k = 0 and constant for k = 1.
        Node x = f.input("x", new NdArray(new int[] {1, 3, 2}, new double[] {1, 7, 2, 7, 3, 7}));
        NdArray expected = new NdArray(new int[] {1, 3, 2}, new double[] {P1, 1.0 / 3, P2, 1.0 / 3, P3, 1.0 / 3});
        assertClose(expected, f.eval(f.add(new SoftmaxOp(1), x)), 1e-15);
    }

    @Test
    void logSoftmax() {
        Node x = f.input("x", matrix(row(1, 2, 3), row(0, 0, 0)));
        double third = -Math.log(3);
        assertClose(matrix(row(1 - LSE, 2 - LSE, 3 - LSE), row(third, third, third)),
                f.eval(f.add(new LogSoftmaxOp(1), x)), 1e-14);
    }

    @Test
    void crossEntropyIsLogSumExpMinusTheLabelledLogit() {
        Node logits = f.input("logits", matrix(row(1, 2, 3), row(1, 2, 3), row(0, 0, 0)));
        Node y = f.labels("y", vector(2, 0, 1));
        assertClose(vector(LSE - 3, LSE - 1, Math.log(3)), f.eval(f.add(new CrossEntropyOp(), logits, y)), 1e-14);
        Node one = f.input("one", vector(1, 2, 3));
        Node label = f.labels("label", NdArray.scalar(1));
        Fixture.assertScalar(LSE - 2, f.eval(f.add(new CrossEntropyOp(), one, label)), 1e-14);
    }

    @Test
    void crossEntropyRejectsAnOutOfRangeLabel() {
        Node logits = f.input("logits", matrix(row(1, 2, 3), row(1, 2, 3)));
        Node y = f.labels("y", vector(0, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.eval(f.add(new CrossEntropyOp(), logits, y)));
        assertEquals("cross_entropy: label 3 in row 1 is out of range for 3 classes (valid: 0..2)", e.getMessage());
        Node negative = f.labels("negative", vector(-1, 0));
        e = assertThrows(IllegalArgumentException.class, () -> f.eval(f.add(new CrossEntropyOp(), logits, negative)));
        assertEquals("cross_entropy: label -1 in row 0 is out of range for 3 classes (valid: 0..2)", e.getMessage());
    }

    @Test
    void layerNormUsesTheBiasedVarianceAlongItsAxis() {
        // (1, 2, 3) and (10, 11, 12): mean in the middle, variance 2/3, so each normalized row is (-s, 0, s)
        // with s = sqrt(3/2).
        double s = Math.sqrt(1.5);
        Node x = f.input("x", matrix(row(1, 2, 3), row(10, 11, 12)));
        Node gamma = f.input("gamma", vector(1, 2, 3));
        Node beta = f.input("beta", vector(0, 1, -1));
        assertClose(matrix(row(-s, 1, 3 * s - 1), row(-s, 1, 3 * s - 1)),
                f.eval(f.add(new LayerNormOp(1, 0), x, gamma, beta)), 1e-14);
        // With eps: 1 / sqrt(2/3 + eps); a constant row normalizes to 0, leaving beta.
        double eps = 0.1;
        double t = 1 / Math.sqrt(2.0 / 3 + eps);
        Node y = f.input("y", matrix(row(1, 2, 3), row(10, 10, 10)));
        assertClose(matrix(row(-t, 1, 3 * t - 1), row(0, 1, -1)), f.eval(f.add(new LayerNormOp(1, eps), y, gamma, beta)),
                1e-14);
    }

    @Test
    void layerNormAlongAxis0() {
        Node x = f.input("x", matrix(row(1, 5), row(3, 9)));
        Node gamma = f.input("gamma", vector(2, 1));
        Node beta = f.input("beta", vector(0, 0.5));
        // Each column normalizes to (-1, 1); element j of a column is scaled by gamma[j], shifted by beta[j].
        assertClose(matrix(row(-2, -2), row(1.5, 1.5)), f.eval(f.add(new LayerNormOp(0, 0), x, gamma, beta)), 1e-14);
    }

    @Test
    void batchNormNormalizesEachPositionOverTheBatch() {
        Node x = f.input("x", matrix(row(1, 10), row(3, 30)));
        Node gamma = f.input("gamma", vector(2, 3));
        Node beta = f.input("beta", vector(0.5, 0));
        assertClose(matrix(row(-1.5, -3), row(2.5, 3)), f.eval(f.add(new BatchNormOp(0), x, gamma, beta)), 1e-14);
        Node cube = f.input("cube", new NdArray(new int[] {2, 1, 2}, new double[] {0, 4, 2, 8}));
        Node g2 = f.input("g2", matrix(row(1, 1)));
        Node b2 = f.input("b2", matrix(row(0, 0)));
        double k = 1 / Math.sqrt(1 + 1);
        NdArray expected = new NdArray(new int[] {2, 1, 2}, new double[] {-k, -2 / Math.sqrt(4 + 1), k,
            2 / Math.sqrt(4 + 1)});
        assertClose(expected, f.eval(f.add(new BatchNormOp(1), cube, g2, b2)), 1e-14);
    }
}
