package dev.adjoint.compiler.eval;

/**
 * Row-major index arithmetic. Loops walk an output shape with an "odometer" multi-index ({@link #next})
 * and find each input element by a dot product with strides; a broadcast axis has stride 0.
 */
public final class Index {

    private Index() {
    }

    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("interpreter: an array of " + n + " elements is too large");
        }
        return (int) n;
    }

    /** Row-major strides: the last axis has stride 1. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }

    /**
     * Strides for reading an array of shape {@code in} at indices of the shape {@code out} it broadcasts to
     * (NumPy rules: aligned on the right; a size-1 or missing axis is repeated, so its stride is 0).
     */
    public static int[] broadcastStrides(int[] in, int[] out) {
        int[] own = strides(in);
        int[] s = new int[out.length];
        int offset = out.length - in.length;
        for (int d = 0; d < in.length; d++) {
            if (in[d] != 1 && in[d] != out[offset + d]) {
                throw new IllegalStateException("interpreter: cannot broadcast axis " + d + " of size " + in[d]
                        + " to " + out[offset + d]);
            }
            s[offset + d] = in[d] == 1 ? 0 : own[d];
        }
        return s;
    }

    public static int dot(int[] index, int[] strides) {
        int flat = 0;
        for (int d = 0; d < index.length; d++) {
            flat += index[d] * strides[d];
        }
        return flat;
    }

    /** Advances {@code index} to the next position of {@code shape} in row-major order (wraps at the end). */
    public static void next(int[] index, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return;
            }
            index[d] = 0;
        }
    }

    /** The product of the axes before {@code axis}. */
    public static int outer(int[] shape, int axis) {
        int n = 1;
        for (int d = 0; d < axis; d++) {
            n *= shape[d];
        }
        return n;
    }

    /** The product of the axes after {@code axis}. */
    public static int inner(int[] shape, int axis) {
        int n = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            n *= shape[d];
        }
        return n;
    }
}
