package dev.adjoint.compiler.ad;

import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.BatchNormOp;
import dev.adjoint.compiler.ops.LayerNormOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.UnaryFn;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Derivative rules of the dedicated neural-network ops. Each is the closed form, built only from values that
 * stay bounded (softmax probabilities, normalized {@code x}), so the gradients are as stable as the forward.
 */
final class NeuralRules {

    private NeuralRules() {
    }

    /** {@code y = softmax(x)}: {@code dx = y * (dy - sum(dy * y))} along the axis. */
    static Node[] softmax(GradBuilder g, Vjp v) {
        List<Integer> axis = List.of(v.op(SoftmaxOp.class).axis());
        Node y = v.y();
        return v.each(() -> g.mul(y, g.sub(v.dy(), g.sum(g.mul(v.dy(), y), axis, true))));
    }

    /** {@code y = log_softmax(x)}: {@code dx = dy - softmax(x) * sum(dy)} along the axis. */
    static Node[] logSoftmax(GradBuilder g, Vjp v) {
        int axis = v.op(LogSoftmaxOp.class).axis();
        Node p = g.op(new SoftmaxOp(axis), v.x(0));
        return v.each(() -> g.sub(v.dy(), g.mul(p, g.sum(v.dy(), List.of(axis), true))));
    }

    /**
     * {@code cross_entropy(logits, labels)}, one loss per row: {@code dlogits = (softmax(logits) -
     * one_hot(labels)) * dy}, with dy spread over the class axis. The labels get none.
     */
    static Node[] crossEntropy(GradBuilder g, Vjp v) {
        Node logits = v.x(0);
        Shape shape = logits.shape();
        int classAxis = shape.rank() - 1;
        Dim classes = shape.dim(classAxis);
        return v.each(() -> {
            if (!classes.isFixed()) {
                throw new UnsupportedOperationException("cross_entropy: cannot differentiate over the symbolic"
                        + " class axis " + classes + " of " + shape + " (one_hot needs a fixed class count)");
            }
            Node p = g.op(new SoftmaxOp(classAxis), logits);
            Node target = g.op(new OneHotOp((int) classes.size(), logits.dtype()), v.x(1));
            List<Dim> rows = new ArrayList<>(v.dy().shape().dims());
            rows.add(Dim.of(1));
            return g.mul(g.sub(p, target), g.reshape(v.dy(), new Shape(rows)));
        }, null);
    }

    /** {@code layer_norm(x, gamma, beta, axis, eps)}, statistics along {@code axis}; gamma lies along it. */
    static Node[] layerNorm(GradBuilder g, Vjp v) {
        LayerNormOp op = v.op(LayerNormOp.class);
        int axis = op.axis();
        Node x = v.x(0);
        List<Dim> along = new ArrayList<>();
        for (int i = 0; i < x.shape().rank(); i++) {
            along.add(i == axis ? x.shape().dim(i) : Dim.of(1));
        }
        // gamma [D] placed on the normalized axis so it broadcasts against x
        return normalization(g, v, axis, op.eps(), () -> g.reshape(v.x(1), new Shape(along)),
                GradBuilder.allAxesBut(x, axis));
    }

    /** {@code batch_norm(x, gamma, beta, eps)}, statistics over the batch (axis 0); gamma is one example's shape. */
    static Node[] batchNorm(GradBuilder g, Vjp v) {
        BatchNormOp op = v.op(BatchNormOp.class);
        return normalization(g, v, 0, op.eps(), () -> v.x(1), List.of(0));
    }

    /**
     * The shared rule of the normalizations, biased variance, along one {@code axis}:
     * <pre>
     *   xhat   = (x - mean(x)) * rstd,      rstd = 1 / sqrt(var(x) + eps)
     *   dx     = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),   dxhat = dy * gamma
     *   dgamma = sum(dy * xhat),  dbeta = sum(dy)   over the axes gamma is broadcast along
     * </pre>
     * {@code gamma} is already shaped to broadcast against {@code x}; {@code paramAxes} are the axes to sum
     * for the affine parameters.
     */
    private static Node[] normalization(GradBuilder g, Vjp v, int axis, double eps, Supplier<Node> gamma,
            List<Integer> paramAxes) {
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
}
