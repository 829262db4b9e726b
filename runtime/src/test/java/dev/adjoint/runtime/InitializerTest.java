package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InitializerTest {

  /** Literal values: a change of generator, hashing, Box–Muller or fan rule breaks this test. */
  @Test
  void goldenHeNormal() {
    double[] expected = {
      0.8060909580648753, 0.003470216993067821, 1.2538449472585766,
      0.3986443007423348, 0.47867167135642497, 0.3352742015969491,
      -0.3704750445982164, 0.8949181048107437, 0.6070072349781099,
      -0.5563700489603228, -0.8463492994947664, -0.003981781141550153,
    };
    DoubleTensor w = Initializer.heNormal().f64(42, "W1", 4, 3);
    assertArrayEquals(expected, w.data());
    float[] f = new float[12];
    Initializer.heNormal().fill(f, 42, "W1", 4, 3);
    for (int i = 0; i < f.length; i++) {
      assertEquals((float) expected[i], f[i], "f32 is the f64 value rounded once, element " + i);
    }
    assertEquals(0.8060909509658813f, f[0]);
  }

  @Test
  void goldenGlorotUniform() {
    double[] expected = {
      0.5489405635424174, -0.514457431846254, 0.637429183728224,
      -0.680694533695249, 0.6315414858392707, -0.2564013976640378,
    };
    double[] got = new double[15];
    Initializer.glorotUniform().fill(got, 7, "b", 3, 5);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], "element " + i);
    }
  }

  @Test
  void sameSeedSameValuesOtherParametersUnaffected() {
    FloatTensor a = Initializer.normal(0, 1).f32(3, "W", 8, 8);
    assertEquals(a, Initializer.normal(0, 1).f32(3, "W", 8, 8));
    assertNotEquals(a, Initializer.normal(0, 1).f32(4, "W", 8, 8));
    assertNotEquals(a, Initializer.normal(0, 1).f32(3, "V", 8, 8));
  }

  @Test
  void constantInitializers() {
    assertArrayEquals(new float[] {0, 0, 0}, Initializer.zeros().f32(1, "b", 3).data());
    assertArrayEquals(new double[] {1, 1}, Initializer.ones().f64(1, "b", 2).data());
    assertArrayEquals(new float[] {0.5f, 0.5f}, Initializer.constant(0.5).f32(1, "c", 2).data());
    assertArrayEquals(new float[] {2f}, Initializer.constant(2).f32(1, "s").data());
  }

  @Test
  void fansFollowTheDocumentedRules() {
    assertEquals(1, Initializer.fanIn());
    assertEquals(1, Initializer.fanOut());
    assertEquals(7, Initializer.fanIn(7));
    assertEquals(7, Initializer.fanOut(7));
    assertEquals(64, Initializer.fanIn(64, 32));
    assertEquals(32, Initializer.fanOut(64, 32));
    assertEquals(3 * 5 * 5, Initializer.fanIn(16, 3, 5, 5));
    assertEquals(16 * 5 * 5, Initializer.fanOut(16, 3, 5, 5));
  }

  @Test
  void heNormalHasStdSqrtTwoOverFanIn() {
    double[] w = Initializer.heNormal().f64(11, "W", 400, 100).data();
    assertEquals(0, mean(w), 0.005);
    assertEquals(Math.sqrt(2.0 / 400), std(w), 0.002);
  }

  @Test
  void glorotUniformHasItsLimitAndVariance() {
    double limit = Math.sqrt(6.0 / (300 + 200));
    double[] w = Initializer.glorotUniform().f64(12, "W", 300, 200).data();
    for (double v : w) {
      assertTrue(v >= -limit && v < limit);
    }
    assertEquals(0, mean(w), 0.002);
    assertEquals(limit / Math.sqrt(3), std(w), 0.001);
  }

  @Test
  void uniformAndNormalStatistics() {
    double[] u = Initializer.uniform(-1, 3).f64(5, "u", 100_000).data();
    assertEquals(1, mean(u), 0.02);
    assertEquals(4 / Math.sqrt(12), std(u), 0.01);
    double[] n = Initializer.normal(2, 0.5).f64(5, "n", 100_000).data();
    assertEquals(2, mean(n), 0.01);
    assertEquals(0.5, std(n), 0.01);
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Initializer.uniform(1, 0));
    assertThrows(IllegalArgumentException.class, () -> Initializer.normal(0, -1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Initializer.zeros().fill(new float[5], 0, "W", 2, 3));
    assertEquals("parameter W has 5 elements but shape [2, 3] needs 6", e.getMessage());
  }

  @Test
  void toStringUsesTheLanguageSpelling() {
    assertEquals("he_normal", Initializer.heNormal().toString());
    assertEquals("glorot_uniform", Initializer.glorotUniform().toString());
    assertEquals("zeros", Initializer.zeros().toString());
    assertEquals("uniform(-0.1, 0.1)", Initializer.uniform(-0.1, 0.1).toString());
    assertEquals(Initializer.normal(0, 2), Initializer.normal(0, 2));
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double std(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }
}
