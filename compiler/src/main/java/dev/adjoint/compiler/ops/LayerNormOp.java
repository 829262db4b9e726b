package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code layer_norm(x, gamma, beta, axis, eps)}: {@code x} normalized to mean 0 and variance 1 along
 * {@code axis} (normalized), then scaled by {@code gamma} and shifted by {@code beta}, both of shape
 * {@code [x.dim(axis)]}. A dedicated rule: its gradient reuses the saved mean and inverse deviation.
 */
public record LayerNormOp(int axis, double eps) implements Op {

    @Override
    public String name() {
        return "layer_norm";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 3);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        Axes.check(name(), -1, x.shape(), axis);
        Norms.checkEps(name(), eps);
        Shape expected = Shape.of(x.shape().dim(axis));
        Norms.checkAffine(name(), x, args, expected, "[x.dim(" + axis + ")] of x " + x.shape());
        return x;
    }

    @Override
    public String attributes() {
        return "axis=" + axis + ", eps=" + Format.number(eps);
    }
}
