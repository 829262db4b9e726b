package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * Elementwise arithmetic of two arguments with NumPy broadcasting. Both arguments have the same element
 * type; {@code i32} is allowed where the result stays exact ({@code + - * max min}). Each function's formula,
 * derivative and Java expression are a row of the {@link BinaryFn} table.
 */
public record BinaryOp(BinaryFn fn) implements ElementwiseOp {

    public BinaryOp {
        Objects.requireNonNull(fn, "fn");
    }

    @Override
    public String name() {
        return fn.text();
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 2);
        TensorType a = args.get(0);
        TensorType b = args.get(1);
        TypeRules.requireNumber(name(), 0, a);
        TypeRules.requireNumber(name(), 1, b);
        TypeRules.sameDtype(name(), a, b);
        if (!fn.acceptsI32() && !a.dtype().isFloat()) {
            throw new ShapeException(name() + ": needs f32 or f64 operands, got " + written(a, b)
                    + "; convert first with cast(x, f32)");
        }
        return new TensorType(a.dtype(), Broadcasting.shape(name(), a.shape(), b.shape()));
    }

    /** {@code i32[B] / i32[]} or {@code max(i32[B], i32[])}. */
    private String written(TensorType a, TensorType b) {
        return fn.isInfix() ? a + " " + fn.symbol() + " " + b : fn.symbol() + "(" + a + ", " + b + ")";
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return fn.vjp(g, v);
    }

    @Override
    public String adjointRule(Node y, int i) {
        boolean broadcast = !y.input(i).shape().equals(y.shape());
        return fn.rule(i) + (broadcast ? ", summed over the broadcast axes" : "");
    }

    @Override
    public double apply(double[] a) {
        return fn.apply(a[0], a[1]);
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        return fn.java(a.get(0), a.get(1));
    }
}
