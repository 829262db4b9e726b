package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An {@code f32} parameter is updated in {@code float} arithmetic, as PyTorch updates a
 * {@code float32} tensor, and an {@code f64} one in {@code double}: three steps of each optimizer
 * against the documented formulas evaluated element by element in that type, bit for bit. A gradient
 * of the other precision is converted first.
 */
class PrecisionTest {
  private static final int N = 37;

  private static float[] floats(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[N];
    for (int i = 0; i < N; i++) {
      a[i] = (float) r.nextDouble(-2, 2);
    }
    return a;
  }

  private static double[] doubles(long seed) {
    return new SplittableRandom(seed).doubles(N, -2, 2).toArray();
  }

  @Test
  void sgdWithNesterovMomentumAndDecayRunsInTheParametersPrecision() {
    float[] p = floats(1);
    double[] pd = doubles(2);
    float[] wantF = p.clone();
    double[] wantD = pd.clone();
    float[] bufF = new float[N];
    double[] bufD = new double[N];
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("w", FloatTensor.wrap(p, N));
    params.put("v", DoubleTensor.wrap(pd, N));
    Optimizer opt = Sgd.builder(params).learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(0.01).build();
    for (int step = 0; step < 3; step++) {
      float[] g = floats(10 + step);
      double[] gd = doubles(20 + step);
      // The f32 parameter gets an f64 gradient: it is rounded to float first.
      double[] gAsDouble = new double[N];
      for (int i = 0; i < N; i++) {
        gAsDouble[i] = g[i];
      }
      opt.step(Map.of("w", DoubleTensor.of(gAsDouble, N), "v", DoubleTensor.of(gd, N)));
      for (int i = 0; i < N; i++) {
        float gi = g[i] + 0.01f * wantF[i];
        bufF[i] = 0.9f * bufF[i] + gi;
        wantF[i] = wantF[i] - 0.1f * (gi + 0.9f * bufF[i]);
        double gdi = gd[i] + 0.01 * wantD[i];
        bufD[i] = 0.9 * bufD[i] + gdi;
        wantD[i] = wantD[i] - 0.1 * (gdi + 0.9 * bufD[i]);
      }
      assertArrayEquals(wantF, p, 0f, "f32 after step " + step);
      assertArrayEquals(wantD, pd, 0.0, "f64 after step " + step);
    }
  }

  @Test
  void adamWRunsInTheParametersPrecision() {
    float[] p = floats(3);
    double[] pd = doubles(4);
    float[] wantF = p.clone();
    double[] wantD = pd.clone();
    float[] m = new float[N];
    float[] v = new float[N];
    double[] md = new double[N];
    double[] vd = new double[N];
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("w", FloatTensor.wrap(p, N));
    params.put("v", DoubleTensor.wrap(pd, N));
    double lr = 1e-2;
    double wd = 0.05;
    Optimizer opt = AdamW.builder(params).learningRate(lr).weightDecay(wd).build();
    for (int t = 1; t <= 3; t++) {
      float[] g = floats(30 + t);
      double[] gd = doubles(40 + t);
      opt.step(Map.of("w", FloatTensor.of(g, N), "v", DoubleTensor.of(gd, N)));
      double step = lr / (1 - Math.pow(0.9, t));
      double sc2 = Math.sqrt(1 - Math.pow(0.999, t));
      for (int i = 0; i < N; i++) {
        float pi = wantF[i] * (float) (1 - lr * wd);
        m[i] = 0.9f * m[i] + (float) (1 - 0.9) * g[i];
        v[i] = 0.999f * v[i] + (float) (1 - 0.999) * g[i] * g[i];
        wantF[i] = pi - (float) step * m[i] / ((float) Math.sqrt(v[i]) / (float) sc2 + 1e-8f);
        double pdi = wantD[i] * (1 - lr * wd);
        md[i] = 0.9 * md[i] + (1 - 0.9) * gd[i];
        vd[i] = 0.999 * vd[i] + (1 - 0.999) * gd[i] * gd[i];
        wantD[i] = pdi - step * md[i] / (Math.sqrt(vd[i]) / sc2 + 1e-8);
      }
      assertArrayEquals(wantF, p, 0f, "f32 after step " + t);
      assertArrayEquals(wantD, pd, 0.0, "f64 after step " + t);
    }
  }
}
