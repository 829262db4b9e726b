package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code gelu_grad(x, dy) = dy * gelu'(x)} for the tanh approximation of gelu: its derivative is long
 * when written in primitives, so the differentiator uses this one elementwise op. Arguments have the
 * same type. Made by the differentiator.
 */
public record GeluGradOp() implements ElementwiseOp {

    @Override
    public String name() {
        return "gelu_grad";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TypeRules.requireFloat(name(), 0, args.get(0));
        TypeRules.sameDtype(name(), args.get(0), args.get(1));
        return args.get(0).withShape(Broadcasting.shape(name(), args.get(0).shape(), args.get(1).shape()));
    }

    /** The gradient of gelu is not differentiated again (second derivatives of gelu are not supported). */
    @Override
    public Differentiability differentiability() {
        return Differentiability.NONE;
    }

    @Override
    public double apply(double[] a) {
        return a[1] * derivative(a[0]);
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        return JavaExpr.exact("$L * $T.geluDerivative($L)", a.get(1), JavaCode.rt("Activations"), a.get(0));
    }

    /**
     * d/dx of {@code 0.5 x (1 + tanh(u))} with {@code u = c (x + a x^3)}:
     * {@code 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) c (1 + 3 a x^2)}. Where {@code tanh u} is exactly
     * ±1 the second term is 0 (written out, it would be 0 * infinity for huge |x|).
     */
    static double derivative(double x) {
        double t = Math.tanh(UnaryFn.GELU_C * (x + UnaryFn.GELU_A * x * x * x));
        double sech2 = 1 - t * t;
        double tail = sech2 == 0 ? 0 : 0.5 * x * sech2 * UnaryFn.GELU_C * (1 + 3 * UnaryFn.GELU_A * x * x);
        return 0.5 * (1 + t) + tail;
    }
}
