package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Shape arithmetic shared by tensors, kernels and generated code.
 *
 * <p>Shapes are {@code int[]} in row-major order; {@code []} is a scalar. Axes given to the runtime
 * are always non-negative (the compiler resolves {@code axis=-1} before emitting a call).
 */
public final class Shapes {
  private Shapes() {}

  /**
   * The number of elements of a shape: the product of its dimensions, 1 for a scalar.
   *
   * @throws IllegalArgumentException if a dimension is negative or the product overflows an int
   */
  public static int size(int... shape) {
    int size = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + format(shape));
      }
      try {
        size = Math.multiplyExact(size, d);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("shape " + format(shape) + " has more than 2^31-1 elements", e);
      }
    }
    return size;
  }

  /**
   * A new {@code float[]}, {@code double[]} or {@code int[]} for a tensor of {@code type} and
   * {@code shape}; when the heap cannot hold it, an {@link OutOfMemoryError} that says what did not
   * fit and how much room there is.
   */
  static Object allocate(ElementType type, int... shape) {
    int n = size(shape);
    try {
      switch (type) {
        case F32:
          return new float[n];
        case F64:
          return new double[n];
        default:
          return new int[n];
      }
    } catch (OutOfMemoryError e) {
      long bytes = (long) n * (type == ElementType.F64 ? 8 : 4);
      throw new OutOfMemoryError(String.format(java.util.Locale.ROOT,
          "a %s%s tensor needs %,d bytes, and the Java heap holds at most %,d bytes (raise it with -Xmx)",
          type.toString().toLowerCase(java.util.Locale.ROOT), format(shape), bytes,
          Runtime.getRuntime().maxMemory()));
    }
  }

  /** Row-major strides: {@code strides[i]} is the product of {@code shape[i+1..]}. */
  public static int[] strides(int... shape) {
    int[] strides = new int[shape.length];
    int stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= shape[i];
    }
    return strides;
  }

  /**
   * The strides with which to read a tensor of {@code srcShape} while walking {@code dstShape}
   * under NumPy broadcasting: one entry per axis of {@code dstShape}, 0 for axes that the source
   * lacks (leading) or stretches (size 1).
   *
   * @throws IllegalArgumentException if {@code srcShape} does not broadcast to {@code dstShape}
   */
  public static int[] broadcastStrides(int[] srcShape, int[] dstShape) {
    checkBroadcastable(srcShape, dstShape);
    int[] srcStrides = strides(srcShape);
    int lead = dstShape.length - srcShape.length;
    int[] strides = new int[dstShape.length];
    for (int d = lead; d < dstShape.length; d++) {
      int s = d - lead;
      strides[d] = srcShape[s] == 1 ? 0 : srcStrides[s];
    }
    return strides;
  }

  /**
   * The NumPy broadcast of two shapes: aligned on the right, a dimension of size 1 stretches.
   *
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static int[] broadcastShape(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int d = 0; d < rank; d++) {
      int da = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1;
      int db = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            "shapes " + format(a) + " and " + format(b) + " do not broadcast");
      }
      out[d] = da == 1 ? db : da;
    }
    return out;
  }

  /**
   * The shape left by reducing {@code axes}: those axes are removed, or kept with size 1 when
   * {@code keepdims} is true. Both shapes have the same row-major data layout.
   */
  public static int[] reducedShape(int[] shape, int[] axes, boolean keepdims) {
    long mask = Axes.mask(axes, shape.length);
    int[] out = new int[keepdims ? shape.length : shape.length - Long.bitCount(mask)];
    int k = 0;
    for (int d = 0; d < shape.length; d++) {
      if (!Axes.isReduced(mask, d)) {
        out[k++] = shape[d];
      } else if (keepdims) {
        out[k++] = 1;
      }
    }
    return out;
  }

  /** The permutation that undoes {@code perm}: transposing by it is the backward of transposing by {@code perm}. */
  public static int[] inversePermutation(int... perm) {
    Axes.checkPermutation(perm);
    int[] inverse = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inverse[perm[i]] = i;
    }
    return inverse;
  }

  /**
   * Resolves a slice bound the way NumPy does: a negative bound counts from the end, and the result
   * is clamped to {@code [0, dim]}.
   */
  public static int resolveBound(int bound, int dim) {
    int b = bound < 0 ? bound + dim : bound;
    return Math.max(0, Math.min(b, dim));
  }

  /** The shape of a slice: {@code ends[d] - starts[d]} on every axis. */
  public static int[] sliceShape(int[] starts, int[] ends) {
    int[] shape = new int[starts.length];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = ends[d] - starts[d];
    }
    return shape;
  }

  /** A shape as the language writes it: {@code [2, 3]}, {@code []} for a scalar. */
  public static String format(int... shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(shape[i]);
    }
    return sb.append(']').toString();
  }

  // ---- package-private helpers for the kernels (allocation-free) ----

  /** Product of {@code shape[from..]}. */
  static int suffixProduct(int[] shape, int from) {
    int p = 1;
    for (int i = from; i < shape.length; i++) {
      p *= shape[i];
    }
    return p;
  }

  /** Product of {@code shape[from..to)}. */
  static int product(int[] shape, int from, int to) {
    int p = 1;
    for (int i = from; i < to; i++) {
      p *= shape[i];
    }
    return p;
  }

  static void checkBroadcastable(int[] srcShape, int[] dstShape) {
    int lead = dstShape.length - srcShape.length;
    boolean ok = lead >= 0;
    for (int s = 0; ok && s < srcShape.length; s++) {
      ok = srcShape[s] == 1 || srcShape[s] == dstShape[s + lead];
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "shape " + format(srcShape) + " does not broadcast to " + format(dstShape));
    }
  }

  /** Checks that {@code length} elements fit {@code shape} exactly (message built only on failure). */
  static void checkLength(String what, int length, int[] shape) {
    int size = size(shape);
    if (length != size) {
      throw new IllegalArgumentException(
          what + " has " + length + " elements but shape " + format(shape) + " needs " + size);
    }
  }

  /** Kernel form of {@link #checkLength(String, int, int[])}: the message reads {@code op: what has …}. */
  static void checkLength(String op, String what, int length, int[] shape) {
    int size = size(shape);
    if (length != size) {
      throw new IllegalArgumentException(op + ": " + what + " has " + length
          + " elements but shape " + format(shape) + " needs " + size);
    }
  }

  /** Checks an array length against an expected element count: {@code op: what has n elements, expected m}. */
  static void checkLength(String op, String what, int length, long expected) {
    if (length != expected) {
      throw new IllegalArgumentException(
          op + ": " + what + " has " + length + " elements, expected " + expected);
    }
  }

  static void checkAxis(int axis, int rank) {
    if (axis < 0 || axis >= rank) {
      throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
    }
  }

  static int[] copy(int[] shape) {
    return Arrays.copyOf(shape, shape.length);
  }
}
