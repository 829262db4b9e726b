package dev.adjoint.compiler.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The shape of a tensor: a list of {@link Dim}s, row-major. The scalar shape is {@code []}. */
public record Shape(List<Dim> dims) {

    public static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = List.copyOf(dims);
    }

    public static Shape of(long... sizes) {
        List<Dim> d = new ArrayList<>();
        for (long s : sizes) {
            d.add(Dim.of(s));
        }
        return new Shape(d);
    }

    public static Shape of(Dim... dims) {
        return new Shape(List.of(dims));
    }

    public int rank() {
        return dims.size();
    }

    public boolean isScalar() {
        return dims.isEmpty();
    }

    public Dim dim(int axis) {
        return dims.get(axis);
    }

    /** True when every dimension is a fixed size. */
    public boolean isFixed() {
        return dims.stream().allMatch(Dim::isFixed);
    }

    /** The number of elements, as a monomial. */
    public Dim numel() {
        Dim n = Dim.of(1);
        for (Dim d : dims) {
            n = n.times(d);
        }
        return n;
    }

    /**
     * Normalizes an axis that may count from the end ({@code -1} is the last axis).
     *
     * @throws ShapeException if the axis is out of range for this rank
     */
    public int normalizeAxis(String op, long axis) {
        int r = rank();
        if (axis < -r || axis >= r) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for a tensor of rank " + r
                    + " " + this + (r == 0 ? "" : " (valid: " + (-r) + ".." + (r - 1) + ")"));
        }
        return (int) (axis < 0 ? axis + r : axis);
    }

    public Shape withDim(int axis, Dim d) {
        List<Dim> copy = new ArrayList<>(dims);
        copy.set(axis, d);
        return new Shape(copy);
    }

    public Shape withoutAxis(int axis) {
        List<Dim> copy = new ArrayList<>(dims);
        copy.remove(axis);
        return new Shape(copy);
    }

    @Override
    public String toString() {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
