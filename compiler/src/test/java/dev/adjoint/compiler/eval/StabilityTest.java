package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static dev.adjoint.compiler.eval.Fixture.matrix;
import static dev.adjoint.compiler.eval.Fixture.row;
import static dev.adjoint.compiler.eval.Fixture.vector;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Large arguments (±100, ±1000) give finite, correct values where naive formulas overflow. */
class StabilityTest {
    /** e^-100 / (1 + e^-100) and log1p(e^-100), equal in double precision. */
    private static final double TINY = 3.720075976020836e-44;

    private final Fixture f = new Fixture();

    private static void assertFinite(NdArray a) {
        for (double v : a.data()) {
            assertTrue(Double.isFinite(v), () -> "not finite: " + a);
        }
    }

    private NdArray eval(Node n) {
        NdArray v = f.eval(n);
        assertFinite(v);
        return v;
    }

    @Test
    void sigmoid() {
        Node x = f.input("x", vector(-1000, -100, 100, 1000));
        NdArray y = eval(f.add(new UnaryOp(UnaryFn.SIGMOID), x));
        assertClose(vector(0, TINY, 1, 1), y, 1e-300);
        assertTrue(y.data()[1] > 0, "sigmoid(-100) keeps its tiny positive value");
    }

    @Test
    void softplus() {
        Node x = f.input("x", vector(-1000, -100, 100, 1000));
        NdArray y = eval(f.add(new UnaryOp(UnaryFn.SOFTPLUS), x));
        assertClose(vector(0, TINY, 100, 1000), y, 1e-300);
    }

    @Test
    void softmaxAndLogSoftmax() {
        Node x = f.input("x", matrix(row(1000, 0, -1000), row(1000, 1000, 1000), row(-1000, -1000, -100)));
        NdArray p = eval(f.add(new SoftmaxOp(1), x));
        assertClose(matrix(row(1, 0, 0), row(1.0 / 3, 1.0 / 3, 1.0 / 3), row(0, 0, 1)), p, 1e-15);
        NdArray lp = eval(f.add(new LogSoftmaxOp(1), x));
        double third = -Math.log(3);
        assertClose(matrix(row(0, -1000, -2000), row(third, third, third), row(-900, -900, 0)), lp, 1e-12);
    }

    @Test
    void logSumExp() {
        Node x = f.input("x", matrix(row(1000, 1000), row(-1000, -1000), row(100, -100)));
        NdArray y = eval(f.add(new ReduceOp(ReduceFn.LOGSUMEXP, List.of(1), false), x));
        assertClose(vector(1000 + Math.log(2), -1000 + Math.log(2), 100), y, 1e-12);
    }

    @Test
    void crossEntropy() {
        Node logits = f.input("logits", matrix(row(1000, 0), row(1000, 0), row(-1000, -1000), row(100, -100)));
        Node y = f.labels("y", vector(1, 0, 0, 1));
        NdArray loss = eval(f.add(new CrossEntropyOp(), logits, y));
        assertClose(vector(1000, 0, Math.log(2), 200), loss, 1e-12);
    }
}
