package dev.adjoint.compiler.interp;

import dev.adjoint.compiler.ops.ReduceFn;
import java.util.Arrays;
import java.util.List;

/**
 * {@code sum mean max logsumexp} over a set of axes. The result is computed in the keepdims layout (the
 * reduced axes kept with size 1), which has the same row-major order as the layout without them.
 */
final class Reductions {

    private Reductions() {
    }

    static NdArray reduce(ReduceFn fn, List<Integer> axes, NdArray x, int[] outShape) {
        int[] in = x.shape();
        int[] kept = in.clone();
        int count = 1;
        for (int axis : axes) {
            kept[axis] = 1;
            count *= in[axis];
        }
        int[] toOut = Index.broadcastStrides(kept, in);
        int n = Index.size(kept);
        double[] out = switch (fn) {
            case SUM -> sum(x, toOut, n);
            case MEAN -> divide(sum(x, toOut, n), count);
            case MAX -> max(x, toOut, n);
            case LOGSUMEXP -> logSumExp(x, toOut, n);
        };
        return new NdArray(outShape, out);
    }

    private static double[] sum(NdArray x, int[] toOut, int n) {
        double[] acc = new double[n];
        int[] index = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            acc[Index.dot(index, toOut)] += x.data()[i];
            Index.next(index, x.shape());
        }
        return acc;
    }

    private static double[] divide(double[] values, int count) {
        for (int i = 0; i < values.length; i++) {
            values[i] /= count;
        }
        return values;
    }

    /** NaN wins, as in NumPy and PyTorch ({@link Math#max} propagates it). */
    private static double[] max(NdArray x, int[] toOut, int n) {
        double[] acc = new double[n];
        Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        int[] index = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            int o = Index.dot(index, toOut);
            acc[o] = Math.max(acc[o], x.data()[i]);
            Index.next(index, x.shape());
        }
        return acc;
    }

    /** {@code m + log(sum(exp(x - m)))} with {@code m} the maximum; an infinite maximum is the answer itself. */
    private static double[] logSumExp(NdArray x, int[] toOut, int n) {
        double[] m = max(x, toOut, n);
        double[] s = new double[n];
        int[] index = new int[x.rank()];
        for (int i = 0; i < x.size(); i++) {
            int o = Index.dot(index, toOut);
            s[o] += Math.exp(x.data()[i] - m[o]);
            Index.next(index, x.shape());
        }
        double[] out = new double[n];
        for (int o = 0; o < n; o++) {
            out[o] = Double.isInfinite(m[o]) ? m[o] : m[o] + Math.log(s[o]);
        }
        return out;
    }
}
