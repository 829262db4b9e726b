package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/** {@code leaky_relu(x, alpha)}: {@code x} where positive, {@code alpha * x} elsewhere. */
public record LeakyReluOp(double alpha) implements ElementwiseOp {

    @Override
    public String name() {
        return "leaky_relu";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TypeRules.requireFloat(name(), 0, args.get(0));
        return args.get(0);
    }

    @Override
    public String attributes() {
        return "alpha=" + Format.number(alpha);
    }

    /** leaky_relu'(x) = 1 for x > 0, else alpha (also at 0, as PyTorch's leaky_relu_backward). */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> g.where(g.compare(CompareFn.GT, v.x(0), 0), v.dy(), g.mul(v.dy(), alpha)));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "d leaky_relu(u)/du = 1 where u > 0, else alpha";
    }

    @Override
    public double apply(double[] a) {
        return a[0] > 0 ? a[0] : alpha * a[0];
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        CodeBlock x = a.get(0);
        return JavaExpr.exact("$T.where($L > 0, $L, $L * $L)", JavaCode.rt("FastMath"), x, x,
                JavaCode.literal(alpha, y.dtype()), x);
    }
}
