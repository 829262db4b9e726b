package dev.adjoint.compiler.interp;

import java.util.List;

/** Ops that move elements without arithmetic: transpose, concat, slice, pad, broadcast. */
final class Layout {

    private Layout() {
    }

    /** Axis {@code d} of the result is axis {@code perm[d]} of {@code x}. */
    static NdArray transpose(NdArray x, List<Integer> perm, int[] outShape) {
        int[] inStrides = Index.strides(x.shape());
        int[] strides = new int[perm.size()];
        for (int d = 0; d < strides.length; d++) {
            strides[d] = inStrides[perm.get(d)];
        }
        return gather(x, 0, strides, outShape);
    }

    /** {@code x} repeated along its size-1 and missing axes to {@code outShape}. */
    static NdArray broadcast(NdArray x, int[] outShape) {
        return gather(x, 0, Index.broadcastStrides(x.shape(), outShape), outShape);
    }

    /** The elements {@code starts[i] .. starts[i] + outShape[axes[i]] - 1} on each listed axis. */
    static NdArray slice(NdArray x, List<Integer> axes, List<Long> starts, int[] outShape) {
        int[] strides = Index.strides(x.shape());
        int first = 0;
        for (int i = 0; i < axes.size(); i++) {
            first += Math.toIntExact(starts.get(i)) * strides[axes.get(i)];
        }
        return gather(x, first, strides, outShape);
    }

    /** Zeros of {@code outShape} with {@code x} placed at {@code starts} on the listed axes: undoes a slice. */
    static NdArray pad(NdArray x, List<Integer> axes, List<Long> starts, int[] outShape) {
        int[] strides = Index.strides(outShape);
        int first = 0;
        for (int i = 0; i < axes.size(); i++) {
            first += Math.toIntExact(starts.get(i)) * strides[axes.get(i)];
        }
        double[] out = new double[Index.size(outShape)];
        int[] index = new int[x.rank()];
        for (int k = 0; k < x.size(); k++) {
            out[first + Index.dot(index, strides)] = x.data()[k];
            Index.next(index, x.shape());
        }
        return new NdArray(outShape, out);
    }

    /** The tensors joined along {@code axis}: for each position before the axis, each tensor's block in turn. */
    static NdArray concat(List<NdArray> xs, int axis, int[] outShape) {
        int outer = Index.outer(outShape, axis);
        double[] out = new double[Index.size(outShape)];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (NdArray x : xs) {
                int block = x.shape()[axis] * Index.inner(x.shape(), axis);
                System.arraycopy(x.data(), o * block, out, at, block);
                at += block;
            }
        }
        return new NdArray(outShape, out);
    }

    /** Element {@code k} of the result, at multi-index {@code i}, is {@code x.data[first + i . strides]}. */
    private static NdArray gather(NdArray x, int first, int[] strides, int[] outShape) {
        double[] out = new double[Index.size(outShape)];
        int[] index = new int[outShape.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = x.data()[first + Index.dot(index, strides)];
            Index.next(index, outShape);
        }
        return new NdArray(outShape, out);
    }
}
