package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code stop_gradient(x)}: the value of {@code x}, through which no gradient flows (JAX's
 * {@code lax.stop_gradient}, PyTorch's {@code x.detach()}); the differentiator treats it as a constant.
 */
public record StopGradientOp() implements ElementwiseOp {

    @Override
    public String name() {
        return "stop_gradient";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TypeRules.requireNumber(name(), 0, args.get(0));
        return args.get(0);
    }

    /** Gradients stop here: the adjoint of {@code x} gets nothing from this use. */
    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    @Override
    public double apply(double[] a) {
        return a[0];
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        return JavaExpr.exact("$L", a.get(0));
    }
}
