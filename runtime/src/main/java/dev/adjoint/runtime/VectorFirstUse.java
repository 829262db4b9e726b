package dev.adjoint.runtime;

/**
 * Runs every Vector API kernel once, on tiny inputs, when the Vector API implementation is created: before any
 * method of the JDK's Vector API can be hot enough for C2, every operation the runtime uses has had its first use.
 *
 * <p>Why (BENCHMARKS.md, Known problems, "the matrix product's micro-kernels sometimes ran boxed"): each vector
 * operation looks up its scalar fallback in a per-class cache, {@code VectorOperators.ImplCache.find}, which calls a
 * supplier on the first use of an operator only. When C2 compiled {@code find} by itself (it is hot while the kernels
 * still run in the interpreter and C1) after seeing one supplier class, the first use of another operation later (the
 * model's first {@code tanh}, after the matrix products of {@link KernelWarmUp}) failed its type guard: 4 to 5
 * {@code class_check} traps recorded in {@code find}. C2 adds up the traps of every method it inlines, and
 * {@code micro8x3} inlines {@code find} once per {@code fma}, 24 times: 96 with 4 traps, 120 with 5, against
 * {@code PerMethodTrapLimit} 100. Past the limit the micro-kernel's next compile has no type speculation, its
 * broadcast vectors have no exact class, and every {@code fma} becomes a call on boxed vectors. With every first use
 * done here, the supplier call never sees a new class after {@code find} is compiled.
 *
 * <p>The inputs cover every micro-kernel ({@code 8×1} to {@code 4×4} vectors, the short edge panel, overwriting and
 * accumulating, {@code B} packed and in place) and every pass of the elementwise kernels (whole vectors and a tail).
 */
final class VectorFirstUse {
  private VectorFirstUse() {}

  static void run(KernelImpl impl) {
    GemmScratch s = GemmScratch.current();
    int lf = Math.max(1, VectorGemm.bitsF32() / 32);
    int ld = Math.max(1, VectorGemm.bitsF32() / 64);
    int m = VectorGemm.MR + 1;
    int k = 2;
    for (int vectors = 1; vectors <= 4; vectors++) {
      for (int acc = 0; acc < 2; acc++) {
        int nf = vectors * lf;
        float[] af = new float[m * k];
        float[] bf = new float[k * nf];
        // B read in place (few rows of C) and packed (transposed B): both paths of gemm.
        impl.gemm(af, 0, k, 1, bf, 0, nf, 1, new float[m * nf], 0, nf, m, k, nf, acc == 1, s);
        impl.gemm(af, 0, k, 1, bf, 0, 1, k, new float[m * nf], 0, nf, m, k, nf, acc == 1, s);
        int nd = vectors * ld;
        double[] ad = new double[m * k];
        double[] bd = new double[k * nd];
        impl.gemm(ad, 0, k, 1, bd, 0, nd, 1, new double[m * nd], 0, nd, m, k, nd, acc == 1, s);
        impl.gemm(ad, 0, k, 1, bd, 0, 1, k, new double[m * nd], 0, nd, m, k, nd, acc == 1, s);
      }
    }
    int n = 4 * lf + 3;
    float[] xf = new float[n];
    float[] yf = new float[n];
    for (int i = 0; i < n; i++) {
      xf[i] = 0.25f * (i - n / 2);
    }
    impl.exp(xf, 0, yf, 0, n);
    impl.log(yf, 0, yf, 0, n);
    impl.tanh(xf, 0, yf, 0, n);
    impl.sigmoid(xf, 0, yf, 0, n);
    impl.wherePositive(xf, 0, yf, 0, yf, 0, n);
    impl.maxInto(yf, 0, xf, 0, n);
    impl.maxPool2x2(new float[4 * lf + 2], 0, new float[lf], 0, 2, lf);
    n = 4 * ld + 3;
    double[] xd = new double[n];
    double[] yd = new double[n];
    for (int i = 0; i < n; i++) {
      xd[i] = 0.25 * (i - n / 2);
    }
    impl.exp(xd, 0, yd, 0, n);
    impl.log(yd, 0, yd, 0, n);
    impl.tanh(xd, 0, yd, 0, n);
    impl.sigmoid(xd, 0, yd, 0, n);
    impl.wherePositive(xd, 0, yd, 0, yd, 0, n);
    impl.maxInto(yd, 0, xd, 0, n);
    impl.maxPool2x2(new double[4 * ld + 2], 0, new double[ld], 0, 2, ld);
  }
}
