package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * An elementwise comparison with broadcasting, giving a {@code bool} mask. Never differentiated. The
 * operands are numbers of one element type; masks themselves cannot be compared.
 */
public record CompareOp(CompareFn fn) implements ElementwiseOp {

    public CompareOp {
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
        return new TensorType(DType.BOOL, Broadcasting.shape(name(), a.shape(), b.shape()));
    }

    @Override
    public String attributes() {
        return fn.symbol();
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    @Override
    public double apply(double[] a) {
        double x = a[0];
        double y = a[1];
        boolean r = switch (fn) {
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            case EQ -> x == y;
            case NE -> x != y;
        };
        return r ? 1 : 0;
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        return JavaExpr.exact("$L $L $L", a.get(0), fn.symbol(), a.get(1));
    }
}
