package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * NumPy broadcasting: shapes align on the right and a fixed dimension of size 1 stretches. Two dimensions
 * are compatible when they are equal monomials ({@code B} and {@code B}) or either is the fixed 1; a
 * symbolic dimension never matches a fixed one other than 1, since its size is only known at run time.
 */
public final class Broadcasting {

    private Broadcasting() {
    }

    /**
     * The broadcast shape of {@code shapes}.
     *
     * @throws ShapeException {@code add: shapes [B, 3] and [4] do not broadcast: dimension 3 vs 4}
     */
    public static Shape shape(String op, Shape... shapes) {
        int rank = 0;
        for (Shape s : shapes) {
            rank = Math.max(rank, s.rank());
        }
        List<Dim> out = new ArrayList<>(rank);
        for (int back = 1; back <= rank; back++) {
            Dim d = null;
            for (Shape s : shapes) {
                if (s.rank() < back) {
                    continue;
                }
                Dim e = s.dim(s.rank() - back);
                if (d == null || d.isOne()) {
                    d = e;
                } else if (!e.isOne() && !e.equals(d)) {
                    throw new ShapeException(op + ": shapes " + list(shapes) + " do not broadcast: dimension " + d
                            + " vs " + e);
                }
            }
            out.add(d);
        }
        Collections.reverse(out);
        return new Shape(out);
    }

    /** True when {@code from} broadcasts to exactly {@code to}. */
    public static boolean broadcastsTo(Shape from, Shape to) {
        if (from.rank() > to.rank()) {
            return false;
        }
        int offset = to.rank() - from.rank();
        for (int i = 0; i < from.rank(); i++) {
            Dim d = from.dim(i);
            if (!d.isOne() && !d.equals(to.dim(offset + i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code [2] and [3]}, {@code [2], [3] and [4]}. */
    private static String list(Shape... shapes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shapes.length; i++) {
            if (i > 0) {
                b.append(i == shapes.length - 1 ? " and " : ", ");
            }
            b.append(shapes[i]);
        }
        return b.toString();
    }
}
