package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Matrix products over flat row-major arrays: {@code C = A·B}, {@code C = Aᵀ·B} and
 * {@code C = A·Bᵀ}, plain and batched, in {@code f32} and {@code f64}.
 *
 * <p>Every method names the sizes of the product it computes: {@code C} is {@code [m, n]} and the
 * contraction has length {@code k}. With {@code accumulate} false, {@code C} is overwritten; with
 * {@code accumulate} true, the product is added to what {@code C} holds (gradient accumulation).
 * {@code C} must not share storage with {@code A} or {@code B}. Float products accumulate in float.
 *
 * <p>Vector cases are matrices with one row or column: {@code v[k] @ W[k, n]} is
 * {@code matmul(v, W, c, 1, k, n, …)}, {@code W[m, k] @ v[k]} is {@code matmul(W, v, c, m, k, 1, …)}
 * and {@code u[k] · v[k]} is {@code matmul(u, v, c, 1, k, 1, …)}.
 *
 * <p>The backward of {@code y[m, n] = x[m, k] @ W[k, n]} is
 * {@code dW = xᵀ·dy}: {@code matmulTransA(x, dy, dW, k, m, n, acc)}, and
 * {@code dx = dy·Wᵀ}: {@code matmulTransB(dy, W, dx, m, n, k, acc)}.
 *
 * <p><b>Summation order (deterministic, and the same as before the kernels were tiled).</b> Every entry is
 * {@code C[i, j] = c0 + A[i, 0]·B[0, j] + A[i, 1]·B[1, j] + … + A[i, k-1]·B[k-1, j]}, evaluated left to
 * right in the element type, each product rounded before it is added (Java never fuses multiply–add),
 * where {@code c0} is {@code C[i, j]} when accumulating and {@code 0} otherwise. The one exception is
 * {@code A·Bᵀ} when accumulating: there the sum is formed from {@code 0} first and then added to
 * {@code C[i, j]}. No threads are used, so results are bit for bit the same on every machine and for
 * every size, tiling or not.
 *
 * <p>Loops run i-k-j, register-tiled: two rows of {@code C} at a time take four rows of {@code B} per
 * pass, in an innermost loop over contiguous {@code j} that loads each {@code B[p, j]} once for both rows
 * and loads and stores each {@code C[i, j]} once per four products (a 2×4 tile: eight products per six
 * loads and two stores, against one product per two loads and a store before). C2 keeps the eight
 * {@code A} values and the partial sums in registers. On JDK 17 these loops (like the earlier ones) ran
 * no faster with C2's SuperWord vectorizer than without it, so the gain is fewer memory operations per
 * product; see {@code BENCHMARKS.md}. {@code Aᵀ} is read through strides. For {@code A·Bᵀ}, {@code Bᵀ}
 * is packed once per call (per batch entry) into a reusable per-thread buffer so the same loop applies;
 * with fewer than four rows each entry is a dot product instead.
 */
public final class MatMul {
  private MatMul() {}

  /** {@code A·Bᵀ} with fewer rows than this is computed as dot products, without packing {@code Bᵀ}. */
  private static final int PACK_MIN_ROWS = 4;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * Per-thread buffers for {@code A·Bᵀ}: the packed {@code Bᵀ} and two rows of {@code C}. They grow to the
   * largest product a thread has computed and are then reused, so steady-state calls allocate nothing.
   */
  private static final class Scratch {
    private float[] floats = new float[0];
    private float[] floatRow = new float[0];
    private double[] doubles = new double[0];
    private double[] doubleRow = new double[0];

    float[] floats(int size) {
      if (floats.length < size) {
        floats = new float[size];
      }
      return floats;
    }

    float[] floatRow(int size) {
      if (floatRow.length < size) {
        floatRow = new float[size];
      }
      return floatRow;
    }

    double[] doubles(int size) {
      if (doubles.length < size) {
        doubles = new double[size];
      }
      return doubles;
    }

    double[] doubleRow(int size) {
      if (doubleRow.length < size) {
        doubleRow = new double[size];
      }
      return doubleRow;
    }
  }

  /** {@code C[m, n] (+)= A[m, k] · B[k, n]}. */
  public static void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m * k, k * n, m * n);
    nn(a, 0, k, 1, b, 0, c, 0, m, k, n, accumulate);
  }

  /** {@code C[m, n] (+)= Aᵀ · B} where {@code A} is stored {@code [k, m]} and {@code B} is {@code [k, n]}. */
  public static void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, k * m, k * n, m * n);
    nn(a, 0, 1, m, b, 0, c, 0, m, k, n, accumulate);
  }

  /** {@code C[m, n] (+)= A · Bᵀ} where {@code A} is {@code [m, k]} and {@code B} is stored {@code [n, k]}. */
  public static void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m * k, n * k, m * n);
    nt(a, 0, b, 0, c, 0, m, k, n, accumulate);
  }

  /** Batched {@code C[N, m, n] (+)= A[N, m, k] · B[N, k, n]}, one product per batch entry. */
  public static void batchedMatmul(
      float[] a, float[] b, float[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, m * k, k * n, m * n);
    for (int e = 0; e < batch; e++) {
      nn(a, e * m * k, k, 1, b, e * k * n, c, e * m * n, m, k, n, accumulate);
    }
  }

  /** Batched {@code C[N, m, n] (+)= A[N, k, m]ᵀ · B[N, k, n]}. */
  public static void batchedMatmulTransA(
      float[] a, float[] b, float[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, k * m, k * n, m * n);
    for (int e = 0; e < batch; e++) {
      nn(a, e * k * m, 1, m, b, e * k * n, c, e * m * n, m, k, n, accumulate);
    }
  }

  /** Batched {@code C[N, m, n] (+)= A[N, m, k] · B[N, n, k]ᵀ}. */
  public static void batchedMatmulTransB(
      float[] a, float[] b, float[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, m * k, n * k, m * n);
    for (int e = 0; e < batch; e++) {
      nt(a, e * m * k, b, e * n * k, c, e * m * n, m, k, n, accumulate);
    }
  }

  /**
   * {@code C (+)= A·B} with {@code A[i, p]} at {@code a[ao + i·ars + p·aps]} (so {@code A} or {@code Aᵀ})
   * and {@code B} row-major {@code [k, n]}, two rows of {@code C} at a time ({@link #addRows}).
   */
  private static void nn(float[] a, int ao, int ars, int aps, float[] b, int bo, float[] c, int co,
      int m, int k, int n, boolean accumulate) {
    if (!accumulate) {
      Arrays.fill(c, co, co + m * n, 0);
    }
    int i = 0;
    for (; i + 2 <= m; i += 2) {
      addRows(a, ao + i * ars, ao + (i + 1) * ars, aps, b, bo, c, co + i * n, co + (i + 1) * n, k, n);
    }
    if (i < m) {
      addRow(a, ao + i * ars, aps, b, bo, c, co + i * n, k, n);
    }
  }

  /**
   * {@link #addRow} for two rows of {@code C} at once, sharing each load of {@code B}: rows {@code ci0} and
   * {@code ci1} take {@code A} from {@code ai0} and {@code ai1}. Same order of additions per entry.
   */
  private static void addRows(float[] a, int ai0, int ai1, int aps, float[] b, int bo, float[] c,
      int ci0, int ci1, int k, int n) {
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      float a00 = a[ai0 + p * aps];
      float a01 = a[ai0 + (p + 1) * aps];
      float a02 = a[ai0 + (p + 2) * aps];
      float a03 = a[ai0 + (p + 3) * aps];
      float a10 = a[ai1 + p * aps];
      float a11 = a[ai1 + (p + 1) * aps];
      float a12 = a[ai1 + (p + 2) * aps];
      float a13 = a[ai1 + (p + 3) * aps];
      int b0 = bo + p * n;
      int b1 = b0 + n;
      int b2 = b1 + n;
      int b3 = b2 + n;
      for (int j = 0; j < n; j++) {
        float x0 = b[b0 + j];
        float x1 = b[b1 + j];
        float x2 = b[b2 + j];
        float x3 = b[b3 + j];
        float t0 = c[ci0 + j];
        t0 += a00 * x0;
        t0 += a01 * x1;
        t0 += a02 * x2;
        t0 += a03 * x3;
        c[ci0 + j] = t0;
        float t1 = c[ci1 + j];
        t1 += a10 * x0;
        t1 += a11 * x1;
        t1 += a12 * x2;
        t1 += a13 * x3;
        c[ci1 + j] = t1;
      }
    }
    for (; p < k; p++) {
      float a0 = a[ai0 + p * aps];
      float a1 = a[ai1 + p * aps];
      int b0 = bo + p * n;
      for (int j = 0; j < n; j++) {
        float x = b[b0 + j];
        c[ci0 + j] += a0 * x;
        c[ci1 + j] += a1 * x;
      }
    }
  }

  /**
   * {@code c[ci + j] += Σ_p a[ai + p·aps] · b[bo + p·n + j]}, adding the products in ascending {@code p}:
   * four rows of {@code B} per pass, so {@code C[i, j]} is loaded and stored once per four products.
   */
  private static void addRow(float[] a, int ai, int aps, float[] b, int bo, float[] c, int ci, int k, int n) {
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      float a0 = a[ai + p * aps];
      float a1 = a[ai + (p + 1) * aps];
      float a2 = a[ai + (p + 2) * aps];
      float a3 = a[ai + (p + 3) * aps];
      int b0 = bo + p * n;
      int b1 = b0 + n;
      int b2 = b1 + n;
      int b3 = b2 + n;
      for (int j = 0; j < n; j++) {
        float t = c[ci + j];
        t += a0 * b[b0 + j];
        t += a1 * b[b1 + j];
        t += a2 * b[b2 + j];
        t += a3 * b[b3 + j];
        c[ci + j] = t;
      }
    }
    for (; p < k; p++) {
      float a0 = a[ai + p * aps];
      int b0 = bo + p * n;
      for (int j = 0; j < n; j++) {
        c[ci + j] += a0 * b[b0 + j];
      }
    }
  }

  /**
   * {@code C (+)= A·Bᵀ}. With enough rows, {@code Bᵀ} is packed once into a per-thread buffer and each
   * pair of rows of {@code C} is formed in a per-thread buffer by {@link #addRows} before it is stored or
   * added; otherwise (few rows) each entry is a plain dot product. Both add the products of an entry in
   * ascending {@code p} starting from zero, then add that sum to {@code C} when accumulating, so they agree
   * bit for bit.
   */
  private static void nt(float[] a, int ao, float[] b, int bo, float[] c, int co,
      int m, int k, int n, boolean accumulate) {
    if (m < PACK_MIN_ROWS || k == 0 || n == 0) {
      for (int i = 0; i < m; i++) {
        int ai = ao + i * k;
        for (int j = 0; j < n; j++) {
          int bj = bo + j * k;
          float sum = 0;
          for (int p = 0; p < k; p++) {
            sum += a[ai + p] * b[bj + p];
          }
          int cij = co + i * n + j;
          c[cij] = accumulate ? c[cij] + sum : sum;
        }
      }
      return;
    }
    Scratch s = SCRATCH.get();
    float[] bt = s.floats(k * n);
    float[] row = s.floatRow(2 * n);
    for (int j = 0; j < n; j++) {
      int bj = bo + j * k;
      for (int p = 0; p < k; p++) {
        bt[p * n + j] = b[bj + p];
      }
    }
    for (int i = 0; i < m; i += 2) {
      int rows = Math.min(2, m - i);
      Arrays.fill(row, 0, rows * n, 0);
      if (rows == 2) {
        addRows(a, ao + i * k, ao + (i + 1) * k, 1, bt, 0, row, 0, n, k, n);
      } else {
        addRow(a, ao + i * k, 1, bt, 0, row, 0, k, n);
      }
      int ci = co + i * n;
      if (accumulate) {
        for (int j = 0; j < rows * n; j++) {
          c[ci + j] += row[j];
        }
      } else {
        System.arraycopy(row, 0, c, ci, rows * n);
      }
    }
  }

  // ---- f64: the same loops over double[] ----

  /** {@code C[m, n] (+)= A[m, k] · B[k, n]}. */
  public static void matmul(double[] a, double[] b, double[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m * k, k * n, m * n);
    nn(a, 0, k, 1, b, 0, c, 0, m, k, n, accumulate);
  }

  /** {@code C[m, n] (+)= Aᵀ · B} where {@code A} is stored {@code [k, m]} and {@code B} is {@code [k, n]}. */
  public static void matmulTransA(double[] a, double[] b, double[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, k * m, k * n, m * n);
    nn(a, 0, 1, m, b, 0, c, 0, m, k, n, accumulate);
  }

  /** {@code C[m, n] (+)= A · Bᵀ} where {@code A} is {@code [m, k]} and {@code B} is stored {@code [n, k]}. */
  public static void matmulTransB(double[] a, double[] b, double[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m * k, n * k, m * n);
    nt(a, 0, b, 0, c, 0, m, k, n, accumulate);
  }

  /** Batched {@code C[N, m, n] (+)= A[N, m, k] · B[N, k, n]}, one product per batch entry. */
  public static void batchedMatmul(
      double[] a, double[] b, double[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, m * k, k * n, m * n);
    for (int e = 0; e < batch; e++) {
      nn(a, e * m * k, k, 1, b, e * k * n, c, e * m * n, m, k, n, accumulate);
    }
  }

  /** Batched {@code C[N, m, n] (+)= A[N, k, m]ᵀ · B[N, k, n]}. */
  public static void batchedMatmulTransA(
      double[] a, double[] b, double[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, k * m, k * n, m * n);
    for (int e = 0; e < batch; e++) {
      nn(a, e * k * m, 1, m, b, e * k * n, c, e * m * n, m, k, n, accumulate);
    }
  }

  /** Batched {@code C[N, m, n] (+)= A[N, m, k] · B[N, n, k]ᵀ}. */
  public static void batchedMatmulTransB(
      double[] a, double[] b, double[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, m * k, n * k, m * n);
    for (int e = 0; e < batch; e++) {
      nt(a, e * m * k, b, e * n * k, c, e * m * n, m, k, n, accumulate);
    }
  }

  /**
   * {@code C (+)= A·B} with {@code A[i, p]} at {@code a[ao + i·ars + p·aps]} (so {@code A} or {@code Aᵀ})
   * and {@code B} row-major {@code [k, n]}, two rows of {@code C} at a time ({@link #addRows}).
   */
  private static void nn(double[] a, int ao, int ars, int aps, double[] b, int bo, double[] c, int co,
      int m, int k, int n, boolean accumulate) {
    if (!accumulate) {
      Arrays.fill(c, co, co + m * n, 0);
    }
    int i = 0;
    for (; i + 2 <= m; i += 2) {
      addRows(a, ao + i * ars, ao + (i + 1) * ars, aps, b, bo, c, co + i * n, co + (i + 1) * n, k, n);
    }
    if (i < m) {
      addRow(a, ao + i * ars, aps, b, bo, c, co + i * n, k, n);
    }
  }

  /**
   * {@link #addRow} for two rows of {@code C} at once, sharing each load of {@code B}: rows {@code ci0} and
   * {@code ci1} take {@code A} from {@code ai0} and {@code ai1}. Same order of additions per entry.
   */
  private static void addRows(double[] a, int ai0, int ai1, int aps, double[] b, int bo, double[] c,
      int ci0, int ci1, int k, int n) {
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      double a00 = a[ai0 + p * aps];
      double a01 = a[ai0 + (p + 1) * aps];
      double a02 = a[ai0 + (p + 2) * aps];
      double a03 = a[ai0 + (p + 3) * aps];
      double a10 = a[ai1 + p * aps];
      double a11 = a[ai1 + (p + 1) * aps];
      double a12 = a[ai1 + (p + 2) * aps];
      double a13 = a[ai1 + (p + 3) * aps];
      int b0 = bo + p * n;
      int b1 = b0 + n;
      int b2 = b1 + n;
      int b3 = b2 + n;
      for (int j = 0; j < n; j++) {
        double x0 = b[b0 + j];
        double x1 = b[b1 + j];
        double x2 = b[b2 + j];
        double x3 = b[b3 + j];
        double t0 = c[ci0 + j];
        t0 += a00 * x0;
        t0 += a01 * x1;
        t0 += a02 * x2;
        t0 += a03 * x3;
        c[ci0 + j] = t0;
        double t1 = c[ci1 + j];
        t1 += a10 * x0;
        t1 += a11 * x1;
        t1 += a12 * x2;
        t1 += a13 * x3;
        c[ci1 + j] = t1;
      }
    }
    for (; p < k; p++) {
      double a0 = a[ai0 + p * aps];
      double a1 = a[ai1 + p * aps];
      int b0 = bo + p * n;
      for (int j = 0; j < n; j++) {
        double x = b[b0 + j];
        c[ci0 + j] += a0 * x;
        c[ci1 + j] += a1 * x;
      }
    }
  }

  /**
   * {@code c[ci + j] += Σ_p a[ai + p·aps] · b[bo + p·n + j]}, adding the products in ascending {@code p}:
   * four rows of {@code B} per pass, so {@code C[i, j]} is loaded and stored once per four products.
   */
  private static void addRow(double[] a, int ai, int aps, double[] b, int bo, double[] c, int ci, int k, int n) {
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      double a0 = a[ai + p * aps];
      double a1 = a[ai + (p + 1) * aps];
      double a2 = a[ai + (p + 2) * aps];
      double a3 = a[ai + (p + 3) * aps];
      int b0 = bo + p * n;
      int b1 = b0 + n;
      int b2 = b1 + n;
      int b3 = b2 + n;
      for (int j = 0; j < n; j++) {
        double t = c[ci + j];
        t += a0 * b[b0 + j];
        t += a1 * b[b1 + j];
        t += a2 * b[b2 + j];
        t += a3 * b[b3 + j];
        c[ci + j] = t;
      }
    }
    for (; p < k; p++) {
      double a0 = a[ai + p * aps];
      int b0 = bo + p * n;
      for (int j = 0; j < n; j++) {
        c[ci + j] += a0 * b[b0 + j];
      }
    }
  }

  /**
   * {@code C (+)= A·Bᵀ}. With enough rows, {@code Bᵀ} is packed once into a per-thread buffer and each
   * pair of rows of {@code C} is formed in a per-thread buffer by {@link #addRows} before it is stored or
   * added; otherwise (few rows) each entry is a plain dot product. Both add the products of an entry in
   * ascending {@code p} starting from zero, then add that sum to {@code C} when accumulating, so they agree
   * bit for bit.
   */
  private static void nt(double[] a, int ao, double[] b, int bo, double[] c, int co,
      int m, int k, int n, boolean accumulate) {
    if (m < PACK_MIN_ROWS || k == 0 || n == 0) {
      for (int i = 0; i < m; i++) {
        int ai = ao + i * k;
        for (int j = 0; j < n; j++) {
          int bj = bo + j * k;
          double sum = 0;
          for (int p = 0; p < k; p++) {
            sum += a[ai + p] * b[bj + p];
          }
          int cij = co + i * n + j;
          c[cij] = accumulate ? c[cij] + sum : sum;
        }
      }
      return;
    }
    Scratch s = SCRATCH.get();
    double[] bt = s.doubles(k * n);
    double[] row = s.doubleRow(2 * n);
    for (int j = 0; j < n; j++) {
      int bj = bo + j * k;
      for (int p = 0; p < k; p++) {
        bt[p * n + j] = b[bj + p];
      }
    }
    for (int i = 0; i < m; i += 2) {
      int rows = Math.min(2, m - i);
      Arrays.fill(row, 0, rows * n, 0);
      if (rows == 2) {
        addRows(a, ao + i * k, ao + (i + 1) * k, 1, bt, 0, row, 0, n, k, n);
      } else {
        addRow(a, ao + i * k, 1, bt, 0, row, 0, k, n);
      }
      int ci = co + i * n;
      if (accumulate) {
        for (int j = 0; j < rows * n; j++) {
          c[ci + j] += row[j];
        }
      } else {
        System.arraycopy(row, 0, c, ci, rows * n);
      }
    }
  }

  private static void checkSizes(int aLength, int bLength, int cLength,
      int batch, int aSize, int bSize, int cSize) {
    if (batch < 0 || aSize < 0 || bSize < 0 || cSize < 0) {
      throw new IllegalArgumentException("negative matmul size");
    }
    check("A", aLength, (long) batch * aSize);
    check("B", bLength, (long) batch * bSize);
    check("C", cLength, (long) batch * cSize);
  }

  private static void check(String name, int length, long expected) {
    if (length != expected) {
      throw new IllegalArgumentException(
          "matmul: " + name + " has " + length + " elements, expected " + expected);
    }
  }
}
