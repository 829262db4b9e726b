package dev.adjoint.runtime;

/**
 * Matrix products over flat row-major arrays: {@code C = A·B}, {@code C = Aᵀ·B} and
 * {@code C = A·Bᵀ}, plain and batched, and {@link #gemm(float[], int, int, int, float[], int, int, int,
 * float[], int, int, int, int, int, boolean) gemm} over any strides, in {@code f32} and {@code f64}.
 *
 * <p>Every method names the sizes of the product it computes: {@code C} is {@code [m, n]} and the
 * contraction has length {@code k}. With {@code accumulate} false, {@code C} is overwritten; with
 * {@code accumulate} true, the product is added to what {@code C} holds (gradient accumulation).
 * {@code C} must not share storage with {@code A} or {@code B}.
 *
 * <p>Vector cases are matrices with one row or column: {@code v[k] @ W[k, n]} is
 * {@code matmul(v, W, c, 1, k, n, …)}, {@code W[m, k] @ v[k]} is {@code matmul(W, v, c, m, k, 1, …)}
 * and {@code u[k] · v[k]} is {@code matmul(u, v, c, 1, k, 1, …)}.
 *
 * <p>The backward of {@code y[m, n] = x[m, k] @ W[k, n]} needs no transposed copies:
 * {@code dW = xᵀ·dy} is {@code matmulTransA(x, dy, dW, k, m, n, acc)} ({@code x} read in place) and
 * {@code dx = dy·Wᵀ} is {@code matmulTransB(dy, W, dx, m, n, k, acc)} ({@code W} transposed while it is
 * packed).
 *
 * <p><b>Numeric contract.</b> Every entry is one chain of fused multiply-adds in ascending {@code p}:
 * {@code C[i, j] = fma(A[i, k-1], B[k-1, j], … fma(A[i, 1], B[1, j], fma(A[i, 0], B[0, j], c0)))}, each
 * step rounded once in the element type, where {@code c0} is {@code C[i, j]} when accumulating and
 * {@code 0} otherwise. This holds for every variant, size, tiling, thread count and for both kernel
 * implementations ({@link Kernels}), so results are the same bit for bit everywhere; a loop
 * {@code s = Math.fma(a, b, s)} over ascending {@code p} reproduces them.
 *
 * <p>Products large enough run on the {@link Kernels#setThreads kernel threads}, split by rows or
 * columns of {@code C}. Once warm, calls allocate nothing on one thread (packing buffers are kept per
 * thread).
 */
public final class MatMul {
  private MatMul() {}

  /** Products with at most this many multiply-adds skip packing: a plain loop is faster. */
  private static final long DIRECT_MAX_WORK = 512;

  /** {@code A·Bᵀ} runs as {@code Cᵀ = B·Aᵀ} only from this many rows of {@code C} on (see {@link #transposesC}). */
  private static final int TRANSPOSED_MIN_ROWS = 4;

  // twin: double

  /** {@code C[m, n] (+)= A[m, k] · B[k, n]}. */
  public static void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m, k, n);
    run(Kernels.impl(), a, 0, k, 1, b, 0, n, 1, c, 0, n, m, k, n, accumulate);
  }

  /** {@code C[m, n] (+)= Aᵀ · B} where {@code A} is stored {@code [k, m]} and {@code B} is {@code [k, n]}. */
  public static void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m, k, n);
    run(Kernels.impl(), a, 0, 1, m, b, 0, n, 1, c, 0, n, m, k, n, accumulate);
  }

  /** {@code C[m, n] (+)= A · Bᵀ} where {@code A} is {@code [m, k]} and {@code B} is stored {@code [n, k]}. */
  public static void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m, k, n);
    run(Kernels.impl(), a, 0, k, 1, b, 0, 1, k, c, 0, n, m, k, n, accumulate);
  }

  /** Batched {@code C[N, m, n] (+)= A[N, m, k] · B[N, k, n]}, one product per batch entry. */
  public static void batchedMatmul(
      float[] a, float[] b, float[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, m, k, n);
    for (int e = 0; e < batch; e++) {
      run(Kernels.impl(), a, e * m * k, k, 1, b, e * k * n, n, 1, c, e * m * n, n, m, k, n, accumulate);
    }
  }

  /** Batched {@code C[N, m, n] (+)= A[N, k, m]ᵀ · B[N, k, n]}. */
  public static void batchedMatmulTransA(
      float[] a, float[] b, float[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, m, k, n);
    for (int e = 0; e < batch; e++) {
      run(Kernels.impl(), a, e * k * m, 1, m, b, e * k * n, n, 1, c, e * m * n, n, m, k, n, accumulate);
    }
  }

  /** Batched {@code C[N, m, n] (+)= A[N, m, k] · B[N, n, k]ᵀ}. */
  public static void batchedMatmulTransB(
      float[] a, float[] b, float[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, m, k, n);
    for (int e = 0; e < batch; e++) {
      run(Kernels.impl(), a, e * m * k, k, 1, b, e * n * k, 1, k, c, e * m * n, n, m, k, n, accumulate);
    }
  }

  /**
   * The general product over strided views: {@code C[i, j] (+)= Σ_p A[i, p]·B[p, j]} for
   * {@code i < m}, {@code j < n}, {@code p < k}, where {@code A[i, p] = a[aOffset + i·aRowStride +
   * p·aColStride]}, {@code B[p, j] = b[bOffset + p·bRowStride + j·bColStride]} and
   * {@code C[i, j] = c[cOffset + i·cRowStride + j]}. So {@code Aᵀ} is {@code aRowStride = 1,
   * aColStride = rows of A}, a slice is an offset, and the other entries of {@code C} are left as
   * they are. Same numeric contract as the other methods.
   *
   * @throws IllegalArgumentException for a negative size, offset or stride, or a view that does not
   *     fit its array
   */
  public static void gemm(float[] a, int aOffset, int aRowStride, int aColStride,
      float[] b, int bOffset, int bRowStride, int bColStride,
      float[] c, int cOffset, int cRowStride, int m, int k, int n, boolean accumulate) {
    checkView("A", a.length, aOffset, m, aRowStride, k, aColStride);
    checkView("B", b.length, bOffset, k, bRowStride, n, bColStride);
    checkView("C", c.length, cOffset, m, cRowStride, n, 1);
    run(Kernels.impl(), a, aOffset, aRowStride, aColStride, b, bOffset, bRowStride, bColStride,
        c, cOffset, cRowStride, m, k, n, accumulate);
  }

  /**
   * The product on {@code impl}: tiny ones in a plain loop, large ones split over the kernel threads
   * by columns or rows of {@code C} (each entry still computed by one thread in the same order).
   */
  static void run(KernelImpl impl, float[] a, int ao, int ars, int aps, float[] b, int bo, int brs, int bps,
      float[] c, int co, int ldc, int m, int k, int n, boolean accumulate) {
    long work = (long) m * n * k;
    KernelPool pool = Kernels.pool();
    if (work > DIRECT_MAX_WORK && transposesC(aps, brs, bps, m, k, n, accumulate)) {
      runTransposed(impl, a, ao, ars, aps, b, bo, brs, bps, c, co, ldc, m, k, n, accumulate);
    } else if (work <= DIRECT_MAX_WORK || n == 1) {
      direct(a, ao, ars, aps, b, bo, brs, bps, c, co, ldc, m, k, n, accumulate);
    } else if (pool == null || work < Kernels.PARALLEL_MIN_WORK) {
      impl.gemm(a, ao, ars, aps, b, bo, brs, bps, c, co, ldc, m, k, n, accumulate, GemmScratch.current());
    } else if (n >= m) {
      int chunk = chunk(n, pool.threads(), 16);
      pool.run((n + chunk - 1) / chunk, part -> {
        int j0 = part * chunk;
        impl.gemm(a, ao, ars, aps, b, bo + j0 * bps, brs, bps, c, co + j0, ldc,
            m, k, Math.min(chunk, n - j0), accumulate, GemmScratch.current());
      });
    } else {
      int chunk = chunk(m, pool.threads(), 24);
      pool.run((m + chunk - 1) / chunk, part -> {
        int i0 = part * chunk;
        impl.gemm(a, ao + i0 * ars, ars, aps, b, bo, brs, bps, c, co + i0 * ldc, ldc,
            Math.min(chunk, m - i0), k, n, accumulate, GemmScratch.current());
      });
    }
  }

  /**
   * {@code C = A·B} as {@code Cᵀ = Bᵀ·Aᵀ} into the thread's scratch, then transposed into {@code C} (and out of it
   * first, when accumulating). For {@code A·Bᵀ} with a short {@code A} ({@link #transposesC}), {@code B} is then
   * read in place and only {@code A} is transposed while it is packed ({@code m·k} values instead of {@code k·n}).
   * Each entry is the same chain of fused multiply-adds ({@code fma(B[p, j], A[i, p], …)} is
   * {@code fma(A[i, p], B[p, j], …)}), so the same bits.
   */
  private static void runTransposed(KernelImpl impl, float[] a, int ao, int ars, int aps, float[] b, int bo,
      int brs, int bps, float[] c, int co, int ldc, int m, int k, int n, boolean accumulate) {
    float[] t = GemmScratch.current().transposedF32(n * m);
    if (accumulate) {
      GemmScratch.transpose(c, co, ldc, m, n, t, 0, m);
    }
    run(impl, b, bo, bps, brs, a, ao, aps, ars, t, 0, m, n, k, m, accumulate);
    GemmScratch.transpose(t, 0, m, n, m, c, co, ldc);
  }

  // end twin

  /**
   * Whether {@code A·Bᵀ} should run as {@code Cᵀ = B·Aᵀ} ({@link #runTransposed}): {@code A} row-major with at least
   * {@link #TRANSPOSED_MIN_ROWS} rows, {@code B} read transposed, and fewer values transposed that way
   * ({@code m·k} packed, {@code m·n} out, {@code m·n} in when accumulating) than by packing {@code B}
   * ({@code k·n}): a short, wide {@code A}, such as the batch's gradient in {@code dx = dy·Wᵀ}.
   */
  static boolean transposesC(int aps, int brs, int bps, int m, int k, int n, boolean accumulate) {
    if (aps != 1 || brs != 1 || bps == 1 || m < TRANSPOSED_MIN_ROWS) {
      return false;
    }
    long instead = (long) m * k + (long) m * n * (accumulate ? 2 : 1);
    return instead < (long) k * n;
  }

  // twin: double

  /** The contract's loop itself, for products too small to pack. */
  private static void direct(float[] a, int ao, int ars, int aps, float[] b, int bo, int brs, int bps,
      float[] c, int co, int ldc, int m, int k, int n, boolean accumulate) {
    for (int i = 0; i < m; i++) {
      int ai = ao + i * ars;
      for (int j = 0; j < n; j++) {
        int bj = bo + j * bps;
        int at = co + i * ldc + j;
        float s = accumulate ? c[at] : 0;
        for (int p = 0; p < k; p++) {
          s = Math.fma(a[ai + p * aps], b[bj + p * brs], s);
        }
        c[at] = s;
      }
    }
  }

  // end twin

  /** Parts of {@code size} for {@code threads} threads, each a multiple of {@code align} but the last. */
  private static int chunk(int size, int threads, int align) {
    int per = (size + threads - 1) / threads;
    return (per + align - 1) / align * align;
  }

  private static void checkSizes(int aLength, int bLength, int cLength, int batch, int m, int k, int n) {
    if (batch < 0 || m < 0 || k < 0 || n < 0) {
      throw new IllegalArgumentException("matmul: negative size (batch " + batch + ", m " + m + ", k " + k
          + ", n " + n + ")");
    }
    check("A", aLength, (long) batch * m * k);
    check("B", bLength, (long) batch * k * n);
    check("C", cLength, (long) batch * m * n);
  }

  private static void check(String name, int length, long expected) {
    if (length != expected) {
      throw new IllegalArgumentException(
          "matmul: " + name + " has " + length + " elements, expected " + expected);
    }
  }

  private static void checkView(String name, int length, int offset, int rows, int rowStride, int cols,
      int colStride) {
    if (offset < 0 || rows < 0 || cols < 0 || rowStride < 0 || colStride < 0) {
      throw new IllegalArgumentException("gemm: " + name + " has a negative offset, size or stride (offset "
          + offset + ", " + rows + " x " + cols + ", strides " + rowStride + ", " + colStride + ")");
    }
    long last = rows == 0 || cols == 0 ? offset - 1L
        : offset + (long) (rows - 1) * rowStride + (long) (cols - 1) * colStride;
    if (last >= length || offset > length) {
      throw new IllegalArgumentException("gemm: " + name + " (offset " + offset + ", " + rows + " x " + cols
          + ", strides " + rowStride + ", " + colStride + ") reaches index " + last + " of an array of "
          + length);
    }
  }
}
