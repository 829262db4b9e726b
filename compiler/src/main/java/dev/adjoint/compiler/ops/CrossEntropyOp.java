package dev.adjoint.compiler.ops;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code cross_entropy(logits, labels)}: for logits {@code [..., C]} and {@code i32} labels {@code [...]},
 * the loss {@code logsumexp(row) - row[label]} of each row, shaped {@code [...]}. A dedicated rule: it is
 * stable for large logits, and its gradient {@code softmax - one_hot} needs no division.
 */
public record CrossEntropyOp() implements Op {

    @Override
    public String name() {
        return "cross_entropy";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType logits = args.get(0);
        TensorType labels = args.get(1);
        TypeRules.requireFloat(name(), 0, logits);
        if (logits.shape().isScalar()) {
            throw new ShapeException(0, "cross_entropy: logits need a class axis (the last), got the scalar " + logits);
        }
        if (labels.dtype() != DType.I32) {
            throw new ShapeException(1, "cross_entropy: labels must be integer class indices (i32), got " + labels);
        }
        Shape rows = logits.shape().withoutAxis(logits.rank() - 1);
        if (!labels.shape().equals(rows)) {
            throw new ShapeException(1, "cross_entropy: logits " + logits.shape() + " need labels of shape " + rows
                    + ", got " + labels.shape());
        }
        return logits.withShape(rows);
    }
}
