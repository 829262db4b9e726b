package dev.adjoint.runtime;

/** The kernels without the Vector API, for JVMs started without {@code jdk.incubator.vector}. */
final class ScalarKernels implements KernelImpl {
  @Override
  public String name() {
    return "scalar";
  }

  // twin: double

  @Override
  public void gemm(float[] a, int ao, int ars, int aps, float[] b, int bo, int brs, int bps,
      float[] c, int co, int ldc, int m, int k, int n, boolean accumulate, GemmScratch s) {
    ScalarGemm.gemm(a, ao, ars, aps, b, bo, brs, bps, c, co, ldc, m, k, n, accumulate, s);
  }

  @Override
  public void exp(float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = FastMath.exp(x[xo + i]);
    }
  }

  @Override
  public void log(float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = FastMath.log(x[xo + i]);
    }
  }

  @Override
  public void tanh(float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = FastMath.tanh(x[xo + i]);
    }
  }

  @Override
  public void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = FastMath.sigmoid(x[xo + i]);
    }
  }

  @Override
  public void wherePositive(float[] x, int xo, float[] a, int ao, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = FastMath.where(x[xo + i] > 0, a[ao + i], 0);
    }
  }

  @Override
  public void maxInto(float[] y, int yo, float[] x, int xo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = Math.max(y[yo + i], x[xo + i]);
    }
  }

  @Override
  public void maxPool2x2(float[] x, int xo, float[] y, int yo, int pairs, int width) {
    for (int q = 0; q < pairs; q++) {
      int t = xo + 2 * q * width;
      Pool2d.max2x2(x, t, t + width, y, yo + q * (width / 2), width / 2);
    }
  }

  // end twin
}
