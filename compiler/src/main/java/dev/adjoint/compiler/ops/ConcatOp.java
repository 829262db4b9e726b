package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Optional;

/**
 * {@code concat([a, b, ...], axis=k)} with {@code k} normalized: the tensors, of one element type and one
 * rank, agree on every axis but {@code k}, whose sizes add up ({@code B + B = 2*B}; {@code B + 3} cannot).
 * Argument indices in errors are positions in the list.
 */
public record ConcatOp(int axis) implements Op {

    @Override
    public String name() {
        return "concat";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        if (args.isEmpty()) {
            throw new ShapeException("concat: needs at least one tensor");
        }
        TensorType first = args.get(0);
        TypeRules.requireNumber(name(), 0, first);
        Shape s0 = first.shape();
        if (s0.isScalar()) {
            throw new ShapeException(0, "concat: cannot concatenate the scalar " + first + "; reshape it to [1] first");
        }
        Axes.check(name(), -1, s0, axis);
        Dim total = s0.dim(axis);
        for (int i = 1; i < args.size(); i++) {
            TensorType t = args.get(i);
            TypeRules.requireNumber(name(), i, t);
            TypeRules.sameDtype(name(), i, first, t);
            Shape s = t.shape();
            if (s.rank() != s0.rank()) {
                throw new ShapeException(i, "concat: tensor " + i + " has shape " + s + " of rank " + s.rank()
                        + ", but tensor 0 has shape " + s0 + " of rank " + s0.rank());
            }
            for (int d = 0; d < s.rank(); d++) {
                if (d != axis && !s.dim(d).equals(s0.dim(d))) {
                    throw new ShapeException(i, "concat: shapes " + s0 + " (tensor 0) and " + s + " (tensor " + i
                            + ") differ on axis " + d + " (" + s0.dim(d) + " vs " + s.dim(d) + "); only axis " + axis
                            + " may differ");
                }
            }
            Optional<Dim> sum = total.plus(s.dim(axis));
            if (sum.isEmpty()) {
                throw new ShapeException(i, "concat: cannot join " + s + " (tensor " + i + ") along axis " + axis
                        + ": the size " + total + " so far plus " + s.dim(axis) + " is not a single dimension");
            }
            total = sum.get();
        }
        return first.withShape(s0.withDim(axis, total));
    }

    @Override
    public String attributes() {
        return "axis=" + axis;
    }
}
