package dev.adjoint.runtime;

/**
 * Runs each kernel often enough on small inputs that the JIT compiles it (C2 after some thousands of
 * loop iterations; the Vector API kernels allocate a vector object per operation until then).
 */
final class KernelWarmUp {
  private KernelWarmUp() {}

  private static final int ROUNDS = 60;

  static void run() {
    int m = 40;
    int k = 70;
    int n = 60;
    float[] af = new float[m * k];
    float[] bf = new float[k * n];
    float[] cf = new float[m * n];
    float[] dWf = new float[k * n];
    float[] dxf = new float[m * k];
    double[] ad = new double[m * k];
    double[] bd = new double[k * n];
    double[] cd = new double[m * n];
    double[] dWd = new double[k * n];
    double[] dxd = new double[m * k];
    float[] sumf = new float[k];
    double[] sumd = new double[k];
    for (int i = 0; i < af.length; i++) {
      af[i] = (float) Math.sin(i);
      ad[i] = Math.sin(i);
    }
    for (int i = 0; i < bf.length; i++) {
      bf[i] = (float) Math.cos(i);
      bd[i] = Math.cos(i);
    }
    for (int r = 0; r < ROUNDS; r++) {
      // A forward product and the two of its backward: dW = xᵀ·dy, dx = dy·Wᵀ.
      MatMul.matmul(af, bf, cf, m, k, n, false);
      MatMul.matmulTransA(af, cf, dWf, k, m, n, r % 2 == 0);
      MatMul.matmulTransB(cf, bf, dxf, m, n, k, r % 2 == 0);
      MatMul.matmul(ad, bd, cd, m, k, n, false);
      MatMul.matmulTransA(ad, cd, dWd, k, m, n, r % 2 == 0);
      MatMul.matmulTransB(cd, bd, dxd, m, n, k, r % 2 == 0);
      // relu's backward mask and a bias gradient, as a dense layer's backward runs them.
      ArrayMath.wherePositive(af, dxf, dxf);
      ArrayMath.columnSums(dxf, m, k, sumf);
      ArrayMath.wherePositive(ad, dxd, dxd);
      ArrayMath.columnSums(dxd, m, k, sumd);
    }
  }
}
