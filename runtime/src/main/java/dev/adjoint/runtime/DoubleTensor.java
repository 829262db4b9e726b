package dev.adjoint.runtime;

import java.util.Arrays;

/** An {@code f64} tensor backed by a {@code double[]} in row-major order. */
public final class DoubleTensor implements Tensor {
  private final double[] data;
  private final int[] shape;

  private DoubleTensor(double[] data, int[] shape) {
    Shapes.checkLength("data", data.length, shape);
    this.data = data;
    this.shape = shape;
  }

  /**
   * A tensor holding a copy of {@code data}.
   *
   * @throws IllegalArgumentException if {@code data.length} is not the size of {@code shape}
   */
  public static DoubleTensor of(double[] data, int... shape) {
    return new DoubleTensor(data.clone(), Shapes.copy(shape));
  }

  /**
   * A tensor that uses {@code data} as its storage, without copying: writes through either are
   * seen by both. Meant for generated code that already owns the array.
   *
   * @throws IllegalArgumentException if {@code data.length} is not the size of {@code shape}
   */
  public static DoubleTensor wrap(double[] data, int... shape) {
    return new DoubleTensor(data, Shapes.copy(shape));
  }

  /** A tensor of zeros. */
  public static DoubleTensor zeros(int... shape) {
    return new DoubleTensor((double[]) Shapes.allocate(ElementType.F64, shape), Shapes.copy(shape));
  }

  /** A tensor with every element equal to {@code value}. */
  public static DoubleTensor full(double value, int... shape) {
    double[] data = (double[]) Shapes.allocate(ElementType.F64, shape);
    Arrays.fill(data, value);
    return new DoubleTensor(data, Shapes.copy(shape));
  }

  /** A scalar (shape {@code []}). */
  public static DoubleTensor scalar(double value) {
    return new DoubleTensor(new double[] {value}, new int[0]);
  }

  /**
   * The backing array itself, not a copy: it is shared with this tensor so that generated code can
   * read and write elements without copying. Callers that keep the result should use {@link #toArray()}.
   */
  public double[] data() {
    return data;
  }

  /** A copy of the elements in row-major order. */
  public double[] toArray() {
    return data.clone();
  }

  /** The element at a flat row-major index. */
  public double get(int flatIndex) {
    return data[flatIndex];
  }

  /** The value of a scalar or any one-element tensor. */
  public double item() {
    if (data.length != 1) {
      throw new IllegalStateException("item() needs one element, " + typeString() + " has " + data.length);
    }
    return data[0];
  }

  /** A deep copy. */
  public DoubleTensor copy() {
    return new DoubleTensor(data.clone(), shape);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public int dim(int axis) {
    return shape[axis];
  }

  @Override
  public int rank() {
    return shape.length;
  }

  @Override
  public int size() {
    return data.length;
  }

  @Override
  public ElementType elementType() {
    return ElementType.F64;
  }

  @Override
  public double getAsDouble(int flatIndex) {
    return data[flatIndex];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DoubleTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  /** For example {@code f64[2, 2] [1.0, 2.0, 3.0, 4.0]}; long tensors show their first values only. */
  @Override
  public String toString() {
    return TensorText.describe(this);
  }
}
