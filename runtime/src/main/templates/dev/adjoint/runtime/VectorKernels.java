package dev.adjoint.runtime;

/**
 * The kernels written with the Vector API. {@link Kernels} loads this class by name, and only when the
 * module {@code jdk.incubator.vector} is in the boot layer, so that a JVM without the module never
 * resolves a class of it (and generated code never refers to one). The design is that of Lucene's
 * Panama vectorization provider.
 */
final class VectorKernels implements KernelImpl {
  /** Gives every Vector API operation of the runtime its first use now ({@link VectorFirstUse} says why). */
  VectorKernels() {
    VectorFirstUse.run(this);
  }

  @Override
  public String name() {
    return "vector-api (" + VectorGemm.bitsF32() + "-bit)";
  }

  // twin: double

  @Override
  public void gemm(float[] a, int ao, int ars, int aps, float[] b, int bo, int brs, int bps,
      float[] c, int co, int ldc, int m, int k, int n, boolean accumulate, GemmScratch s) {
    VectorGemm.gemm(a, ao, ars, aps, b, bo, brs, bps, c, co, ldc, m, k, n, accumulate, s);
  }

  @Override
  public void exp(float[] x, int xo, float[] y, int yo, int n) {
    VectorMath.exp(x, xo, y, yo, n);
  }

  @Override
  public void log(float[] x, int xo, float[] y, int yo, int n) {
    VectorMath.log(x, xo, y, yo, n);
  }

  @Override
  public void tanh(float[] x, int xo, float[] y, int yo, int n) {
    VectorMath.tanh(x, xo, y, yo, n);
  }

  @Override
  public void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
    VectorMath.sigmoid(x, xo, y, yo, n);
  }

  @Override
  public void wherePositive(float[] x, int xo, float[] a, int ao, float[] y, int yo, int n) {
    VectorArrays.wherePositive(x, xo, a, ao, y, yo, n);
  }

  @Override
  public void maxInto(float[] y, int yo, float[] x, int xo, int n) {
    VectorArrays.maxInto(y, yo, x, xo, n);
  }

  @Override
  public void maxPool2x2(float[] x, int xo, float[] y, int yo, int pairs, int width) {
    VectorArrays.maxPool2x2(x, xo, y, yo, pairs, width);
  }

  // end twin
}
