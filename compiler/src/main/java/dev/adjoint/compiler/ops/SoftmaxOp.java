package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code softmax(x, axis)}: exponentials normalized to sum 1 along {@code axis} (normalized). A dedicated
 * rule: it subtracts the maximum first, so it never overflows.
 */
public record SoftmaxOp(int axis) implements Op {

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        Axes.check(name(), -1, x.shape(), axis);
        return x;
    }

    @Override
    public String attributes() {
        return "axis=" + axis;
    }
}
