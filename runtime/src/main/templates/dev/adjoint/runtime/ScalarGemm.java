package dev.adjoint.runtime;

/**
 * The matrix product without the Vector API, written so that C2's auto-vectorizer (SuperWord) turns
 * its inner loop into vector instructions: every array in it is a row of its own indexed by the bare
 * loop variable. (C2 leaves loops over one flat array with two run-time offsets scalar; see
 * {@code kernels.md} in the project's notes.)
 *
 * <p>Per block of {@code KC} rows of {@code B} and {@code NC} columns, the rows of {@code B} are
 * copied into row arrays (transposing {@code Bᵀ} on the way, and padded with rows of {@code -0.0} to a
 * multiple of three), and {@link #ROWS} rows of {@code C} into row arrays of the scratch; then, three
 * rows of {@code B} at a time, each of those rows takes
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

  /** {@code C (+)= A·B} with strided {@code A} and {@code B}: {@code VectorGemm.gemm}'s arguments and bits. */
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
        int padded = (kc + 2) / 3 * 3;
        boolean load = accumulate || pc > 0;
        float[][] rows = s.rowsF32(padded, nc);
        packB(b, bo + pc * brs + jc * bps, brs, bps, kc, padded, nc, rows);
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
          rows3(a, ao + i * ars + pc * aps, ars, aps, r, kc, rows, t, padded, nc);
          for (int q = 0; q < r; q++) {
            System.arraycopy(t[q], 0, c, ci + q * ldc, nc);
          }
        }
      }
    }
  }

  /**
   * {@code rows[p][j] = B[p, j]} for {@code p < kc}, {@code j < nc}; rows {@code kc..padded} are
   * {@code -0.0}, which leaves every sum as it is ({@code fma(0, -0.0, t) = t} for every {@code t},
   * signed zeros included).
   */
  private static void packB(float[] b, int bo, int brs, int bps, int kc, int padded, int nc, float[][] rows) {
    if (bps == 1) {
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, bo + p * brs, rows[p], 0, nc);
      }
    } else {
      // Transposing: four columns per pass, so that each row of B gets four neighbouring values.
      int j = 0;
      for (; j + 4 <= nc; j += 4) {
        int s0 = bo + j * bps;
        int s1 = s0 + bps;
        int s2 = s1 + bps;
        int s3 = s2 + bps;
        for (int p = 0; p < kc; p++) {
          float[] row = rows[p];
          int sp = p * brs;
          row[j] = b[s0 + sp];
          row[j + 1] = b[s1 + sp];
          row[j + 2] = b[s2 + sp];
          row[j + 3] = b[s3 + sp];
        }
      }
      for (; j < nc; j++) {
        int src = bo + j * bps;
        for (int p = 0; p < kc; p++) {
          rows[p][j] = b[src + p * brs];
        }
      }
    }
    for (int p = kc; p < padded; p++) {
      java.util.Arrays.fill(rows[p], 0, nc, -0.0f);
    }
  }

  /**
   * Rows {@code 0..r} ({@code r <= 3}) of {@code C}, held in {@code t[0..3]}, over the {@code padded}
   * packed rows of {@code B}, three per pass: each pass loads a value of {@code C} once for three fused
   * multiply-adds, nested in ascending {@code p}. {@code A[q, p]} is read in place at
   * {@code a[ai + q·ars + p·aps]} for {@code q < r} and {@code p < kc}, and is 0 elsewhere (so the
   * rows of {@code t} past {@code r} compute nothing of use, and the padding rows of {@code B} add
   * nothing).
   *
   * <p>Why one method with one loop, and why it stays this size: C2 on JDK 17 vectorizes this loop,
   * which reads six arrays (with seven or more, as in 4 × 2 or 3 × 4 tiles, it gave up and ran 6×
   * slower), but only while the loop is alone in its compiled method: inlined into {@link #gemm}
   * (or next to a second loop over the last rows of {@code B}, or with the rows of {@code C} passed as
   * three parameters) it stayed scalar. A method of more than 325 bytes of bytecode is never inlined
   * by C2 when hot (FreqInlineSize), and this one is larger than that because of the guards on
   * {@code A}; keep it so.
   */
  private static void rows3(float[] a, int ai, int ars, int aps, int r, int kc, float[][] rows, float[][] t,
      int padded, int nc) {
    float[] t0 = t[0];
    float[] t1 = t[1];
    float[] t2 = t[2];
    boolean has1 = r > 1;
    boolean has2 = r > 2;
    for (int p = 0; p < padded; p += 3) {
      int at = ai + p * aps;
      boolean p1 = p + 1 < kc;
      boolean p2 = p + 2 < kc;
      float a00 = a[at];
      float a01 = p1 ? a[at + aps] : 0;
      float a02 = p2 ? a[at + 2 * aps] : 0;
      float a10 = has1 ? a[at + ars] : 0;
      float a11 = has1 && p1 ? a[at + ars + aps] : 0;
      float a12 = has1 && p2 ? a[at + ars + 2 * aps] : 0;
      float a20 = has2 ? a[at + 2 * ars] : 0;
      float a21 = has2 && p1 ? a[at + 2 * ars + aps] : 0;
      float a22 = has2 && p2 ? a[at + 2 * ars + 2 * aps] : 0;
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

  // end twin
}
