package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/** {@code log_softmax(x, axis)}: {@code x - logsumexp(x, axis, keepdims)}, a dedicated rule for stability. */
public record LogSoftmaxOp(int axis) implements Op {

    @Override
    public String name() {
        return "log_softmax";
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
