package dev.adjoint.compiler.ir;

/** Element type and shape of a graph value, printed the way models write it: {@code f32[B, 64]}. */
public record TensorType(DType dtype, Shape shape) {

    public static TensorType scalar(DType dtype) {
        return new TensorType(dtype, Shape.SCALAR);
    }

    public TensorType withShape(Shape s) {
        return new TensorType(dtype, s);
    }

    public TensorType withDtype(DType d) {
        return new TensorType(d, shape);
    }

    public int rank() {
        return shape.rank();
    }

    @Override
    public String toString() {
        return dtype + shape.toString();
    }
}
