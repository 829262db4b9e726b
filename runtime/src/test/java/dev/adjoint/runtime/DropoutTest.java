package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Dropout#forward} against its definition written plainly ({@link Dropout#keep}: {@code u >= p} with
 * {@code u} the generator's output as a double), bit for bit, in f32 and f64, for drop probabilities that are and are
 * not multiples of 2⁻⁵³, and 0 and 1; evaluation mode copies. The masks as computed (integer draws against
 * {@link Dropout#threshold}, in chunks) are that definition at every length, around the chunk size, with NaNs,
 * infinities and negative zeros among the elements, and in place.
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

  @ParameterizedTest(name = "n={0}")
  @CsvSource({"0", "1", "7", "8", "9", "17", "2047", "2048", "2049", "4096", "5000"})
  void masksAreTheDefinitionAtEveryLengthAndInPlace(int n) {
    SplittableRandom r = new SplittableRandom(n * 31L + 1);
    for (double p : new double[] {0, 0.2, 0.5, 1.0 / 3, 0.95, 1}) {
      long seed = r.nextLong();
      long step = r.nextInt(1000);
      int site = r.nextInt(4);
      long stream = Dropout.stream(seed, step, site);
      float[] x = new float[n];
      double[] xd = new double[n];
      for (int i = 0; i < n; i++) {
        xd[i] = switch (r.nextInt(10)) {
          case 0 -> -0.0;
          case 1 -> Double.NaN;
          case 2 -> Double.NEGATIVE_INFINITY;
          default -> r.nextDouble(-5, 5);
        };
        x[i] = (float) xd[i];
      }
      float[] want = new float[n];
      double[] wantD = new double[n];
      for (int i = 0; i < n; i++) {
        boolean keep = Dropout.keep(stream, i, p);
        want[i] = keep ? x[i] * (float) Dropout.scale(p) : 0.0f;
        wantD[i] = keep ? xd[i] * Dropout.scale(p) : 0.0;
      }
      String what = "p=" + p;
      float[] y = new float[n];
      Dropout.forward(x, y, p, seed, step, site, Mode.TRAINING);
      assertArrayEquals(BackwardArrayKernelsTest.bits(want), BackwardArrayKernelsTest.bits(y), what);
      double[] yd = new double[n];
      Dropout.forward(xd, yd, p, seed, step, site, Mode.TRAINING);
      assertArrayEquals(BackwardArrayKernelsTest.bits(wantD), BackwardArrayKernelsTest.bits(yd), what + " f64");
      float[] inPlace = x.clone();
      Dropout.forward(inPlace, inPlace, p, seed, step, site, Mode.TRAINING);
      assertArrayEquals(BackwardArrayKernelsTest.bits(want), BackwardArrayKernelsTest.bits(inPlace),
          what + " in place");
    }
  }

  /** The integer threshold decides as the definition's double comparison does, at and around every boundary. */
  @ParameterizedTest(name = "seed={0}")
  @ValueSource(longs = {1, 2, 3})
  void thresholdIsTheDoubleComparison(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int t = 0; t < 20_000; t++) {
      double p = switch (t % 4) {
        case 0 -> r.nextDouble();
        case 1 -> (r.nextLong() >>> 11) * 0x1.0p-53;               // a multiple of 2⁻⁵³
        case 2 -> Math.nextUp((r.nextLong() >>> 11) * 0x1.0p-53);
        default -> Math.nextDown((r.nextLong() >>> 11) * 0x1.0p-53);
      };
      p = Math.min(1, Math.max(0, p));
      long threshold = Dropout.threshold(p);
      assertTrue(threshold >= 0 && threshold <= 1L << 53, "p=" + p);
      for (long u = threshold - 2; u <= threshold + 2; u++) {
        if (u >= 0 && u < 1L << 53) {
          assertEquals(u * 0x1.0p-53 >= p, u >= threshold, "p=" + p + ", draw " + u);
        }
      }
    }
  }
}
