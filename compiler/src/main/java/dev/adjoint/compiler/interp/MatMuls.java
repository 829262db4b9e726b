package dev.adjoint.compiler.interp;

import java.util.Arrays;

/**
 * {@code a @ b} for the rank cases of {@link dev.adjoint.compiler.ops.MatMul}. Every case is a batch of
 * {@code [m, k] @ [k, n]} products over row-major data: a vector on the left is one row ({@code m = 1}),
 * a vector on the right one column ({@code n = 1}), and a rank-2 right operand in {@code [N, a, b] @ [b, c]}
 * is shared by every batch entry.
 */
final class MatMuls {

    private MatMuls() {
    }

    static NdArray matmul(NdArray a, NdArray b, int[] outShape) {
        int ra = a.rank();
        int rb = b.rank();
        int[] x = a.shape();
        int[] y = b.shape();
        int batch = ra == 3 ? x[0] : 1;
        int m = ra == 1 ? 1 : x[ra - 2];
        int k = x[ra - 1];
        int n = rb == 1 ? 1 : y[rb - 1];
        boolean sharedB = rb < 3;
        int kb = rb == 1 ? y[0] : y[rb - 2];
        boolean supported = (ra == 1 || ra == 2) && (rb == 1 || rb == 2) || ra == 3 && (rb == 2 || rb == 3);
        if (!supported || kb != k || rb == 3 && y[0] != batch) {
            throw new IllegalStateException("interpreter: matmul of " + Arrays.toString(x) + " and "
                    + Arrays.toString(y));
        }
        double[] out = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            int aBase = p * m * k;
            int bBase = sharedB ? 0 : p * k * n;
            int oBase = p * m * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        s += a.data()[aBase + i * k + q] * b.data()[bBase + q * n + j];
                    }
                    out[oBase + i * n + j] = s;
                }
            }
        }
        return new NdArray(outShape, out);
    }
}
