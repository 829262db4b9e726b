package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.Objects;

/**
 * {@code cast(x, type)}: converts to {@code f32}, {@code f64} or {@code i32} (from any of those or from a
 * {@code bool} mask, which becomes 1/0). Masks are made by comparisons, never by a cast.
 */
public record CastOp(DType to) implements ElementwiseOp {

    public CastOp {
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String name() {
        return "cast";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        if (to == DType.BOOL) {
            throw new ShapeException(1, "cast: cannot cast to bool; make a mask with a comparison such as x > 0");
        }
        return args.get(0).withDtype(to);
    }

    @Override
    public String attributes() {
        return "to=" + to;
    }

    /** A cast between floats casts the adjoint back; i32 and bool sources carry no gradient. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(() -> v.x(0).dtype().isFloat() ? g.cast(v.dy(), v.x(0).dtype()) : null);
    }

    @Override
    public String adjointRule(Node y, int i) {
        return "cast: du = dy cast back to " + y.input(0).dtype();
    }

    /** To i32 truncates toward zero like Java's {@code (int)}; floats keep the double value. */
    @Override
    public double apply(double[] a) {
        return to == DType.I32 ? (int) a[0] : a[0];
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        DType from = y.input(0).dtype();
        if (from == DType.BOOL) {
            return JavaExpr.exact("$L ? $L : $L", a.get(0), JavaCode.literal(1, to), JavaCode.literal(0, to));
        }
        boolean narrowing = to == DType.I32 && from != DType.I32 || to == DType.F32 && from == DType.F64;
        return narrowing ? JavaExpr.exact("($T) $L", JavaCode.elem(to), a.get(0)) : JavaExpr.exact("$L", a.get(0));
    }
}
