package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ActivationsTest {

  @ParameterizedTest
  @ValueSource(doubles = {-30, -5, -1.5, -0.3, 0, 0.2, 1, 4.5, 30})
  void matchNaiveFormsWhereThoseAreAccurate(double x) {
    double sig = 1 / (1 + Math.exp(-x));
    assertEquals(sig, Activations.sigmoid(x), 1e-15);
    assertEquals(Math.log(1 + Math.exp(x)), Activations.softplus(x), 1e-13);
    assertEquals(Math.log(sig), Activations.logSigmoid(x), 1e-13);
    double gelu = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    assertEquals(gelu, Activations.gelu(x), 1e-14);
    assertEquals((float) sig, Activations.sigmoid((float) x), 1e-7);
    assertEquals((float) Activations.softplus(x), Activations.softplus((float) x), 1e-6);
    assertEquals((float) Activations.logSigmoid(x), Activations.logSigmoid((float) x), 1e-6);
    assertEquals((float) gelu, Activations.gelu((float) x), 1e-6);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-6, -2.5, -1, -0.1, 0, 0.4, 1, 3, 7})
  void derivativesMatchCentralDifferences(double x) {
    double h = 1e-6;
    double geluFd = (Activations.gelu(x + h) - Activations.gelu(x - h)) / (2 * h);
    assertEquals(geluFd, Activations.geluDerivative(x), 1e-8);
    assertEquals((float) Activations.geluDerivative(x), Activations.geluDerivative((float) x), 1e-6);
    double softplusFd = (Activations.softplus(x + h) - Activations.softplus(x - h)) / (2 * h);
    assertEquals(softplusFd, Activations.sigmoid(x), 1e-8);
  }

  @Test
  void exactAndFiniteInTheLimits() {
    for (double big : new double[] {100, 1000, 1e300}) {
      assertEquals(1.0, Activations.sigmoid(big));
      assertTrue(Activations.sigmoid(-big) >= 0 && Activations.sigmoid(-big) < 1e-43);
      assertEquals(big, Activations.softplus(big));
      assertTrue(Activations.softplus(-big) >= 0 && Activations.softplus(-big) < 1e-43);
      assertEquals(-big, Activations.logSigmoid(-big));
      assertTrue(Activations.logSigmoid(big) <= 0 && Activations.logSigmoid(big) > -1e-43);
      assertEquals(big, Activations.gelu(big));
      assertEquals(0.0, Activations.gelu(-big), 0.0);
      assertEquals(1.0, Activations.geluDerivative(big));
      assertEquals(0.0, Activations.geluDerivative(-big), 0.0);
      float f = (float) Math.min(big, 3e38);
      assertEquals(1f, Activations.sigmoid(f));
      assertEquals(0f, Activations.sigmoid(-f), 1e-30f);
      assertEquals(f, Activations.softplus(f));
      assertEquals(-f, Activations.logSigmoid(-f));
      assertEquals(f, Activations.gelu(f));
      assertEquals(1f, Activations.geluDerivative(f));
    }
    assertEquals(0.5, Activations.sigmoid(0.0));
    assertEquals(Math.log(2), Activations.softplus(0.0), 1e-16);
    assertEquals(-36.000000000000002, Activations.logSigmoid(-36.0), 1e-12);
  }
}
