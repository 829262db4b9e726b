package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.List;
import java.util.function.Supplier;

/** Checks shared by {@link LayerNormOp} and {@link BatchNormOp}. */
final class Norms {

    private Norms() {
    }

    static void checkEps(String op, double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new ShapeException(op + ": eps must be a finite number >= 0, got " + Format.number(eps));
        }
    }

    /** gamma (argument 1) and beta (argument 2): x's element type, the {@code expected} shape. */
    static void checkAffine(String op, TensorType x, List<TensorType> args, Shape expected, String why) {
        String[] names = {"gamma", "beta"};
        for (int i = 1; i <= 2; i++) {
            TensorType t = args.get(i);
            TypeRules.requireFloat(op, i, t);
            TypeRules.sameDtype(op, i, x, t);
            if (!t.shape().equals(expected)) {
                throw new ShapeException(i, op + ": " + names[i - 1] + " must have shape " + expected + " ("
                        + why + "), got " + t.shape());
            }
        }
    }

    /**
     * The shared derivative of the normalizations, biased variance, along one {@code axis}:
     * <pre>
     *   xhat   = (x - mean(x)) * rstd,      rstd = 1 / sqrt(var(x) + eps)
     *   dx     = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),   dxhat = dy * gamma
     *   dgamma = sum(dy * xhat),  dbeta = sum(dy)   over the axes gamma is broadcast along
     * </pre>
     * {@code gamma} is already shaped to broadcast against {@code x}; {@code paramAxes} are the axes to sum
     * for the affine parameters.
     */
    static Node[] vjp(GradBuilder g, Vjp v, int axis, double eps, Supplier<Node> gamma, List<Integer> paramAxes) {
        Node x = v.x(0);
        Node dy = v.dy();
        List<Integer> stats = List.of(axis);
        // rebuilding the statistics is cheap to write twice: hash-consing returns the same nodes
        Supplier<Node> rstd = () -> g.div(g.constant(1, x), g.unary(UnaryFn.SQRT,
                g.add(g.mean(g.square(centered(g, x, stats)), stats, true), g.constant(eps, x))));
        Supplier<Node> xhat = () -> g.mul(centered(g, x, stats), rstd.get());
        return v.each(() -> {
            Node dxhat = g.mul(dy, gamma.get());
            Node meanDxhat = g.mean(dxhat, stats, true);
            Node projection = g.mul(xhat.get(), g.mean(g.mul(dxhat, xhat.get()), stats, true));
            return g.mul(rstd.get(), g.sub(g.sub(dxhat, meanDxhat), projection));
        }, () -> g.sum(g.mul(dy, xhat.get()), paramAxes, false), () -> g.sum(dy, paramAxes, false));
    }

    private static Node centered(GradBuilder g, Node x, List<Integer> stats) {
        return g.sub(x, g.mean(x, stats, true));
    }

    static String adjointRule(int i) {
        return switch (i) {
            case 0 -> "normalization: dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gamma";
            case 1 -> "d gamma = sum(dy * xhat)";
            default -> "d beta = sum(dy)";
        };
    }

    /** The kernel call, with two scratch buffers for the mean and the inverse deviation of each line. */
    static CodeBlock lower(LoweringContext ctx, Node y, String kernel, CodeBlock args) {
        return CodeBlock.of("$T.forward($L, $L, $L, $L);\n", JavaCode.rt(kernel), args, ctx.ref(y),
                ctx.scratch(y, "mean"), ctx.scratch(y, "rstd"));
    }

    /** The mean and the inverse deviation of each of {@code lines} lines. */
    static List<dev.adjoint.compiler.ir.Op.Scratch> scratch(Node y, Dim lines) {
        return List.of(new dev.adjoint.compiler.ir.Op.Scratch("mean", y.dtype(), lines),
                new dev.adjoint.compiler.ir.Op.Scratch("rstd", y.dtype(), lines));
    }
}
