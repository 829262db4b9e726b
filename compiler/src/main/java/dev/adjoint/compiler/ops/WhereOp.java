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

/**
 * {@code where(mask, a, b)}: {@code a} where the mask is true, else {@code b}. The three shapes broadcast
 * together; {@code a} and {@code b} are numbers of one element type, which the result has.
 */
public record WhereOp() implements ElementwiseOp {

    @Override
    public String name() {
        return "where";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 3);
        TensorType mask = args.get(0);
        TensorType a = args.get(1);
        TensorType b = args.get(2);
        if (mask.dtype() != DType.BOOL) {
            throw new ShapeException(0, "where: the first argument must be a comparison mask like x > 0, got " + mask);
        }
        for (int i = 1; i <= 2; i++) {
            if (args.get(i).dtype() == DType.BOOL) {
                throw new ShapeException(i, "where: the values to choose from must be numbers, got the mask "
                        + args.get(i) + " as the " + (i == 1 ? "second" : "third") + " argument");
            }
        }
        TypeRules.sameDtype(name(), a, b);
        return new TensorType(a.dtype(), Broadcasting.shape(name(), mask.shape(), a.shape(), b.shape()));
    }

    /** Select, never multiply by the mask: the branch not taken gets an exact 0 even where it is Inf/NaN. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return v.each(
                null,
                () -> g.sumTo(g.where(v.x(0), v.dy(), g.constant(0, v.dy())), v.shape(1)),
                () -> g.sumTo(g.where(v.x(0), g.constant(0, v.dy()), v.dy()), v.shape(2)));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return i == 1 ? "d where(m, a, b)/da = [m]" : i == 2 ? "d where(m, a, b)/db = [not m]" : "";
    }

    @Override
    public double apply(double[] a) {
        return a[0] != 0 ? a[1] : a[2];
    }

    /** In floating point through {@code FastMath.where}: the same choice, without a mispredicted jump. */
    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        if (y.dtype() == DType.I32) {
            return JavaExpr.exact("$L ? $L : $L", a.get(0), a.get(1), a.get(2));
        }
        return JavaExpr.exact("$T.where($L, $L, $L)", JavaCode.rt("FastMath"), a.get(0), a.get(1), a.get(2));
    }
}
