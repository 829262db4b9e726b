package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * The adjoint of a {@link SliceOp}: a tensor of shape {@code to}, zero everywhere except the sliced region,
 * which holds the input. {@code axes}, {@code starts} are those of the slice; the input's shape must be
 * {@code to} with each listed axis shrunk to the slice's length. Made by the differentiator.
 */
public record PadOp(Shape to, List<Integer> axes, List<Long> starts) implements Op {

    public PadOp {
        Objects.requireNonNull(to, "to");
        axes = List.copyOf(axes);
        starts = List.copyOf(starts);
        if (axes.size() != starts.size()) {
            throw new IllegalArgumentException("axes and starts differ in length: " + axes + " " + starts);
        }
    }

    /** The pad that undoes {@code slice} on an input of shape {@code in}. */
    public static PadOp undo(SliceOp slice, Shape in) {
        return new PadOp(in, slice.axes(), slice.starts());
    }

    @Override
    public String name() {
        return "pad";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        Shape in = args.get(0).shape();
        if (in.rank() != to.rank()) {
            throw new ShapeException(0, "pad: " + in + " and " + to + " differ in rank");
        }
        Axes.checkSortedDistinct(name(), -1, to, axes);
        for (int axis = 0; axis < to.rank(); axis++) {
            int i = axes.indexOf(axis);
            Dim target = to.dim(axis);
            if (i < 0) {
                if (!in.dim(axis).equals(target)) {
                    throw new ShapeException(0, "pad: " + in + " does not fit in " + to + " on axis " + axis);
                }
            } else if (!target.isFixed() || !in.dim(axis).isFixed()
                    || starts.get(i) < 0 || starts.get(i) + in.dim(axis).size() > target.size()) {
                throw new ShapeException(0, "pad: " + in + " at offset " + starts.get(i) + " does not fit in " + to
                        + " on axis " + axis);
            }
        }
        return args.get(0).withShape(to);
    }

    @Override
    public String attributes() {
        return "to=" + to + ", axes=" + axes + ", starts=" + starts;
    }
}
