package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import java.util.List;

/** Validation of axes that ops store already normalized. */
final class Axes {

    private Axes() {
    }

    /** Requires {@code 0 <= axis < rank}. */
    static void check(String op, int arg, Shape shape, int axis) {
        if (axis < 0 || axis >= shape.rank()) {
            throw new ShapeException(arg, op + ": axis " + axis + " is out of range for a tensor of rank "
                    + shape.rank() + " " + shape);
        }
    }

    /** Requires every axis in range and the list strictly increasing. */
    static void checkSortedDistinct(String op, int arg, Shape shape, List<Integer> axes) {
        for (int i = 0; i < axes.size(); i++) {
            check(op, arg, shape, axes.get(i));
            if (i > 0 && axes.get(i) <= axes.get(i - 1)) {
                throw new ShapeException(arg, op + ": axes " + axes + " must be distinct and in increasing order");
            }
        }
    }
}
