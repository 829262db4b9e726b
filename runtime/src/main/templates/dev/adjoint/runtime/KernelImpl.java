package dev.adjoint.runtime;

/**
 * One implementation of the kernels that have two: the Vector API one ({@link VectorKernels}) and the
 * scalar one ({@link ScalarKernels}). {@link Kernels} picks one at start-up; both give the same bits
 * for every input.
 */
interface KernelImpl {
  /** A short name for reports, such as {@code vector-api (512-bit)} or {@code scalar}. */
  String name();

  // twin: double

  /**
   * {@code C[i, j] (+)= Σ_p A[i, p]·B[p, j]} for {@code i < m}, {@code j < n}, {@code p < k}, with
   * {@code A[i, p] = a[ao + i·ars + p·aps]}, {@code B[p, j] = b[bo + p·brs + j·bps]} and
   * {@code C[i, j] = c[co + i·ldc + j]}; each entry is the chain of fused multiply-adds in ascending
   * {@code p} starting from {@code C[i, j]} ({@code accumulate}) or zero. {@code s} holds the calling
   * thread's packing buffers.
   */
  void gemm(float[] a, int ao, int ars, int aps, float[] b, int bo, int brs, int bps,
      float[] c, int co, int ldc, int m, int k, int n, boolean accumulate, GemmScratch s);

  // y[yo + i] = f(x[xo + i]) for i < n, bit for bit as FastMath's function of that name.

  void exp(float[] x, int xo, float[] y, int yo, int n);

  void log(float[] x, int xo, float[] y, int yo, int n);

  void tanh(float[] x, int xo, float[] y, int yo, int n);

  void sigmoid(float[] x, int xo, float[] y, int yo, int n);

  /**
   * {@code y[yo + i] = x[xo + i] > 0 ? a[ao + i] : 0} for {@code i < n} (relu's backward mask), bit for bit as
   * {@code FastMath.where}; {@code y} may be {@code x} or {@code a} (same offsets).
   */
  void wherePositive(float[] x, int xo, float[] a, int ao, float[] y, int yo, int n);

  /**
   * {@code y[yo + i] = Math.max(y[yo + i], x[xo + i])} for {@code i < n} (max pooling's running maximum): its bits,
   * the sign of a zero included, except that a NaN may have another payload; {@code y} and {@code x} do not overlap.
   */
  void maxInto(float[] y, int yo, float[] x, int xo, int n);

  /**
   * Max pooling for 2×2 windows of stride 2 without padding ({@link Pool2d#maxForward}), over {@code pairs} pairs of
   * rows of {@code width} elements (even), one after the other from {@code x[xo]} (pair {@code q} is rows
   * {@code xo + 2q·width} and the next): each window's maximum into {@code y[yo + q·width / 2 + j]}, the
   * bits of {@link Math#max} over its four elements (a NaN's payload aside). May write {@code y} past the last window
   * of the call, up to its end, with values a later call of increasing {@code yo} overwrites.
   */
  void maxPool2x2(float[] x, int xo, float[] y, int yo, int pairs, int width);

  // end twin
}
