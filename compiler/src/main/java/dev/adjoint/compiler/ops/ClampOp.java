package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.CompareFn.GE;
import static dev.adjoint.compiler.ops.CompareFn.GT;
import static dev.adjoint.compiler.ops.CompareFn.LE;
import static dev.adjoint.compiler.ops.CompareFn.LT;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;

/**
 * {@code clamp(x, lo, hi) = min(max(x, lo), hi)}, elementwise, with {@code lo} and {@code hi} broadcast against
 * {@code x} (a bound left out is an infinity). As PyTorch's {@code clamp}: where {@code lo > hi} the result is
 * {@code hi}; a NaN in {@code x} stays NaN; the gradient reaches {@code x} where {@code lo <= x <= hi},
 * {@code lo} where {@code x < lo < hi}, and {@code hi} where {@code x > hi} or {@code hi < lo}.
 */
public record ClampOp() implements ElementwiseOp {

    @Override
    public String name() {
        return "clamp";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 3);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        TypeRules.sameDtype(name(), 1, x, args.get(1));
        TypeRules.sameDtype(name(), 2, x, args.get(2));
        return x.withShape(Broadcasting.shape(name(), x.shape(), args.get(1).shape(), args.get(2).shape()));
    }

    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        Node x = v.x(0);
        Node lo = v.x(1);
        Node hi = v.x(2);
        Node dy = v.dy();
        Node zero = g.constant(0, dy);
        return v.each(
                () -> g.sumTo(g.where(g.compare(GE, x, lo), g.where(g.compare(LE, x, hi), dy, zero), zero),
                        v.shape(0)),
                () -> g.sumTo(g.where(g.compare(LT, x, lo), g.where(g.compare(LT, lo, hi), dy, zero), zero),
                        v.shape(1)),
                () -> g.sumTo(g.where(g.compare(GT, x, hi), dy, g.where(g.compare(LT, hi, lo), dy, zero)),
                        v.shape(2)));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return switch (i) {
            case 0 -> "d clamp(u, lo, hi)/du = [lo <= u <= hi]";
            case 1 -> "d clamp(u, lo, hi)/dlo = [u < lo < hi]";
            default -> "d clamp(u, lo, hi)/dhi = [u > hi or hi < lo]";
        };
    }

    @Override
    public double apply(double[] a) {
        return Math.min(Math.max(a[0], a[1]), a[2]);
    }

    @Override
    public JavaExpr java(Node y, List<CodeBlock> a) {
        return JavaExpr.exact("$T.min($T.max($L, $L), $L)", Math.class, Math.class, a.get(0), a.get(1), a.get(2));
    }
}
