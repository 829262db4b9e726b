package dev.adjoint.compiler.eval;

/** The one loop of the ops that move elements without arithmetic (transpose, slice, broadcast). */
public final class Layout {

    private Layout() {
    }

    /** Element {@code k} of the result, at multi-index {@code i}, is {@code x.data[first + i . strides]}. */
    public static NdArray gather(NdArray x, int first, int[] strides, int[] outShape) {
        double[] out = new double[Index.size(outShape)];
        int[] index = new int[outShape.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = x.data()[first + Index.dot(index, strides)];
            Index.next(index, outShape);
        }
        return new NdArray(outShape, out);
    }
}
