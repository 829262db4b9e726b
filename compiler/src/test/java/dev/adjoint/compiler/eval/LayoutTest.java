package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static dev.adjoint.compiler.eval.Fixture.iota;
import static dev.adjoint.compiler.eval.Fixture.matrix;
import static dev.adjoint.compiler.eval.Fixture.row;
import static dev.adjoint.compiler.eval.Fixture.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.ConcatOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.PadOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.ops.TransposeOp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutTest {
    private final Fixture f = new Fixture();

    @Test
    void transposeOfAMatrix() {
        Node x = f.input("x", matrix(row(1, 2, 3), row(4, 5, 6)));
        assertClose(matrix(row(1, 4), row(2, 5), row(3, 6)), f.eval(f.add(TransposeOp.MATRIX, x)));
    }

    @Test
    void transposeOfARank3Tensor() {
        Node x = f.input("x", iota(2, 3, 4));
        NdArray y = f.eval(f.add(new TransposeOp(List.of(2, 0, 1)), x));
        assertEquals(List.of(4, 2, 3), Arrays.stream(y.shape()).boxed().toList());
        assertEquals(23, y.get(3, 1, 2)); // x[1, 2, 3]
        assertEquals(13, y.get(1, 1, 0)); // x[1, 0, 1]
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(j * 12 + k * 4 + i, y.get(i, j, k));
                }
            }
        }
        NdArray back = f.eval(f.add(new TransposeOp(List.of(1, 2, 0)), f.add(new TransposeOp(List.of(2, 0, 1)), x)));
        assertClose(iota(2, 3, 4), back, 0);
    }

    @Test
    void reshapeKeepsRowMajorOrder() {
        Node x = f.input("x", iota(2, 3));
        assertClose(iota(3, 2), f.eval(f.add(new ReshapeOp(Shape.of(3, 2)), x)), 0);
        assertClose(iota(6), f.eval(f.add(new ReshapeOp(Shape.of(6)), x)), 0);
    }

    @Test
    void concatAlongEachAxis() {
        Node a = f.input("a", matrix(row(1), row(2)));
        Node b = f.input("b", matrix(row(3, 4), row(5, 6)));
        assertClose(matrix(row(1, 3, 4), row(2, 5, 6)), f.eval(f.add(new ConcatOp(1), a, b)));
        Node c = f.input("c", matrix(row(7, 8)));
        assertClose(matrix(row(3, 4), row(5, 6), row(7, 8), row(3, 4), row(5, 6)), f.eval(f.add(new ConcatOp(0), b, c, b)));
        Node u = f.input("u", vector(1, 2));
        Node v = f.input("v", vector(3));
        assertClose(vector(1, 2, 3, 1, 2), f.eval(f.add(new ConcatOp(0), u, v, u)));
    }

    @Test
    void sliceTakesTheRangeAndPadUndoesIt() {
        Node x = f.input("x", iota(3, 4));
        SliceOp middle = new SliceOp(List.of(0, 1), List.of(1L, 1L), List.of(3L, 3L));
        Node s = f.add(middle, x);
        assertClose(matrix(row(5, 6), row(9, 10)), f.eval(s), 0);
        NdArray padded = f.eval(f.add(PadOp.undo(middle, x.shape()), s));
        assertClose(matrix(row(0, 0, 0, 0), row(0, 5, 6, 0), row(0, 9, 10, 0)), padded, 0);
        Node again = f.add(middle, f.add(PadOp.undo(middle, x.shape()), s));
        assertClose(f.eval(s), f.eval(again), 0);
    }

    @Test
    void sliceWithWrittenBoundsCountingFromTheEnd() {
        Node x = f.input("x", iota(3, 4));
        SliceOp written = SliceOp.resolve(x.shape(), Arrays.asList(-2L, null), Arrays.asList(null, 2L)); // x[-2:, :2]
        assertClose(matrix(row(4, 5), row(8, 9)), f.eval(f.add(written, x)), 0);
        Node t = f.input("t", iota(2, 3, 4));
        SliceOp inner = SliceOp.resolve(t.shape(), Arrays.asList(null, 1L, 3L), Arrays.asList(null, null, null));
        NdArray y = f.eval(f.add(inner, t)); // t[:, 1:, 3:]
        assertClose(new NdArray(new int[] {2, 2, 1}, new double[] {7, 11, 19, 23}), y, 0);
        NdArray back = f.eval(f.add(PadOp.undo(inner, t.shape()), f.add(inner, t)));
        assertEquals(List.of(2, 3, 4), Arrays.stream(back.shape()).boxed().toList());
        assertEquals(7 + 11 + 19 + 23, Arrays.stream(back.data()).sum());
        assertEquals(23, back.get(1, 2, 3));
        assertEquals(0, back.get(1, 0, 3));
    }

    @Test
    void broadcastRepeatsOnesAndMissingAxes() {
        Node b = f.input("b", vector(1, 2));
        assertClose(matrix(row(1, 2), row(1, 2), row(1, 2)), f.eval(f.add(new BroadcastOp(Shape.of(3, 2)), b)));
        Node col = f.input("col", matrix(row(1), row(2)));
        assertClose(matrix(row(1, 1, 1), row(2, 2, 2)), f.eval(f.add(new BroadcastOp(Shape.of(2, 3)), col)));
    }

    @Test
    void oneHotRowsAndOutOfRangeLabels() {
        Node y = f.labels("y", vector(2, 0));
        assertClose(matrix(row(0, 0, 1), row(1, 0, 0)), f.eval(f.add(new OneHotOp(3, DType.F32), y)), 0);
        Node bad = f.labels("bad", vector(0, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.eval(f.add(new OneHotOp(3, DType.F32), bad)));
        assertEquals("one_hot: label 3 in row 1 is out of range for 3 classes (valid: 0..2)", e.getMessage());
        Node negative = f.labels("negative", matrix(row(0, 1), row(-1, 2)));
        e = assertThrows(IllegalArgumentException.class, () -> f.eval(f.add(new OneHotOp(3, DType.F64), negative)));
        assertEquals("one_hot: label -1 in row [1, 0] is out of range for 3 classes (valid: 0..2)", e.getMessage());
    }
}
