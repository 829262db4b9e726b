package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code i32} labels, unchanged, each checked to lie in {@code [0, classes)}: what keeps the range check of
 * {@code one_hot} when the optimizer turns it into a comparison read by index ({@code Simplify}'s
 * {@code one-hot-as-comparison}). Elementwise, so it costs nothing but the check inside the comparison's loop.
 */
public record LabelCheckOp(int classes, String function) implements ElementwiseOp {

    @Override
    public String name() {
        return "check_labels";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        if (args.get(0).dtype() != DType.I32) {
            throw new ShapeException(0, "check_labels: labels must be i32, got " + args.get(0));
        }
        return args.get(0);
    }

    @Override
    public String attributes() {
        return "classes=" + classes;
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    @Override
    public double apply(double[] a) {
        double label = a[0];
        if (!(label >= 0 && label < classes)) {
            throw new IllegalArgumentException(function + ": label " + (long) label + " is out of range for " + classes
                    + " classes (valid: 0.." + (classes - 1) + ")");
        }
        return label;
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        return JavaExpr.exact("$T.check($L, $L, $S)", JavaCode.rt("Labels"), a.get(0), classes, function);
    }

    /** A check, not arithmetic. */
    @Override
    public dev.adjoint.compiler.ir.Dim flops(Node y) {
        return dev.adjoint.compiler.ir.Dim.of(0);
    }
}
