package dev.adjoint.compiler.ops;

/**
 * Two sizes for the spatial axes of an {@code [N, C, H, W]} value, height first: a window's size, stride,
 * padding or dilation in {@code conv2d} and the poolings, written in a model as one integer for both or a
 * pair {@code [h, w]}.
 */
public record Pair(int h, int w) {

    /** The same size on both axes. */
    public static Pair of(int both) {
        return new Pair(both, both);
    }

    /** The size on spatial axis {@code axis}: 0 the height, 1 the width. */
    public int get(int axis) {
        return axis == 0 ? h : w;
    }

    /** {@code 3} when both sizes agree, else {@code [3, 2]}: as a model would write it. */
    @Override
    public String toString() {
        return h == w ? Integer.toString(h) : "[" + h + ", " + w + "]";
    }
}
