package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static dev.adjoint.compiler.eval.Fixture.iota;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.AvgPool2dGradOp;
import dev.adjoint.compiler.ops.AvgPool2dOp;
import dev.adjoint.compiler.ops.Conv2dFilterGradOp;
import dev.adjoint.compiler.ops.Conv2dInputGradOp;
import dev.adjoint.compiler.ops.Conv2dOp;
import dev.adjoint.compiler.ops.MaxPool2dGradOp;
import dev.adjoint.compiler.ops.MaxPool2dOp;
import dev.adjoint.compiler.ops.Pair;
import dev.adjoint.compiler.ops.ScatterAddOp;
import dev.adjoint.compiler.ops.TakeOp;
import org.junit.jupiter.api.Test;

/** The reference evaluation of convolution, pooling and gather on values worked out by hand. */
class SpatialTest {
    private final Fixture f = new Fixture();

    private static NdArray images(int[] shape, double... values) {
        return new NdArray(shape, values);
    }

    private static Conv2dOp conv(int stride, int padding, int dilation) {
        return new Conv2dOp(Pair.of(stride), Pair.of(padding), Pair.of(dilation));
    }

    @Test
    void convolutionIsACrossCorrelationWithZeroPadding() {
        Node x = f.input("x", images(new int[] {1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        Node w = f.input("w", images(new int[] {1, 1, 2, 2}, 1, 0, 0, -1));
        // y[i, j] = x[i, j] - x[i + 1, j + 1]
        assertClose(images(new int[] {1, 1, 2, 2}, -4, -4, -4, -4), f.eval(f.add(conv(1, 0, 1), x, w)));
        // padded by one: the corners see one tap each, x[0, 0] (as -x) and x[2, 2]
        NdArray padded = f.eval(f.add(conv(1, 1, 1), x, w));
        assertEquals(-1, padded.get(0, 0, 0, 0));
        assertEquals(9, padded.get(0, 0, 3, 3));
        assertEquals(1 - 5, padded.get(0, 0, 1, 1));
        // stride 2 over the padded input: positions (0, 0), (0, 2), (2, 0), (2, 2) of the 4x4 result
        assertClose(images(new int[] {1, 1, 2, 2}, -1, -3, -7, -4), f.eval(f.add(conv(2, 1, 1), x, w)));
        // dilation 2: one position, reading the four corners
        Node ones = f.input("ones", images(new int[] {1, 1, 2, 2}, 1, 1, 1, 1));
        assertClose(images(new int[] {1, 1, 1, 1}, 1 + 3 + 7 + 9), f.eval(f.add(conv(1, 0, 2), x, ones)));
    }

    @Test
    void channelsAreSummedAndEachFilterMakesAMap() {
        Node x = f.input("x", iota(2, 2, 1, 2));                    // two images, two channels, 1x2
        Node w = f.input("w", images(new int[] {3, 2, 1, 1}, 1, 0, 0, 1, 1, -1));
        // 1x1 filters mix the channels: (c0), (c1), (c0 - c1)
        assertClose(images(new int[] {2, 3, 1, 2}, 0, 1, 2, 3, -2, -2, 4, 5, 6, 7, -2, -2),
                f.eval(f.add(conv(1, 0, 1), x, w)));
    }

    @Test
    void theGradientsAreTheSameSumReadTwoOtherWays() {
        Node x = f.input("x", iota(1, 1, 3, 3));
        Node w = f.input("w", images(new int[] {1, 1, 2, 2}, 1, 2, 3, 4));
        Node dy = f.input("dy", images(new int[] {1, 1, 2, 2}, 1, 0, 0, 0));
        // only y[0, 0] gets a gradient: it read x[0..1, 0..1] with the weights 1, 2, 3, 4
        NdArray dx = f.eval(f.add(new Conv2dInputGradOp(Pair.of(1), Pair.of(0), Pair.of(1), Pair.of(3)), dy, w));
        assertClose(images(new int[] {1, 1, 3, 3}, 1, 2, 0, 3, 4, 0, 0, 0, 0), dx);
        NdArray dw = f.eval(f.add(new Conv2dFilterGradOp(Pair.of(1), Pair.of(0), Pair.of(1), Pair.of(2)), x, dy));
        assertClose(images(new int[] {1, 1, 2, 2}, 0, 1, 3, 4), dw);
    }

    @Test
    void maxPoolingTakesTheFirstMaximumAndNeverThePadding() {
        Node x = f.input("x", images(new int[] {1, 1, 2, 2}, 1, 3, 3, 2));
        MaxPool2dOp pool = new MaxPool2dOp(Pair.of(2), Pair.of(2), Pair.of(0));
        Node y = f.add(pool, x);
        assertClose(images(new int[] {1, 1, 1, 1}, 3), f.eval(y));
        Node dy = f.input("dy", images(new int[] {1, 1, 1, 1}, 5));
        MaxPool2dGradOp grad = new MaxPool2dGradOp(Pair.of(2), Pair.of(2), Pair.of(0));
        // a tie: the gradient goes to the first maximum in row-major order, (0, 1), alone
        assertClose(images(new int[] {1, 1, 2, 2}, 0, 5, 0, 0), f.eval(f.add(grad, x, y, dy)));

        Node negative = f.input("n", images(new int[] {1, 1, 2, 2}, -1, -2, -3, -4));
        NdArray padded = f.eval(f.add(new MaxPool2dOp(Pair.of(2), Pair.of(1), Pair.of(1)), negative));
        // corner windows hold one element each: the padding is not a 0 that would win
        assertClose(images(new int[] {1, 1, 3, 3}, -1, -1, -2, -1, -1, -2, -3, -3, -4), padded);
    }

    @Test
    void aNanIsTheMaximumOfItsWindow() {
        Node x = f.input("x", images(new int[] {1, 1, 2, 2}, 1, Double.NaN, 2, 0));
        NdArray y = f.eval(f.add(new MaxPool2dOp(Pair.of(2), Pair.of(2), Pair.of(0)), x));
        assertEquals(Double.NaN, y.get(0, 0, 0, 0));
    }

    @Test
    void overlappingWindowsAddTheirGradients() {
        Node x = f.input("x", images(new int[] {1, 1, 1, 3}, 0, 9, 1));
        Node dy = f.input("dy", images(new int[] {1, 1, 1, 2}, 1, 10));
        MaxPool2dGradOp grad = new MaxPool2dGradOp(new Pair(1, 2), Pair.of(1), Pair.of(0));
        Node y = f.add(new MaxPool2dOp(new Pair(1, 2), Pair.of(1), Pair.of(0)), x);
        assertClose(images(new int[] {1, 1, 1, 3}, 0, 11, 0), f.eval(f.add(grad, x, y, dy)));
    }

    @Test
    void averagePoolingCountsThePaddingAsZeros() {
        Node x = f.input("x", images(new int[] {1, 1, 2, 2}, 4, 4, 4, 4));
        NdArray y = f.eval(f.add(new AvgPool2dOp(Pair.of(2), Pair.of(1), Pair.of(1)), x));
        assertClose(images(new int[] {1, 1, 3, 3}, 1, 2, 1, 2, 4, 2, 1, 2, 1), y);
        Node dy = f.input("dy", images(new int[] {1, 1, 1, 1}, 8));
        NdArray dx = f.eval(f.add(new AvgPool2dGradOp(Pair.of(2), Pair.of(2), Pair.of(1), new Pair(1, 1)), dy));
        // the one window holds the input element and three of padding: it gets 8 / 4
        assertClose(images(new int[] {1, 1, 1, 1}, 2), dx);
    }

    @Test
    void takeCopiesRowsAndScatterAddSumsRepeats() {
        Node table = f.input("E", Fixture.matrix(Fixture.row(1, 2), Fixture.row(3, 4), Fixture.row(5, 6)));
        Node idx = f.labels("i", Fixture.matrix(Fixture.row(2, 0), Fixture.row(2, 2)));
        assertClose(new NdArray(new int[] {2, 2, 2}, new double[] {5, 6, 1, 2, 5, 6, 5, 6}),
                f.eval(f.add(new TakeOp("i"), table, idx)));
        Node dy = f.input("dy", iota(2, 2, 2));
        // row 2 was taken three times: 0+1, 4+5, 6+7
        assertClose(Fixture.matrix(Fixture.row(2, 3), Fixture.row(0, 0), Fixture.row(10, 13)),
                f.eval(f.add(new ScatterAddOp(Dim.of(3), "i"), dy, idx)));
    }

    @Test
    void anIndexOutOfRangeNamesTheIndicesTheIndexAndWhereItIs() {
        Node table = f.input("E", Fixture.matrix(Fixture.row(1, 2), Fixture.row(3, 4), Fixture.row(5, 6)));
        Node idx = f.labels("tokens", Fixture.matrix(Fixture.row(0, 1), Fixture.row(3, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.eval(f.add(new TakeOp("tokens"), table, idx)));
        assertEquals("take: index 3 at [1, 0] of tokens is out of range for a table of 3 rows (valid: 0..2)",
                e.getMessage());
        Node scalar = f.labels("k", new NdArray(new int[0], new double[] {-1}));
        e = assertThrows(IllegalArgumentException.class, () -> f.eval(f.add(new TakeOp("k"), table, scalar)));
        assertEquals("take: index -1 of k is out of range for a table of 3 rows (valid: 0..2)", e.getMessage());
    }
}
