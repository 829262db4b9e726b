package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * An elementwise function of one argument; the result has the argument's type. Each function's formula,
 * derivative and Java expression are a row of the {@link UnaryFn} table.
 */
public record UnaryOp(UnaryFn fn) implements ElementwiseOp {

    public UnaryOp {
        Objects.requireNonNull(fn, "fn");
    }

    @Override
    public String name() {
        return fn.text();
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType x = args.get(0);
        if (fn.acceptsI32()) {
            TypeRules.requireNumber(name(), 0, x);
        } else {
            TypeRules.requireFloat(name(), 0, x);
        }
        return x;
    }

    @Override
    public Differentiability differentiability() {
        return fn == UnaryFn.SIGN ? Differentiability.PIECEWISE_CONSTANT : Differentiability.DIFFERENTIABLE;
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> fn.vjp(g, v.x(0), v.y(), v.dy()));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return fn.rule();
    }

    @Override
    public double apply(double[] a) {
        return fn.apply(a[0]);
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        return fn.java(a.get(0), y.dtype());
    }
}
