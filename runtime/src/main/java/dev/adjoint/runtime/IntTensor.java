package dev.adjoint.runtime;

import java.util.Arrays;

/** An {@code i32} tensor backed by a {@code int[]} in row-major order. */
public final class IntTensor implements Tensor {
  private final int[] data;
  private final int[] shape;

  private IntTensor(int[] data, int[] shape) {
    Shapes.checkLength("data", data.length, shape);
    this.data = data;
    this.shape = shape;
  }

  /**
   * A tensor holding a copy of {@code data}.
   *
   * @throws IllegalArgumentException if {@code data.length} is not the size of {@code shape}
   */
  public static IntTensor of(int[] data, int... shape) {
    return new IntTensor(data.clone(), Shapes.copy(shape));
  }

  /**
   * A tensor that uses {@code data} as its storage, without copying: writes through either are
   * seen by both. Meant for generated code that already owns the array.
   *
   * @throws IllegalArgumentException if {@code data.length} is not the size of {@code shape}
   */
  public static IntTensor wrap(int[] data, int... shape) {
    return new IntTensor(data, Shapes.copy(shape));
  }

  /** A tensor of zeros. */
  public static IntTensor zeros(int... shape) {
    return new IntTensor((int[]) Shapes.allocate(ElementType.I32, shape), Shapes.copy(shape));
  }

  /** A tensor with every element equal to {@code value}. */
  public static IntTensor full(int value, int... shape) {
    int[] data = (int[]) Shapes.allocate(ElementType.I32, shape);
    Arrays.fill(data, value);
    return new IntTensor(data, Shapes.copy(shape));
  }

  /** A scalar (shape {@code []}). */
  public static IntTensor scalar(int value) {
    return new IntTensor(new int[] {value}, new int[0]);
  }

  /**
   * The backing array itself, not a copy: it is shared with this tensor so that generated code can
   * read and write elements without copying. Callers that keep the result should use {@link #toArray()}.
   */
  public int[] data() {
    return data;
  }

  /** A copy of the elements in row-major order. */
  public int[] toArray() {
    return data.clone();
  }

  /** The element at a flat row-major index. */
  public int get(int flatIndex) {
    return data[flatIndex];
  }

  /** The value of a scalar or any one-element tensor. */
  public int item() {
    if (data.length != 1) {
      throw new IllegalStateException("item() needs one element, " + typeString() + " has " + data.length);
    }
    return data[0];
  }

  /** A deep copy. */
  public IntTensor copy() {
    return new IntTensor(data.clone(), shape);
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
    return ElementType.I32;
  }

  @Override
  public double getAsDouble(int flatIndex) {
    return data[flatIndex];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IntTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  /** For example {@code i32[2, 2] [1, 2, 3, 4]}; long tensors show their first values only. */
  @Override
  public String toString() {
    return TensorText.describe(this);
  }
}
