package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API product in the short contraction blocks of a JVM's first products ({@link VectorGemm#KC_FIRST},
 * {@link VectorGemm#KC_COLD}) gives the bits of the full blocks ({@link VectorGemm#KC}) and of the contract's loop ({@code s = Math.fma(a, b, s)} over
 * ascending {@code p}, from {@code C} or 0): {@code A·B}, {@code Aᵀ·B} and {@code A·Bᵀ}, overwriting and
 * accumulating, f32 and f64, at sizes either side of both blocks, the 8-row tile and the vector widths.
 */
class VectorGemmBlocksTest {

  @ParameterizedTest(name = "m={0} k={1} n={2}")
  @CsvSource({"8,1,16", "9,15,17", "16,16,48", "17,17,49", "33,100,64", "64,128,47", "65,129,33", "8,300,16",
      "70,257,100", "3,31,8"})
  void shortBlocksGiveTheBitsOfFullBlocksAndOfTheContract(int m, int k, int n) {
    SplittableRandom r = new SplittableRandom(m * 1_000_003L + k * 1009L + n);
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    float[] c0 = new float[m * n];
    double[] ad = new double[m * k];
    double[] bd = new double[k * n];
    double[] cd0 = new double[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
      ad[i] = r.nextDouble(-1, 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) r.nextDouble(-1, 1);
      bd[i] = r.nextDouble(-1, 1);
    }
    for (int i = 0; i < c0.length; i++) {
      c0[i] = (float) r.nextDouble(-1, 1);
      cd0[i] = r.nextDouble(-1, 1);
    }
    GemmScratch s = GemmScratch.current();
    // {ars, aps, brs, bps}: A·B, Aᵀ·B (A stored [k, m]), A·Bᵀ (B stored [n, k])
    int[][] layouts = {{k, 1, n, 1}, {1, m, n, 1}, {k, 1, 1, k}};
    for (int[] l : layouts) {
      for (boolean acc : new boolean[] {false, true}) {
        float[] want = c0.clone();
        double[] wantD = cd0.clone();
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            float sum = acc ? want[i * n + j] : 0f;
            double sumD = acc ? wantD[i * n + j] : 0d;
            for (int p = 0; p < k; p++) {
              sum = Math.fma(a[i * l[0] + p * l[1]], b[p * l[2] + j * l[3]], sum);
              sumD = Math.fma(ad[i * l[0] + p * l[1]], bd[p * l[2] + j * l[3]], sumD);
            }
            want[i * n + j] = sum;
            wantD[i * n + j] = sumD;
          }
        }
        for (int block : new int[] {VectorGemm.KC_FIRST, VectorGemm.KC_COLD, VectorGemm.KC}) {
          String what = "layout " + java.util.Arrays.toString(l) + (acc ? " accumulating" : "") + ", blocks of "
              + block;
          float[] c = c0.clone();
          VectorGemm.gemm(a, 0, l[0], l[1], b, 0, l[2], l[3], c, 0, n, m, k, n, acc, s, block);
          assertArrayEquals(BackwardArrayKernelsTest.bits(want), BackwardArrayKernelsTest.bits(c), what);
          double[] cd = cd0.clone();
          VectorGemm.gemm(ad, 0, l[0], l[1], bd, 0, l[2], l[3], cd, 0, n, m, k, n, acc, s, block);
          assertArrayEquals(BackwardArrayKernelsTest.bits(wantD), BackwardArrayKernelsTest.bits(cd), what + " f64");
        }
      }
    }
  }
}
