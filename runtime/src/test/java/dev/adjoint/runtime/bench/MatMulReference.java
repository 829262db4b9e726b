package dev.adjoint.runtime.bench;

import java.util.Arrays;

/**
 * The matrix kernels as they were before the register-tiled rewrite (commit c86f306), kept verbatim
 * so that {@link MatMulBench} can time old and new in one run and tests can compare them bit for bit.
 *
 * <p>Original documentation follows.
 *
 * <p>Matrix products over flat row-major arrays: {@code C = A·B}, {@code C = Aᵀ·B} and
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
 * <p>Loops run i-k-j (or i-j-k for {@code A·Bᵀ}, a dot product over two contiguous rows), so the
 * innermost loop always walks contiguous memory.
 */
public final class MatMulReference {
  private MatMulReference() {}

  /** {@code C[m, n] (+)= A[m, k] · B[k, n]}. */
  public static void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m * k, k * n, m * n);
    nn(a, 0, b, 0, c, 0, m, k, n, accumulate);
  }

  /** {@code C[m, n] (+)= Aᵀ · B} where {@code A} is stored {@code [k, m]} and {@code B} is {@code [k, n]}. */
  public static void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, k * m, k * n, m * n);
    tn(a, 0, b, 0, c, 0, m, k, n, accumulate);
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
      nn(a, e * m * k, b, e * k * n, c, e * m * n, m, k, n, accumulate);
    }
  }

  /** Batched {@code C[N, m, n] (+)= A[N, k, m]ᵀ · B[N, k, n]}. */
  public static void batchedMatmulTransA(
      float[] a, float[] b, float[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, k * m, k * n, m * n);
    for (int e = 0; e < batch; e++) {
      tn(a, e * k * m, b, e * k * n, c, e * m * n, m, k, n, accumulate);
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

  private static void nn(float[] a, int ao, float[] b, int bo, float[] c, int co,
      int m, int k, int n, boolean accumulate) {
    if (!accumulate) {
      Arrays.fill(c, co, co + m * n, 0);
    }
    for (int i = 0; i < m; i++) {
      int ci = co + i * n;
      for (int p = 0; p < k; p++) {
        float aip = a[ao + i * k + p];
        int bp = bo + p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += aip * b[bp + j];
        }
      }
    }
  }

  private static void tn(float[] a, int ao, float[] b, int bo, float[] c, int co,
      int m, int k, int n, boolean accumulate) {
    if (!accumulate) {
      Arrays.fill(c, co, co + m * n, 0);
    }
    for (int i = 0; i < m; i++) {
      int ci = co + i * n;
      for (int p = 0; p < k; p++) {
        float api = a[ao + p * m + i];
        int bp = bo + p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += api * b[bp + j];
        }
      }
    }
  }

  private static void nt(float[] a, int ao, float[] b, int bo, float[] c, int co,
      int m, int k, int n, boolean accumulate) {
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
  }

  // ---- f64: the same loops over double[] ----

  /** {@code C[m, n] (+)= A[m, k] · B[k, n]}. */
  public static void matmul(double[] a, double[] b, double[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, m * k, k * n, m * n);
    nn(a, 0, b, 0, c, 0, m, k, n, accumulate);
  }

  /** {@code C[m, n] (+)= Aᵀ · B} where {@code A} is stored {@code [k, m]} and {@code B} is {@code [k, n]}. */
  public static void matmulTransA(double[] a, double[] b, double[] c, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, 1, k * m, k * n, m * n);
    tn(a, 0, b, 0, c, 0, m, k, n, accumulate);
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
      nn(a, e * m * k, b, e * k * n, c, e * m * n, m, k, n, accumulate);
    }
  }

  /** Batched {@code C[N, m, n] (+)= A[N, k, m]ᵀ · B[N, k, n]}. */
  public static void batchedMatmulTransA(
      double[] a, double[] b, double[] c, int batch, int m, int k, int n, boolean accumulate) {
    checkSizes(a.length, b.length, c.length, batch, k * m, k * n, m * n);
    for (int e = 0; e < batch; e++) {
      tn(a, e * k * m, b, e * k * n, c, e * m * n, m, k, n, accumulate);
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

  private static void nn(double[] a, int ao, double[] b, int bo, double[] c, int co,
      int m, int k, int n, boolean accumulate) {
    if (!accumulate) {
      Arrays.fill(c, co, co + m * n, 0);
    }
    for (int i = 0; i < m; i++) {
      int ci = co + i * n;
      for (int p = 0; p < k; p++) {
        double aip = a[ao + i * k + p];
        int bp = bo + p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += aip * b[bp + j];
        }
      }
    }
  }

  private static void tn(double[] a, int ao, double[] b, int bo, double[] c, int co,
      int m, int k, int n, boolean accumulate) {
    if (!accumulate) {
      Arrays.fill(c, co, co + m * n, 0);
    }
    for (int i = 0; i < m; i++) {
      int ci = co + i * n;
      for (int p = 0; p < k; p++) {
        double api = a[ao + p * m + i];
        int bp = bo + p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += api * b[bp + j];
        }
      }
    }
  }

  private static void nt(double[] a, int ao, double[] b, int bo, double[] c, int co,
      int m, int k, int n, boolean accumulate) {
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
