package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
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

    /** {@code dlogits = (softmax(logits) - one_hot(labels)) * dy}, with dy spread over the class axis. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        Node logits = v.x(0);
        Shape shape = logits.shape();
        int classAxis = shape.rank() - 1;
        Dim classes = shape.dim(classAxis);
        return v.each(() -> {
            if (!classes.isFixed()) {
                throw new UnsupportedOperationException("cross_entropy: cannot differentiate over the symbolic"
                        + " class axis " + classes + " of " + shape + " (one_hot needs a fixed class count)");
            }
            Node p = g.op(new SoftmaxOp(classAxis), logits);
            Node target = g.op(new OneHotOp((int) classes.size(), logits.dtype()), v.x(1));
            List<Dim> rows = new ArrayList<>(v.dy().shape().dims());
            rows.add(Dim.of(1));
            return g.mul(g.sub(p, target), g.reshape(v.dy(), new Shape(rows)));
        }, null);
    }

    @Override
    public String adjointRule(Node y, int i) {
        return i == 0 ? "d cross_entropy/dlogits = softmax(logits) - one_hot(labels)" : "";
    }

    /** {@code logsumexp(row) - row[label]} for each row of {@code logits [..., C]}; labels {@code [...]}. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray logits = args.get(0);
        NdArray labels = args.get(1);
        int classes = logits.shape()[logits.rank() - 1];
        double[] v = logits.data();
        double[] out = new double[labels.size()];
        for (int r = 0; r < out.length; r++) {
            int label = OneHotOp.label("cross_entropy", labels, r, classes);
            int base = r * classes;
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, v[base + c]);
            }
            double s = 0;
            for (int c = 0; c < classes; c++) {
                s += Math.exp(v[base + c] - m);
            }
            out[r] = m + Math.log(s) - v[base + label];
        }
        return new NdArray(ctx.shape(y.shape()), out);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Shape logits = y.input(0).shape();
        return CodeBlock.of("$T.crossEntropy($L, $L, $L, $L, $L);\n", JavaCode.rt("CrossEntropy"),
                ctx.ref(y.input(0)), ctx.ref(y.input(1)), ctx.numel(y.shape()), ctx.dim(logits.dim(logits.rank() - 1)),
                ctx.ref(y));
    }

    /** About 5 operations per input element (max, exp, sum, divide). */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of(5));
    }
}
