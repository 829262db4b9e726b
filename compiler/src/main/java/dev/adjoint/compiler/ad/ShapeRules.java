package dev.adjoint.compiler.ad;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.ConcatOp;
import dev.adjoint.compiler.ops.PadOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.ops.TransposeOp;
import java.util.ArrayList;
import java.util.List;

/** Derivative rules of the matrix product and of the ops that move elements around. */
final class ShapeRules {
    /** Swaps the last two axes of a batch of matrices. */
    private static final List<Integer> BATCH_T = List.of(0, 2, 1);

    private ShapeRules() {
    }

    /**
     * {@code y = a @ b} for every rank case {@link dev.adjoint.compiler.ops.MatMul} accepts. The 2-D case is
     * the textbook {@code da = dy @ b.T}, {@code db = a.T @ dy}; vectors become outer products (a broadcast
     * multiply) or matrix–vector products; a batch times one matrix folds the batch into the rows for db.
     */
    static Node[] matmul(GradBuilder g, Vjp v) {
        Node a = v.x(0);
        Node b = v.x(1);
        Node dy = v.dy();
        int ra = a.shape().rank();
        int rb = b.shape().rank();
        if (ra == 1 && rb == 1) {          // [k] . [k] -> []
            return v.each(() -> g.mul(dy, b), () -> g.mul(dy, a));
        }
        if (ra == 1) {                     // [k] @ [k, n] -> [n]
            return v.each(() -> g.matmul(b, dy), () -> g.mul(column(g, a), row(g, dy)));
        }
        if (rb == 1) {                     // [m, k] @ [k] -> [m]
            return v.each(() -> g.mul(column(g, dy), row(g, b)), () -> g.matmul(dy, a));
        }
        if (ra == 2) {                     // [m, k] @ [k, n] -> [m, n]
            return v.each(() -> g.matmul(dy, g.transpose(b, TransposeOp.MATRIX.perm())),
                    () -> g.matmul(g.transpose(a, TransposeOp.MATRIX.perm()), dy));
        }
        if (rb == 3) {                     // [N, a, b] @ [N, b, c] -> [N, a, c]
            return v.each(() -> g.matmul(dy, g.transpose(b, BATCH_T)), () -> g.matmul(g.transpose(a, BATCH_T), dy));
        }
        // [N, a, b] @ [b, c] -> [N, a, c]: db sums a.T @ dy over the batch, i.e. one [b, N*a] @ [N*a, c]
        return v.each(() -> g.matmul(dy, g.transpose(b, TransposeOp.MATRIX.perm())), () -> {
            Shape sa = a.shape();
            Dim rows = sa.dim(0).times(sa.dim(1));
            Node a2 = g.reshape(a, Shape.of(rows, sa.dim(2)));
            Node dy2 = g.reshape(dy, Shape.of(rows, dy.shape().dim(2)));
            return g.matmul(g.transpose(a2, TransposeOp.MATRIX.perm()), dy2);
        });
    }

    /** {@code [k] -> [k, 1]}. */
    private static Node column(GradBuilder g, Node vector) {
        return g.reshape(vector, Shape.of(vector.shape().dim(0), Dim.of(1)));
    }

    /** {@code [k] -> [1, k]}. */
    private static Node row(GradBuilder g, Node vector) {
        return g.reshape(vector, Shape.of(Dim.of(1), vector.shape().dim(0)));
    }

    /** {@code transpose(x, perm)}: transpose the adjoint back by the inverse permutation. */
    static Node[] transpose(GradBuilder g, Vjp v) {
        List<Integer> perm = v.op(TransposeOp.class).perm();
        Integer[] inverse = new Integer[perm.size()];
        for (int i = 0; i < perm.size(); i++) {
            inverse[perm.get(i)] = i;
        }
        return v.each(() -> g.transpose(v.dy(), List.of(inverse)));
    }

    /** {@code pad} (the adjoint of a slice): its own adjoint is the slice of the padded region. */
    static Node[] pad(GradBuilder g, Vjp v) {
        PadOp p = v.op(PadOp.class);
        List<Long> ends = new ArrayList<>();
        for (int i = 0; i < p.axes().size(); i++) {
            ends.add(p.starts().get(i) + v.shape(0).dim(p.axes().get(i)).size());
        }
        return v.each(() -> g.op(new SliceOp(p.axes(), p.starts(), ends), v.dy()));
    }

    /**
     * {@code concat([x0, x1, ...], axis)}: each input's adjoint is its slice of {@code dy} along the axis. When
     * that axis is symbolic but every input has the same size {@code d} there ({@code B + B = 2*B}), the axis
     * is split as {@code [n, d]} by a reshape so the slice is on the fixed {@code n}.
     */
    static Node[] concat(GradBuilder g, Vjp v) {
        int axis = v.op(ConcatOp.class).axis();
        int n = v.arity();
        if (n == 1) {
            return v.each(v::dy);
        }
        Node[] out = new Node[n];
        boolean fixed = true;
        boolean equal = true;
        for (int i = 0; i < n; i++) {
            fixed &= v.shape(i).dim(axis).isFixed();
            equal &= v.shape(i).dim(axis).equals(v.shape(0).dim(axis));
        }
        if (fixed) {
            long start = 0;
            for (int i = 0; i < n; i++) {
                long size = v.shape(i).dim(axis).size();
                if (v.needs(i)) {
                    out[i] = g.op(new SliceOp(List.of(axis), List.of(start), List.of(start + size)), v.dy());
                }
                start += size;
            }
            return out;
        }
        if (!equal) {
            throw new UnsupportedOperationException("concat: cannot differentiate a concatenation along the symbolic"
                    + " axis " + axis + " of " + v.y().shape() + " whose parts have different sizes");
        }
        List<Dim> split = new ArrayList<>(v.y().shape().dims());
        split.set(axis, v.shape(0).dim(axis));
        split.add(axis, Dim.of(n));
        Node parts = g.reshape(v.dy(), new Shape(split));
        for (int i = 0; i < n; i++) {
            if (v.needs(i)) {
                Node part = g.op(new SliceOp(List.of(axis), List.of((long) i), List.of((long) i + 1)), parts);
                out[i] = g.reshape(part, v.shape(i));
            }
        }
        return out;
    }
}
