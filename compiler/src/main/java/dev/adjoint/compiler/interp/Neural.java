package dev.adjoint.compiler.interp;

import java.util.Arrays;

/**
 * The dedicated neural-network rules. Each works on "lines" along one axis: an array of shape
 * {@code [..., n, ...]} is viewed as {@code [outer, n, inner]}, and element {@code j} of line
 * {@code (o, i)} is at {@code (o * n + j) * inner + i}.
 */
final class Neural {

    private Neural() {
    }

    /** {@code exp(x - m) / sum(exp(x - m))} along {@code axis}, {@code m} the line's maximum. */
    static NdArray softmax(NdArray x, int axis) {
        return alongAxis(x, axis, false);
    }

    /** {@code x - m - log(sum(exp(x - m)))} along {@code axis}. */
    static NdArray logSoftmax(NdArray x, int axis) {
        return alongAxis(x, axis, true);
    }

    private static NdArray alongAxis(NdArray x, int axis, boolean log) {
        int outer = Index.outer(x.shape(), axis);
        int n = x.shape()[axis];
        int inner = Index.inner(x.shape(), axis);
        double[] v = x.data();
        double[] out = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    m = Math.max(m, v[base + j * inner]);
                }
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += Math.exp(v[base + j * inner] - m);
                }
                for (int j = 0; j < n; j++) {
                    double shifted = v[base + j * inner] - m;
                    out[base + j * inner] = log ? shifted - Math.log(s) : Math.exp(shifted) / s;
                }
            }
        }
        return new NdArray(x.shape().clone(), out);
    }

    /** {@code logsumexp(row) - row[label]} for each row of {@code logits [..., C]}; labels {@code [...]}. */
    static NdArray crossEntropy(NdArray logits, NdArray labels, int[] outShape) {
        int classes = logits.shape()[logits.rank() - 1];
        double[] v = logits.data();
        double[] out = new double[labels.size()];
        for (int r = 0; r < out.length; r++) {
            int label = label("cross_entropy", labels, r, classes);
            int base = r * classes;
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, v[base + c]);
            }
            double s = 0;
            for (int c = 0; c < classes; c++) {
                s += Math.exp(v[base + c] - m);
            }
            out[r] = m + Math.log(s) - v[base + label];
        }
        return new NdArray(outShape, out);
    }

    /** Labels {@code [...]} to rows {@code [..., n]} of 0s with a 1 at the label. */
    static NdArray oneHot(NdArray labels, int n, int[] outShape) {
        double[] out = new double[labels.size() * n];
        for (int r = 0; r < labels.size(); r++) {
            out[r * n + label("one_hot", labels, r, n)] = 1;
        }
        return new NdArray(outShape, out);
    }

    /** Label number {@code r} (row-major) as a class index; out of range is an error naming its row. */
    private static int label(String op, NdArray labels, int r, int classes) {
        double value = labels.data()[r];
        if (!(value >= 0 && value < classes) || value != Math.rint(value)) {
            String text = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
            throw new IllegalArgumentException(op + ": label " + text + " in row " + row(labels.shape(), r)
                    + " is out of range for " + classes + " classes (valid: 0.." + (classes - 1) + ")");
        }
        return (int) value;
    }

    /** {@code 3} for labels of rank 1, {@code [1, 2]} for higher ranks. */
    private static String row(int[] shape, int r) {
        if (shape.length <= 1) {
            return Integer.toString(r);
        }
        int[] index = new int[shape.length];
        for (int d = shape.length - 1, rest = r; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        return Arrays.toString(index);
    }

    /** {@code (x - mean) / sqrt(var + eps) * gamma[j] + beta[j]} along {@code axis}; biased variance. */
    static NdArray layerNorm(NdArray x, NdArray gamma, NdArray beta, int axis, double eps) {
        int outer = Index.outer(x.shape(), axis);
        int n = x.shape()[axis];
        int inner = Index.inner(x.shape(), axis);
        double[] v = x.data();
        double[] out = new double[v.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double mean = 0;
                for (int j = 0; j < n; j++) {
                    mean += v[base + j * inner];
                }
                mean /= n;
                double var = 0;
                for (int j = 0; j < n; j++) {
                    double d = v[base + j * inner] - mean;
                    var += d * d;
                }
                var /= n;
                double inv = 1 / Math.sqrt(var + eps);
                for (int j = 0; j < n; j++) {
                    int k = base + j * inner;
                    out[k] = (v[k] - mean) * inv * gamma.data()[j] + beta.data()[j];
                }
            }
        }
        return new NdArray(x.shape().clone(), out);
    }

    /**
     * The same normalization over the batch axis 0: each of the {@code m} positions of one example has
     * its own mean and variance over the {@code n} examples, and its own {@code gamma} and {@code beta}.
     */
    static NdArray batchNorm(NdArray x, NdArray gamma, NdArray beta, double eps) {
        int n = x.shape()[0];
        int m = Index.inner(x.shape(), 0);
        double[] v = x.data();
        double[] out = new double[v.length];
        for (int p = 0; p < m; p++) {
            double mean = 0;
            for (int b = 0; b < n; b++) {
                mean += v[b * m + p];
            }
            mean /= n;
            double var = 0;
            for (int b = 0; b < n; b++) {
                double d = v[b * m + p] - mean;
                var += d * d;
            }
            var /= n;
            double inv = 1 / Math.sqrt(var + eps);
            for (int b = 0; b < n; b++) {
                out[b * m + p] = (v[b * m + p] - mean) * inv * gamma.data()[p] + beta.data()[p];
            }
        }
        return new NdArray(x.shape().clone(), out);
    }
}
