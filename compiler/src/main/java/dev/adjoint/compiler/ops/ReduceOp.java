package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reduction over {@code axes} (normalized: non-negative, strictly increasing). Reduced axes are dropped,
 * or kept with size 1 when {@code keepdims}. Empty {@code axes} leaves the value unchanged in shape.
 */
public record ReduceOp(ReduceFn fn, List<Integer> axes, boolean keepdims) implements Op {

    public ReduceOp {
        Objects.requireNonNull(fn, "fn");
        axes = List.copyOf(axes);
    }

    /**
     * The reduction of a value of shape {@code in} over the axes as written in the model.
     *
     * @param axesAsWritten axes that may count from the end; null reduces over every axis
     * @throws ShapeException for an axis out of range ({@code sum: axis 2 is out of range ...}) or one
     *     listed twice ({@code sum: axis 1 listed twice})
     */
    public static ReduceOp of(ReduceFn fn, Shape in, List<Long> axesAsWritten, boolean keepdims) {
        List<Integer> axes = new ArrayList<>();
        if (axesAsWritten == null) {
            for (int i = 0; i < in.rank(); i++) {
                axes.add(i);
            }
            return new ReduceOp(fn, axes, keepdims);
        }
        Map<Integer, Long> written = new HashMap<>();
        for (Long a : axesAsWritten) {
            int axis = in.normalizeAxis(fn.text(), a);
            Long before = written.putIfAbsent(axis, a);
            if (before != null) {
                throw new ShapeException(fn.text() + ": axis " + axis + " listed twice"
                        + (before.equals(a) ? "" : " (as " + before + " and " + a + ")"));
            }
            axes.add(axis);
        }
        Collections.sort(axes);
        return new ReduceOp(fn, axes, keepdims);
    }

    @Override
    public String name() {
        return fn.text();
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        if (fn.acceptsI32()) {
            TypeRules.requireNumber(name(), 0, x);
        } else {
            TypeRules.requireFloat(name(), 0, x);
        }
        Axes.checkSortedDistinct(name(), 0, x.shape(), axes);
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!axes.contains(i)) {
                out.add(x.shape().dim(i));
            } else if (keepdims) {
                out.add(Dim.of(1));
            }
        }
        return x.withShape(new Shape(out));
    }

    @Override
    public String attributes() {
        return "axes=" + axes + ", keepdims=" + keepdims;
    }
}
