package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static dev.adjoint.compiler.eval.Fixture.assertScalar;
import static dev.adjoint.compiler.eval.Fixture.iota;
import static dev.adjoint.compiler.eval.Fixture.matrix;
import static dev.adjoint.compiler.eval.Fixture.row;
import static dev.adjoint.compiler.eval.Fixture.vector;

import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReductionsTest {
    private static final double LSE123 = 3.40760596444438; // log(e + e^2 + e^3)

    private final Fixture f = new Fixture();
    private final Node x = f.input("x", matrix(row(1, 2, 3), row(4, 5, 6)));

    private NdArray reduce(ReduceFn fn, Node in, boolean keepdims, Integer... axes) {
        return f.eval(f.add(new ReduceOp(fn, List.of(axes), keepdims), in));
    }

    @Test
    void sumOverEachAxis() {
        assertClose(vector(5, 7, 9), reduce(ReduceFn.SUM, x, false, 0));
        assertClose(vector(6, 15), reduce(ReduceFn.SUM, x, false, 1));
        assertScalar(21, reduce(ReduceFn.SUM, x, false, 0, 1), 0);
    }

    @Test
    void keepdimsKeepsReducedAxesAsOnes() {
        assertClose(matrix(row(5, 7, 9)), reduce(ReduceFn.SUM, x, true, 0));
        assertClose(matrix(row(6), row(15)), reduce(ReduceFn.SUM, x, true, 1));
        assertClose(matrix(row(21)), reduce(ReduceFn.SUM, x, true, 0, 1));
    }

    @Test
    void meanMaxAndLogSumExp() {
        assertScalar(3.5, reduce(ReduceFn.MEAN, x, false, 0, 1), 1e-15);
        assertClose(vector(2.5, 3.5, 4.5), reduce(ReduceFn.MEAN, x, false, 0));
        assertClose(vector(3, 6), reduce(ReduceFn.MAX, x, false, 1));
        assertClose(matrix(row(4, 5, 6)), reduce(ReduceFn.MAX, x, true, 0));
        assertClose(vector(LSE123, LSE123 + 3), reduce(ReduceFn.LOGSUMEXP, x, false, 1));
        Node negative = f.input("n", vector(-5, -1, -3));
        assertScalar(-1, reduce(ReduceFn.MAX, negative, false, 0), 0);
    }

    @Test
    void emptyAxesIsTheIdentity() {
        for (ReduceFn fn : ReduceFn.values()) {
            assertClose(matrix(row(1, 2, 3), row(4, 5, 6)), reduce(fn, x, false));
        }
    }

    @Test
    void nonAdjacentAxesOfARank3Tensor() {
        // x[i, j, k] = 6i + 2j + k; the sum over i and k is 8j + 14.
        Node t = f.input("t", iota(2, 3, 2));
        assertClose(vector(14, 22, 30), reduce(ReduceFn.SUM, t, false, 0, 2));
        assertClose(new NdArray(new int[] {1, 3, 1}, new double[] {3.5, 5.5, 7.5}), reduce(ReduceFn.MEAN, t, true, 0, 2));
        assertClose(matrix(row(1, 3, 5), row(7, 9, 11)), reduce(ReduceFn.MAX, t, false, 2));
        assertClose(matrix(row(6, 7), row(8, 9), row(10, 11)), reduce(ReduceFn.MAX, t, false, 0));
    }

    @Test
    void reduceOfTheWholeTensorAsTheFrontEndBuildsIt() {
        Node t = f.input("t", iota(2, 3, 2));
        ReduceOp all = ReduceOp.of(ReduceFn.SUM, t.shape(), null, false);
        assertScalar(66, f.eval(f.add(all, t)), 0);
        ReduceOp last = ReduceOp.of(ReduceFn.SUM, t.shape(), List.of(-1L), true);
        assertClose(new NdArray(new int[] {2, 3, 1}, new double[] {1, 5, 9, 13, 17, 21}), f.eval(f.add(last, t)));
    }
}
