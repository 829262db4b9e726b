package dev.adjoint.runtime;

import java.util.Arrays;

// twin file: double int

/** An {@code f32} tensor backed by a {@code float[]} in row-major order. */
public final class FloatTensor implements Tensor {
  private final float[] data;
  private final int[] shape;

  private FloatTensor(float[] data, int[] shape) {
    Shapes.checkLength("data", data.length, shape);
    this.data = data;
    this.shape = shape;
  }

  /**
   * A tensor holding a copy of {@code data}.
   *
   * @throws IllegalArgumentException if {@code data.length} is not the size of {@code shape}
   */
  public static FloatTensor of(float[] data, int... shape) {
    return new FloatTensor(data.clone(), Shapes.copy(shape));
  }

  /**
   * A tensor that uses {@code data} as its storage, without copying: writes through either are
   * seen by both. Meant for generated code that already owns the array.
   *
   * @throws IllegalArgumentException if {@code data.length} is not the size of {@code shape}
   */
  public static FloatTensor wrap(float[] data, int... shape) {
    return new FloatTensor(data, Shapes.copy(shape));
  }

  /** A tensor of zeros. */
  public static FloatTensor zeros(int... shape) {
    return new FloatTensor((float[]) Shapes.allocate(ElementType.F32, shape), Shapes.copy(shape));
  }

  /** A tensor with every element equal to {@code value}. */
  public static FloatTensor full(float value, int... shape) {
    float[] data = (float[]) Shapes.allocate(ElementType.F32, shape);
    Arrays.fill(data, value);
    return new FloatTensor(data, Shapes.copy(shape));
  }

  /** A scalar (shape {@code []}). */
  public static FloatTensor scalar(float value) {
    return new FloatTensor(new float[] {value}, new int[0]);
  }

  /**
   * The backing array itself, not a copy: it is shared with this tensor so that generated code can
   * read and write elements without copying. Callers that keep the result should use {@link #toArray()}.
   */
  public float[] data() {
    return data;
  }

  /** A copy of the elements in row-major order. */
  public float[] toArray() {
    return data.clone();
  }

  /** The element at a flat row-major index. */
  public float get(int flatIndex) {
    return data[flatIndex];
  }

  /** The value of a scalar or any one-element tensor. */
  public float item() {
    if (data.length != 1) {
      throw new IllegalStateException("item() needs one element, " + typeString() + " has " + data.length);
    }
    return data[0];
  }

  /** A deep copy. */
  public FloatTensor copy() {
    return new FloatTensor(data.clone(), shape);
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
    return ElementType.F32;
  }

  @Override
  public double getAsDouble(int flatIndex) {
    return data[flatIndex];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  /** The type and the values, for example {@code f32[2, 2]} and then four numbers; long tensors show their first values only. */
  @Override
  public String toString() {
    return TensorText.describe(this);
  }
}
