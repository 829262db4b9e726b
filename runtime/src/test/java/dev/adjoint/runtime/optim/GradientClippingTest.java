package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GradientClippingTest {

  /** An f64 (3, 0) and an f32 (4): global norm 5. */
  private static Map<String, Tensor> threeFour() {
    Map<String, Tensor> grads = new LinkedHashMap<>();
    grads.put("a", DoubleTensor.of(new double[] {3, 0}, 2));
    grads.put("b", FloatTensor.of(new float[] {4}, 1, 1));
    return grads;
  }

  @Test
  void globalNormTakesAllTensorsTogether() {
    assertEquals(5.0, GradientClipping.globalNorm(threeFour()));
    assertEquals(0.0, GradientClipping.globalNorm(Map.of()));
  }

  @Test
  void clippingReturnsTheNormBeforeAndScalesInPlace() {
    Map<String, Tensor> grads = threeFour();
    assertEquals(5.0, GradientClipping.clipByGlobalNorm(grads, 1.0));
    double scale = 1.0 / (5.0 + 1e-6);
    assertArrayEquals(new double[] {3 * scale, 0}, ((DoubleTensor) grads.get("a")).data(), 1e-15);
    assertArrayEquals(new float[] {(float) (4 * scale)}, ((FloatTensor) grads.get("b")).data());
    double after = GradientClipping.globalNorm(grads);
    assertEquals(1.0, after, 1e-6);
    assertTrue(after <= 1.0 + 1e-7);
  }

  @Test
  void gradientsBelowTheLimitAreUntouched() {
    Map<String, Tensor> grads = threeFour();
    assertEquals(5.0, GradientClipping.clipByGlobalNorm(grads, 10.0));
    assertEquals(threeFour(), grads);
  }

  @Test
  void aNonFiniteNormIsReturnedAndNothingIsScaled() {
    Map<String, Tensor> grads = Map.of("a", DoubleTensor.of(new double[] {Double.NaN, 1}, 2));
    assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(grads, 1.0)));
    assertEquals(1.0, grads.get("a").getAsDouble(1));
  }

  @Test
  void integerTensorsAndBadLimitsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.globalNorm(Map.of("n", IntTensor.zeros(1))));
    assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByGlobalNorm(threeFour(), -1));
  }

  /**
   * The four-way sum of squares against the exact sum (BigDecimal) at every tail length, and a NaN or an infinity in
   * any lane reaches the result.
   */
  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 33, 1000})
  void sumOfSquaresIsTheSumOfSquares(int n) {
    SplittableRandom r = new SplittableRandom(n + 11L);
    float[] f = new float[n];
    double[] d = new double[n];
    BigDecimal exactF = BigDecimal.ZERO;
    BigDecimal exactD = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      f[i] = (float) r.nextDouble(-10, 10);
      d[i] = r.nextDouble(-10, 10);
      exactF = exactF.add(new BigDecimal(f[i]).pow(2));
      exactD = exactD.add(new BigDecimal(d[i]).pow(2));
    }
    assertEquals(exactF.doubleValue(), GradientClipping.sumOfSquares("f", FloatTensor.of(f, n)),
        1e-14 * exactF.doubleValue());
    assertEquals(exactD.doubleValue(), GradientClipping.sumOfSquares("d", DoubleTensor.of(d, n)),
        1e-14 * exactD.doubleValue());
    for (int i = 0; i < n; i++) {
      double[] bad = d.clone();
      bad[i] = i % 2 == 0 ? Double.NaN : Double.NEGATIVE_INFINITY;
      double s = GradientClipping.sumOfSquares("d", DoubleTensor.of(bad, n));
      assertTrue(i % 2 == 0 ? Double.isNaN(s) : s == Double.POSITIVE_INFINITY, "element " + i + ": " + s);
    }
  }
}
