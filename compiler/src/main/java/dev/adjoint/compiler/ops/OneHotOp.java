package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@code one_hot(labels, n, dtype=f32)}: {@code i32[...]} labels to {@code dtype[..., n]} rows of 0s and one 1. */
public record OneHotOp(int n, DType dtype) implements Op {

    public OneHotOp {
        Objects.requireNonNull(dtype, "dtype");
    }

    @Override
    public String name() {
        return "one_hot";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType labels = args.get(0);
        if (labels.dtype() != DType.I32) {
            throw new ShapeException(0, "one_hot: labels must be integer class indices (i32), got " + labels);
        }
        if (n < 1) {
            throw new ShapeException(1, "one_hot: the number of classes must be at least 1, got " + n);
        }
        if (dtype == DType.BOOL) {
            throw new ShapeException(2, "one_hot: dtype must be f32, f64 or i32, got bool");
        }
        List<Dim> dims = new ArrayList<>(labels.shape().dims());
        dims.add(Dim.of(n));
        return new TensorType(dtype, new Shape(dims));
    }

    @Override
    public String attributes() {
        return "n=" + n + ", dtype=" + dtype;
    }
}
