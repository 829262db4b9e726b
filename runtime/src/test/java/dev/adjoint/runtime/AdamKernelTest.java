package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link KernelImpl#adam} on both implementations against the update written plainly, bit for bit, in f32 and f64:
 * whole vectors and tails, with and without Adam's {@code l2} term and AdamW's decay, and with zeros of both signs,
 * tiny and huge gradients among the elements.
 */
class AdamKernelTest {

  @ParameterizedTest(name = "n={0}, l2={1}, decay={2}")
  @CsvSource({"0, 0, 1", "1, 0, 1", "15, 0, 1", "16, 0, 1", "17, 0.01, 1", "33, 0, 0.999", "1000, 0, 1",
      "1000, 0.01, 1", "1000, 0, 0.999"})
  void bothImplementationsAreThePlainUpdate(int n, double l2, double decay) {
    SplittableRandom r = new SplittableRandom(n * 7L + (long) (l2 * 100) + (decay < 1 ? 3 : 0));
    float[] p = new float[n];
    float[] g = new float[n];
    float[] m = new float[n];
    float[] v = new float[n];
    double[] pd = new double[n];
    double[] gd = new double[n];
    double[] md = new double[n];
    double[] vd = new double[n];
    for (int i = 0; i < n; i++) {
      pd[i] = r.nextDouble(-2, 2);
      gd[i] = switch (r.nextInt(6)) {
        case 0 -> 0.0;
        case 1 -> -0.0;
        case 2 -> r.nextDouble(-1e-20, 1e-20);
        case 3 -> r.nextDouble(-1e3, 1e3);
        default -> r.nextDouble(-1, 1);
      };
      md[i] = r.nextDouble(-0.1, 0.1);
      vd[i] = r.nextDouble(0, 0.01);
      p[i] = (float) pd[i];
      g[i] = (float) gd[i];
      m[i] = (float) md[i];
      v[i] = (float) vd[i];
    }
    // bias corrections of the 3rd update, lr 1e-2, as AdamBase computes them
    double step = 1e-2 / (1 - Math.pow(0.9, 3));
    double sc2 = Math.sqrt(1 - Math.pow(0.999, 3));
    float[] wantP = p.clone();
    float[] wantM = m.clone();
    float[] wantV = v.clone();
    double[] wantPd = pd.clone();
    double[] wantMd = md.clone();
    double[] wantVd = vd.clone();
    for (int i = 0; i < n; i++) {
      float gi = l2 != 0 ? g[i] + (float) l2 * p[i] : g[i];
      wantM[i] = 0.9f * m[i] + (float) (1 - 0.9) * gi;
      wantV[i] = 0.999f * v[i] + (float) (1 - 0.999) * gi * gi;
      wantP[i] = p[i] * (float) decay - (float) step * wantM[i] / ((float) Math.sqrt(wantV[i]) / (float) sc2 + 1e-8f);
      double gdi = l2 != 0 ? gd[i] + l2 * pd[i] : gd[i];
      wantMd[i] = 0.9 * md[i] + (1 - 0.9) * gdi;
      wantVd[i] = 0.999 * vd[i] + (1 - 0.999) * gdi * gdi;
      wantPd[i] = pd[i] * decay - step * wantMd[i] / (Math.sqrt(wantVd[i]) / sc2 + 1e-8);
    }
    for (KernelImpl impl : MatMulKernelTest.impls()) {
      float[] gp = p.clone();
      float[] gm = m.clone();
      float[] gv = v.clone();
      impl.adam(gp, g, gm, gv, n, (float) l2, (float) decay, 0.9f, (float) (1 - 0.9), 0.999f, (float) (1 - 0.999),
          (float) step, (float) sc2, 1e-8f);
      assertArrayEquals(BackwardArrayKernelsTest.bits(wantM), BackwardArrayKernelsTest.bits(gm), impl.name() + " m");
      assertArrayEquals(BackwardArrayKernelsTest.bits(wantV), BackwardArrayKernelsTest.bits(gv), impl.name() + " v");
      assertArrayEquals(BackwardArrayKernelsTest.bits(wantP), BackwardArrayKernelsTest.bits(gp), impl.name() + " p");
      double[] gpd = pd.clone();
      double[] gmd = md.clone();
      double[] gvd = vd.clone();
      impl.adam(gpd, gd, gmd, gvd, n, l2, decay, 0.9, 1 - 0.9, 0.999, 1 - 0.999, step, sc2, 1e-8);
      assertArrayEquals(BackwardArrayKernelsTest.bits(wantMd), BackwardArrayKernelsTest.bits(gmd), impl.name() + " m f64");
      assertArrayEquals(BackwardArrayKernelsTest.bits(wantVd), BackwardArrayKernelsTest.bits(gvd), impl.name() + " v f64");
      assertArrayEquals(BackwardArrayKernelsTest.bits(wantPd), BackwardArrayKernelsTest.bits(gpd), impl.name() + " p f64");
    }
  }
}
