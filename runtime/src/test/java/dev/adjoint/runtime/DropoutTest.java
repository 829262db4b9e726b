package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Dropout#forward} against its definition written plainly ({@link Dropout#keep}: {@code u >= p} with
 * {@code u} the generator's output as a double), bit for bit, in f32 and f64, for drop probabilities that are and are
 * not multiples of 2⁻⁵³, and 0 and 1; evaluation mode copies.
 */
class DropoutTest {

  @ParameterizedTest(name = "p={0}")
  @ValueSource(doubles = {0, 1e-300, 0.1, 0.2, 1.0 / 3, 0.5, 0.7, 0.9999999999999999, 1})
  void trainingMasksAreTheDefinition(double p) {
    SplittableRandom r = new SplittableRandom(Double.doubleToLongBits(p));
    int n = 5000;
    float[] x = new float[n];
    double[] xd = new double[n];
    for (int i = 0; i < n; i++) {
      xd[i] = r.nextDouble(-3, 3);
      x[i] = (float) xd[i];
    }
    long seed = 7;
    long step = 12;
    int site = 3;
    long stream = Dropout.stream(seed, step, site);
    float[] want = new float[n];
    double[] wantD = new double[n];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      boolean keep = Dropout.keep(stream, i, p);
      want[i] = keep ? x[i] * (float) Dropout.scale(p) : 0.0f;
      wantD[i] = keep ? xd[i] * Dropout.scale(p) : 0.0;
      kept += keep ? 1 : 0;
    }
    float[] y = new float[n];
    Dropout.forward(x, y, p, seed, step, site, Mode.TRAINING);
    assertArrayEquals(BackwardArrayKernelsTest.bits(want), BackwardArrayKernelsTest.bits(y));
    double[] yd = new double[n];
    Dropout.forward(xd, yd, p, seed, step, site, Mode.TRAINING);
    assertArrayEquals(BackwardArrayKernelsTest.bits(wantD), BackwardArrayKernelsTest.bits(yd));
    assertEquals(1 - p, kept / (double) n, 0.03, "share kept");
    Dropout.forward(x, y, p, seed, step, site, Mode.EVALUATION);
    assertArrayEquals(x, y);
  }
}
