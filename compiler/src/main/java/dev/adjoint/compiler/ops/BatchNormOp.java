package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code batch_norm(x, gamma, beta, eps)}: {@code x} of shape {@code [N, ...]} normalized with the mean and
 * variance of the batch (axis 0), then scaled by {@code gamma} and shifted by {@code beta}, both shaped
 * like one example ({@code x}'s shape without axis 0).
 */
public record BatchNormOp(double eps) implements Op {

    @Override
    public String name() {
        return "batch_norm";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 3);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        if (x.rank() < 2) {
            throw new ShapeException(0, "batch_norm: x must have a batch axis and at least one more, [N, ...], got "
                    + x);
        }
        Norms.checkEps(name(), eps);
        Shape expected = x.shape().withoutAxis(0);
        Norms.checkAffine(name(), x, args, expected, "x's shape " + x.shape() + " without the batch axis");
        return x;
    }

    @Override
    public String attributes() {
        return "eps=" + Format.number(eps);
    }
}
