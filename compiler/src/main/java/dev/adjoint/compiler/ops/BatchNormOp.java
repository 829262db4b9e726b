package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.Index;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.runtime.Mode;
import java.util.List;

/**
 * {@code batch_norm(x, gamma, beta, eps)}: {@code x} of shape {@code [N, ...]} normalized, then scaled by
 * {@code gamma} and shifted by {@code beta}, both shaped like one example ({@code x}'s shape without axis 0). In
 * training ({@link Mode#TRAINING}) it normalizes with the mean and biased variance of the batch (axis 0), and a
 * training step moves the running statistics towards them (PyTorch's momentum 0.1, unbiased variance; see
 * {@link dev.adjoint.runtime.BatchNorm}); in evaluation it normalizes with the running statistics. The running
 * statistics are the model's state {@code STATS.running_mean} and {@code STATS.running_var} (mean 0 and variance
 * 1 at first), {@code stats} being the name of {@code gamma}'s param (made unique in the model). The derivative is
 * that of training: gradients are only taken in training steps.
 *
 * @param stats the name the running statistics are saved under, before {@code .running_mean}
 */
public record BatchNormOp(double eps, String stats) implements Op {

    /** The prefix of the running statistics of a batch norm whose gamma is not a param. */
    public static final String DEFAULT_STATS = "batch_norm";

    public BatchNormOp {
        java.util.Objects.requireNonNull(stats, "stats");
    }

    /** A batch norm whose running statistics are {@link #DEFAULT_STATS}{@code .running_mean} and {@code .running_var}. */
    public BatchNormOp(double eps) {
        this(eps, DEFAULT_STATS);
    }

    @Override
    public String name() {
        return "batch_norm";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 3);
        TensorType x = args.get(0);
        TypeRules.requireFloat(name(), 0, x);
        if (x.rank() < 2) {
            throw new ShapeException(0, "batch_norm: x must have a batch axis and at least one more, [N, ...], got "
                    + x);
        }
        Norms.checkEps(name(), eps);
        Shape expected = x.shape().withoutAxis(0);
        Norms.checkAffine(name(), x, args, expected, "x's shape " + x.shape() + " without the batch axis");
        return x;
    }

    @Override
    public String attributes() {
        return "eps=" + Format.number(eps) + ", stats=" + stats;
    }

    /** The state names: {@code STATS.running_mean} and {@code STATS.running_var}. */
    public String runningMean() {
        return stats + ".running_mean";
    }

    public String runningVar() {
        return stats + ".running_var";
    }

    /** The running mean (initially 0) and variance (initially 1) of every position of an example. */
    @Override
    public List<State> state(Node y) {
        Dim features = y.input(0).shape().numel().dividedBy(y.input(0).shape().dim(0)).orElseThrow();
        return List.of(new State(runningMean(), y.dtype(), features, 0), new State(runningVar(), y.dtype(), features, 1));
    }

    @Override
    public boolean modeDependent() {
        return true;
    }

    /** The statistics are over the batch (axis 0); gamma is one example's shape. */
    @Override
    public Node[] vjp(GradBuilder g, Vjp v) {
        return Norms.vjp(g, v, 0, eps, () -> v.x(1), List.of(0));
    }

    @Override
    public String adjointRule(Node y, int i) {
        return Norms.adjointRule(i);
    }

    /**
     * The normalization over the batch axis 0: each of the {@code m} positions of one example has its own
     * mean and variance over the {@code n} examples (in training; in evaluation the running statistics of the
     * context's state, 0 and 1 when not given), and its own {@code gamma} and {@code beta}.
     */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray x = args.get(0);
        double[] gamma = args.get(1).data();
        double[] beta = args.get(2).data();
        int n = x.shape()[0];
        int m = Index.inner(x.shape(), 0);
        double[] v = x.data();
        double[] out = new double[v.length];
        boolean training = ctx.mode() == Mode.TRAINING;
        double[] runningMean = ctx.state(runningMean());
        double[] runningVar = ctx.state(runningVar());
        for (int p = 0; p < m; p++) {
            double mean = 0;
            double var = 0;
            if (training) {
                for (int b = 0; b < n; b++) {
                    mean += v[b * m + p];
                }
                mean /= n;
                for (int b = 0; b < n; b++) {
                    double d = v[b * m + p] - mean;
                    var += d * d;
                }
                var /= n;
            } else {
                mean = runningMean == null ? 0 : runningMean[p];
                var = runningVar == null ? 1 : runningVar[p];
            }
            double inv = 1 / Math.sqrt(var + eps);
            for (int b = 0; b < n; b++) {
                out[b * m + p] = (v[b * m + p] - mean) * inv * gamma[p] + beta[p];
            }
        }
        return new NdArray(x.shape().clone(), out);
    }

    /** The kernel in the call's mode, with the running statistics (updated by a training step). */
    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        Shape x = y.input(0).shape();
        return CodeBlock.of("$T.forward($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L);\n", JavaCode.rt("BatchNorm"),
                ctx.ref(y.input(0)), ctx.shapeArray(x), ctx.ref(y.input(1)), ctx.ref(y.input(2)),
                JavaCode.literal(eps, DType.F64), ctx.ref(y), ctx.scratch(y, "mean"), ctx.scratch(y, "rstd"),
                ctx.state(y, runningMean()), ctx.state(y, runningVar()), ctx.mode(), ctx.updating());
    }

    /** The mean and inverse deviation of each position of an example. */
    @Override
    public List<Scratch> scratch(Node y) {
        Shape x = y.input(0).shape();
        return Norms.scratch(y, x.numel().dividedBy(x.dim(0)).orElseThrow());
    }

    /** About 8 operations per input element (mean, variance, normalize, scale). */
    @Override
    public Dim flops(Node y) {
        return y.input(0).shape().numel().times(Dim.of(8));
    }
}
