package dev.adjoint.compiler.eval;

import java.util.List;

/** The reference loop of every elementwise op: one scalar formula per element, with NumPy broadcasting. */
public final class Elementwise {

    /** A scalar formula of the operands' elements (masks are 1 or 0), in double precision. */
    @FunctionalInterface
    public interface Formula {
        double apply(double[] operands);
    }

    private Elementwise() {
    }

    /** {@code f} applied to the operands, each broadcast to {@code shape}. */
    public static NdArray map(List<NdArray> operands, int[] shape, Formula f) {
        int n = operands.size();
        int[][] strides = new int[n][];
        for (int k = 0; k < n; k++) {
            strides[k] = Index.broadcastStrides(operands.get(k).shape(), shape);
        }
        double[] out = new double[Index.size(shape)];
        double[] at = new double[n];
        int[] index = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            for (int k = 0; k < n; k++) {
                at[k] = operands.get(k).data()[Index.dot(index, strides[k])];
            }
            out[i] = f.apply(at);
            Index.next(index, shape);
        }
        return new NdArray(shape.clone(), out);
    }
}
