package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * NumPy broadcasting and its adjoint.
 *
 * <p>{@link #broadcastTo(float[], int[], float[], int[]) broadcastTo} copies a tensor into a larger
 * shape (shapes aligned on the right; missing leading axes and axes of size 1 stretch).
 * {@link #sumToShape(float[], int[], float[], int[]) sumToShape} is its adjoint: it sums a tensor of
 * the large shape over the stretched axes, which is how a gradient is brought back to the shape of
 * an operand that was broadcast. The backward of {@code sum(x, axes)} is {@code broadcastTo} from
 * the keepdims shape of the result (see {@link Shapes#reducedShape}).
 *
 * <p>Outputs are overwritten and must not share storage with the inputs. Float sums over a
 * stretched innermost axis accumulate in double.
 */
public final class Broadcast {
  private Broadcast() {}

  // twin: double
  /**
   * Fills {@code out[0..total)} with copies of {@code row[0..n)}, one after the other ({@code total} a
   * multiple of {@code n}): {@code row} broadcast along leading axes. It copies the row once and then
   * doubles the filled part with {@code System.arraycopy}. Generated code calls it before a flat loop
   * that reads the row's elements back from {@code out}: that loop vectorizes, while a loop nest reading
   * {@code row[j]} beside {@code out[o + j]} stays scalar in C2 (JDK 17), 4–5× slower per element.
   *
   * @throws IllegalArgumentException if {@code total} is not a multiple of {@code n} or an array is
   *     shorter than its count
   */
  public static void rows(float[] row, int n, float[] out, int total) {
    if (n < 0 || total < 0 || (n == 0 ? total != 0 : total % n != 0) || row.length < n || out.length < total) {
      throw new IllegalArgumentException("broadcast rows: " + total + " elements of rows of " + n
          + " do not fit arrays of " + row.length + " and " + out.length);
    }
    if (total == 0) {
      return;
    }
    System.arraycopy(row, 0, out, 0, n);
    for (int done = n; done < total; ) {
      int copy = Math.min(done, total - done);
      System.arraycopy(out, 0, out, done, copy);
      done += copy;
    }
  }

  /**
   * Writes {@code src} broadcast to {@code dstShape} into {@code dst}.
   *
   * @throws IllegalArgumentException if {@code srcShape} does not broadcast to {@code dstShape} or
   *     an array length does not match its shape
   */
  public static void broadcastTo(float[] src, int[] srcShape, float[] dst, int[] dstShape) {
    check(src.length, srcShape, dst.length, dstShape);
    copyBroadcast(src, srcShape, dst, dstShape);
  }

  /**
   * Writes into {@code dst} the sum of {@code src} over the axes along which {@code dstShape}
   * broadcasts to {@code srcShape}: the adjoint of {@code broadcastTo(dst, dstShape, src, srcShape)}.
   *
   * @throws IllegalArgumentException if {@code dstShape} does not broadcast to {@code srcShape} or
   *     an array length does not match its shape
   */
  public static void sumToShape(float[] src, int[] srcShape, float[] dst, int[] dstShape) {
    check(dst.length, dstShape, src.length, srcShape);
    Arrays.fill(dst, 0);
    if (srcShape.length == 0) {
      dst[0] = src[0];
    } else if (src.length > 0) {
      sum(src, srcShape, dst, dstShape, 0, 0, 0);
    }
  }

  private static void sum(float[] src, int[] ss, float[] dst, int[] ds, int d, int so, int dOff) {
    int n = ss[d];
    int dd = d - (ss.length - ds.length);
    int dStride = dd < 0 || ds[dd] == 1 ? 0 : Shapes.suffixProduct(ds, dd + 1);
    if (d == ss.length - 1) {
      if (dStride == 0) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += src[so + i];
        }
        dst[dOff] += (float) s;
      } else {
        for (int i = 0; i < n; i++) {
          dst[dOff + i] += src[so + i];
        }
      }
      return;
    }
    int sStride = Shapes.suffixProduct(ss, d + 1);
    for (int i = 0; i < n; i++) {
      sum(src, ss, dst, ds, d + 1, so + i * sStride, dOff + i * dStride);
    }
  }
  // end twin

  // ---- i32: broadcasting only ----

  /** Writes {@code src} broadcast to {@code dstShape} into {@code dst} (for {@code i32} tensors). */
  public static void broadcastTo(int[] src, int[] srcShape, int[] dst, int[] dstShape) {
    check(src.length, srcShape, dst.length, dstShape);
    copyBroadcast(src, srcShape, dst, dstShape);
  }

  /** Broadcasts a comparison mask ({@code where(x > 0, ...)} with a mask of a smaller shape). */
  public static void broadcastTo(boolean[] src, int[] srcShape, boolean[] dst, int[] dstShape) {
    check(src.length, srcShape, dst.length, dstShape);
    copyBroadcast(src, srcShape, dst, dstShape);
  }

  /**
   * The broadcast copy shared by every element type: it only moves elements, so {@code
   * System.arraycopy} (which takes any primitive array) serves float, double, int and boolean alike.
   */
  private static void copyBroadcast(Object src, int[] srcShape, Object dst, int[] dstShape) {
    if (dstShape.length == 0) {
      System.arraycopy(src, 0, dst, 0, 1);
    } else if (Shapes.size(dstShape) > 0) {
      copy(src, srcShape, dst, dstShape, 0, 0, 0);
    }
  }

  private static void copy(Object src, int[] ss, Object dst, int[] ds, int d, int so, int dOff) {
    int n = ds[d];
    int sd = d - (ds.length - ss.length);
    int sStride = sd < 0 || ss[sd] == 1 ? 0 : Shapes.suffixProduct(ss, sd + 1);
    if (d == ds.length - 1) {
      if (sStride == 0) {
        // fill a run with one element: copy it, then double the filled prefix
        System.arraycopy(src, so, dst, dOff, 1);
        for (int filled = 1; filled < n; filled *= 2) {
          System.arraycopy(dst, dOff, dst, dOff + filled, Math.min(filled, n - filled));
        }
      } else {
        System.arraycopy(src, so, dst, dOff, n);
      }
      return;
    }
    int dStride = Shapes.suffixProduct(ds, d + 1);
    for (int i = 0; i < n; i++) {
      copy(src, ss, dst, ds, d + 1, so + i * sStride, dOff + i * dStride);
    }
  }

  private static void check(int smallLength, int[] smallShape, int bigLength, int[] bigShape) {
    Shapes.checkBroadcastable(smallShape, bigShape);
    Shapes.checkLength("broadcast", "source", smallLength, smallShape);
    Shapes.checkLength("broadcast", "target", bigLength, bigShape);
  }
}
