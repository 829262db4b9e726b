package dev.adjoint.runtime;

/**
 * Axis sets as 64-bit masks, and the index arithmetic of reductions. Package-private, allocation-free.
 *
 * <p>A reduction over a set of axes splits a flat index of the input into a <em>kept</em> part (the
 * output index) and a <em>reduced</em> part (the position inside one reduction group).
 * {@link #keptOffset} and {@link #reducedOffset} turn those two indices back into input offsets, so
 * input offset = {@code keptOffset(j) + reducedOffset(r)}.
 */
final class Axes {
  private Axes() {}

  static final int MAX_RANK = 64;

  /** The mask of a list of distinct, in-range, non-negative axes. */
  static long mask(int[] axes, int rank) {
    if (rank > MAX_RANK) {
      throw new IllegalArgumentException("rank " + rank + " exceeds " + MAX_RANK);
    }
    long mask = 0;
    for (int axis : axes) {
      Shapes.checkAxis(axis, rank);
      long bit = 1L << axis;
      if ((mask & bit) != 0) {
        throw new IllegalArgumentException("axis " + axis + " is listed twice");
      }
      mask |= bit;
    }
    return mask;
  }

  static boolean isReduced(long mask, int axis) {
    return (mask >>> axis & 1L) != 0;
  }

  /** True when the set bits form one run (the empty set counts as contiguous). */
  static boolean isContiguous(long mask) {
    if (mask == 0) {
      return true;
    }
    long shifted = mask >>> Long.numberOfTrailingZeros(mask);
    return (shifted & (shifted + 1)) == 0;
  }

  /** First reduced axis of a non-empty mask. */
  static int first(long mask) {
    return Long.numberOfTrailingZeros(mask);
  }

  /** One past the last reduced axis of a non-empty mask. */
  static int end(long mask) {
    return 64 - Long.numberOfLeadingZeros(mask);
  }

  /** Number of elements in one reduction group. */
  static int reducedCount(int[] shape, long mask) {
    int n = 1;
    for (int d = 0; d < shape.length; d++) {
      if (isReduced(mask, d)) {
        n *= shape[d];
      }
    }
    return n;
  }

  /** Input offset of the output element {@code j} (reduced coordinates all zero). */
  static int keptOffset(int j, int[] shape, long mask) {
    return offset(j, shape, mask, false);
  }

  /** Input offset of position {@code r} inside a reduction group (kept coordinates all zero). */
  static int reducedOffset(int r, int[] shape, long mask) {
    return offset(r, shape, mask, true);
  }

  /** Number of elements of the reduced output (product of the kept axes). */
  static int keptCount(int[] shape, long mask) {
    int n = 1;
    for (int d = 0; d < shape.length; d++) {
      if (!isReduced(mask, d)) {
        n *= shape[d];
      }
    }
    return n;
  }

  /**
   * For a contiguous mask, the product of the axes after the reduced run (1 for the empty mask);
   * -1 for a mask that is not contiguous. Reduction groups then use the fast forms of
   * {@link #groupBase} and {@link #groupOffset}.
   */
  static int runInner(int[] shape, long mask) {
    if (mask == 0) {
      return 1;
    }
    return isContiguous(mask) ? Shapes.suffixProduct(shape, end(mask)) : -1;
  }

  /**
   * Input offset of the first element of reduction group {@code j}; {@code inner} comes from
   * {@link #runInner} and {@code span} is {@code reducedCount * inner}.
   */
  static int groupBase(int j, int[] shape, long mask, int inner, int span) {
    return inner > 0 ? j / inner * span + j % inner : keptOffset(j, shape, mask);
  }

  /** Offset of element {@code q} of a reduction group from the group's base. */
  static int groupOffset(int q, int[] shape, long mask, int inner) {
    return inner > 0 ? q * inner : reducedOffset(q, shape, mask);
  }

  /**
   * Validates a reduction call: {@code x} fits {@code shape}, the axes are distinct and in range,
   * and {@code y} has the size of the reduced shape. Returns the axis mask.
   */
  static long checkReduction(String op, int xLength, int[] shape, int[] axes, int yLength) {
    Shapes.checkLength(op, "input", xLength, shape);
    long mask = mask(axes, shape.length);
    Shapes.checkLength(op, "output", yLength, keptCount(shape, mask));
    return mask;
  }

  private static int offset(int index, int[] shape, long mask, boolean reduced) {
    int offset = 0;
    int stride = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      int n = shape[d];
      if (isReduced(mask, d) == reduced) {
        offset += index % n * stride;
        index /= n;
      }
      stride *= n;
    }
    return offset;
  }

  /** Checks that {@code perm} is a permutation of {@code 0..perm.length-1}. */
  static void checkPermutation(int[] perm) {
    if (perm.length > MAX_RANK) {
      throw new IllegalArgumentException("rank " + perm.length + " exceeds " + MAX_RANK);
    }
    long seen = 0;
    for (int p : perm) {
      if (p < 0 || p >= perm.length || (seen >>> p & 1L) != 0) {
        throw new IllegalArgumentException(
            "not a permutation of 0.." + (perm.length - 1) + ": " + Shapes.format(perm));
      }
      seen |= 1L << p;
    }
  }
}
