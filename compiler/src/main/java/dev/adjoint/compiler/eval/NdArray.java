package dev.adjoint.compiler.eval;

import java.util.Arrays;

/**
 * A dense row-major array of doubles with a concrete shape; {@code i32} and {@code bool} values are stored
 * as doubles too (a mask is 1 or 0). The scalar has shape {@code []} and one element. Equality, hash code
 * and text are by content. The arrays are not copied: treat {@code shape} and {@code data} as read-only.
 */
public record NdArray(int[] shape, double[] data) {

    public NdArray {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements, but " + data.length + " values were given");
        }
    }

    public static NdArray scalar(double v) {
        return new NdArray(new int[0], new double[] {v});
    }

    public static NdArray zeros(int... shape) {
        return new NdArray(shape.clone(), new double[Index.size(shape)]);
    }

    public static NdArray vector(double... values) {
        return new NdArray(new int[] {values.length}, values.clone());
    }

    /** A matrix from its rows, which must have one length. */
    public static NdArray matrix(double[]... rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] data = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, data, i * cols, cols);
        }
        return new NdArray(new int[] {rows.length, cols}, data);
    }

    /** The same values under another shape with as many elements. */
    public NdArray reshape(int... newShape) {
        return new NdArray(newShape.clone(), data);
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    /** The element at a full index ({@code get()} for a scalar). */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " for shape " + Arrays.toString(shape));
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " for shape "
                        + Arrays.toString(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return data[flat];
    }

    /** The value of a one-element array (a scalar, or {@code [1, 1]}...). */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() of an array of shape " + Arrays.toString(shape));
        }
        return data[0];
    }

    /**
     * True when the shapes are equal and every pair of values satisfies {@code |a - b| <= atol + rtol * |b|}
     * (NumPy's {@code allclose}); NaNs match NaNs and infinities match equal infinities.
     */
    public boolean allClose(NdArray other, double rtol, double atol) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            double a = data[i];
            double b = other.data[i];
            boolean same = Double.compare(a, b) == 0 || a == b;
            if (!same && !(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** {@code [2, 3] [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}; a scalar is {@code [] 1.5}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(Arrays.toString(shape)).append(' ');
        nested(b, 0, 0);
        return b.toString();
    }

    private int nested(StringBuilder b, int axis, int offset) {
        if (axis == shape.length) {
            b.append(data[offset]);
            return offset + 1;
        }
        b.append('[');
        for (int i = 0; i < shape[axis]; i++) {
            if (i > 0) {
                b.append(", ");
            }
            offset = nested(b, axis + 1, offset);
        }
        b.append(']');
        return offset;
    }
}
