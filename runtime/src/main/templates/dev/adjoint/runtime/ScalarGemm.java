package dev.adjoint.runtime;

/**
 * The matrix product without the Vector API, written so that C2's auto-vectorizer (SuperWord) turns
 * its inner loop into vector instructions: every array in it is a row of its own indexed by the bare
 * loop variable. (C2 leaves loops over one flat array with two run-time offsets scalar; see
 * {@code kernels.md} in the project's notes.)
 *
 * <p>Per block of {@code KC} rows of {@code B} and {@code NC} columns, the rows of {@code B} are
 * copied into row arrays (transposing {@code Bᵀ} on the way), and {@link #ROWS} rows of {@code C}
 * into row arrays of the scratch; then, three rows of {@code B} at a time, each of those rows takes
 * {@code c[j] = fma(A[i,p+2], b2[j], fma(A[i,p+1], b1[j], fma(A[i,p], b0[j], c[j])))} over its
 * columns, and the rows go back to
 * {@code C}. Every entry is thus the same chain of fused multiply-adds in ascending {@code p} as in
 * {@link VectorGemm}, so both give the same bits.
 */
final class ScalarGemm {
  private ScalarGemm() {}

  /** Rows of {@code C} updated together, sharing each load of a row of {@code B}. */
  static final int ROWS = 3;
  /** Contraction block. */
  static final int KC = 256;
  /** Column block: the row arrays of {@code C} and {@code B} stay in L1 and L2. */
  static final int NC = 512;

  // twin: double

  /** {@code C (+)= A·B} with strided {@code A} and {@code B}, as {@code VectorGemm.gemm} (same arguments, same bits). */
  static void gemm(float[] a, int ao, int ars, int aps, float[] b, int bo, int brs, int bps,
      float[] c, int co, int ldc, int m, int k, int n, boolean accumulate, GemmScratch s) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      if (!accumulate) {
        GemmScratch.zero(c, co, ldc, m, n);
      }
      return;
    }
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        boolean load = accumulate || pc > 0;
        float[][] rows = s.rowsF32(kc, nc);
        packB(b, bo + pc * brs + jc * bps, brs, bps, kc, nc, rows);
        float[][] t = s.cRowsF32(ROWS, nc);
        for (int i = 0; i < m; i += ROWS) {
          int r = Math.min(ROWS, m - i);
          int ci = co + i * ldc + jc;
          for (int q = 0; q < r; q++) {
            if (load) {
              System.arraycopy(c, ci + q * ldc, t[q], 0, nc);
            } else {
              java.util.Arrays.fill(t[q], 0, nc, 0);
            }
          }
          int ai = ao + i * ars + pc * aps;
          int tail = kc - kc % 3;
          if (r == ROWS) {
            rows3(a, ai, ars, aps, rows, t, kc, nc);
            rows3Tail(a, ai, ars, aps, rows, t, tail, kc, nc);
          } else {
            for (int q = 0; q < r; q++) {
              row(a, ai + q * ars, aps, rows, t, q, kc, nc);
              rowTail(a, ai + q * ars, aps, rows, t, q, tail, kc, nc);
            }
          }
          for (int q = 0; q < r; q++) {
            System.arraycopy(t[q], 0, c, ci + q * ldc, nc);
          }
        }
      }
    }
  }

  /** {@code rows[p][j] = B[p, j]} for {@code p < kc}, {@code j < nc}. */
  private static void packB(float[] b, int bo, int brs, int bps, int kc, int nc, float[][] rows) {
    if (bps == 1) {
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, bo + p * brs, rows[p], 0, nc);
      }
    } else {
      for (int j = 0; j < nc; j++) {
        int src = bo + j * bps;
        for (int p = 0; p < kc; p++) {
          rows[p][j] = b[src + p * brs];
        }
      }
    }
  }

  /**
   * Three rows of {@code C} over the first {@code kc - kc % 3} rows of {@code B}, three rows of {@code B} per pass: each
   * pass loads a value of {@code C} once for three fused multiply-adds, nested in ascending {@code p}.
   * (C2 on JDK 17 vectorizes this loop, which reads six arrays; with seven or more, as in 4 × 2 or
   * 3 × 4 tiles, it gave up and ran 6× slower when measured. It also stayed scalar when the rows of
   * {@code C} came in as three parameters rather than read from one {@code float[][]}, and when the
   * loop over the last rows of {@code B} was in the same method, or inlined into it; hence
   * {@link #rows3Tail}, called separately.)
   */
  private static void rows3(float[] a, int ai, int ars, int aps, float[][] rows, float[][] t, int kc, int nc) {
    float[] t0 = t[0];
    float[] t1 = t[1];
    float[] t2 = t[2];
    int p = 0;
    for (; p + 3 <= kc; p += 3) {
      int at = ai + p * aps;
      float a00 = a[at];
      float a01 = a[at + aps];
      float a02 = a[at + 2 * aps];
      float a10 = a[at + ars];
      float a11 = a[at + ars + aps];
      float a12 = a[at + ars + 2 * aps];
      float a20 = a[at + 2 * ars];
      float a21 = a[at + 2 * ars + aps];
      float a22 = a[at + 2 * ars + 2 * aps];
      float[] b0 = rows[p];
      float[] b1 = rows[p + 1];
      float[] b2 = rows[p + 2];
      for (int j = 0; j < nc; j++) {
        float x0 = b0[j];
        float x1 = b1[j];
        float x2 = b2[j];
        t0[j] = Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, t0[j])));
        t1[j] = Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, t1[j])));
        t2[j] = Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, t2[j])));
      }
    }
  }

  /** Rows {@code p..kc} of {@code B} (the last one or two) after {@link #rows3}. */
  private static void rows3Tail(float[] a, int ai, int ars, int aps, float[][] rows, float[][] t,
      int p, int kc, int nc) {
    float[] t0 = t[0];
    float[] t1 = t[1];
    float[] t2 = t[2];
    for (; p < kc; p++) {
      int at = ai + p * aps;
      float a0 = a[at];
      float a1 = a[at + ars];
      float a2 = a[at + 2 * ars];
      float[] b0 = rows[p];
      for (int j = 0; j < nc; j++) {
        float x0 = b0[j];
        t0[j] = Math.fma(a0, x0, t0[j]);
        t1[j] = Math.fma(a1, x0, t1[j]);
        t2[j] = Math.fma(a2, x0, t2[j]);
      }
    }
  }

  /** One row of {@code C}, three rows of {@code B} per pass, in the same order as {@link #rows3}. */
  private static void row(float[] a, int ai, int aps, float[][] rows, float[][] tRows, int q, int kc, int nc) {
    float[] t = tRows[q];
    int p = 0;
    for (; p + 3 <= kc; p += 3) {
      int at = ai + p * aps;
      float a0 = a[at];
      float a1 = a[at + aps];
      float a2 = a[at + 2 * aps];
      float[] b0 = rows[p];
      float[] b1 = rows[p + 1];
      float[] b2 = rows[p + 2];
      for (int j = 0; j < nc; j++) {
        t[j] = Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], t[j])));
      }
    }
  }

  /** Rows {@code p..kc} of {@code B} (the last one or two) after {@link #row}. */
  private static void rowTail(float[] a, int ai, int aps, float[][] rows, float[][] tRows, int q,
      int p, int kc, int nc) {
    float[] t = tRows[q];
    for (; p < kc; p++) {
      float a0 = a[ai + p * aps];
      float[] b0 = rows[p];
      for (int j = 0; j < nc; j++) {
        t[j] = Math.fma(a0, b0[j], t[j]);
      }
    }
  }

  // end twin
}
