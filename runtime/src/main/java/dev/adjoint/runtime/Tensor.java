package dev.adjoint.runtime;

/**
 * A dense tensor: flat row-major storage plus a shape.
 *
 * <p>A scalar has shape {@code []} and size 1. Tensors compare equal when they have the same element
 * type, the same shape and the same elements ({@link java.util.Arrays#equals(float[], float[])}
 * semantics: {@code NaN} equals {@code NaN}, {@code 0.0} differs from {@code -0.0}).
 *
 * <p>Tensors are mutable through their {@code data()} array, which generated code reads and writes
 * directly; everything else about a tensor (its shape, its array) is fixed at construction.
 */
public sealed interface Tensor permits FloatTensor, DoubleTensor, IntTensor {

  /** A copy of the shape; {@code []} for a scalar. */
  int[] shape();

  /** The size of one axis, without copying the shape. */
  int dim(int axis);

  /** The number of axes; 0 for a scalar. */
  int rank();

  /** The number of elements: the product of the shape, 1 for a scalar. */
  int size();

  /** The element type. */
  ElementType elementType();

  /** The element at a flat row-major index, widened to double. */
  double getAsDouble(int flatIndex);

  /** The type as the language writes it, for example {@code f32[2, 3]} or {@code f64[]}. */
  default String typeString() {
    return elementType() + Shapes.format(shape());
  }
}
