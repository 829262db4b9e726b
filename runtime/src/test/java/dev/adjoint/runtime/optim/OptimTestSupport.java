package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tiny parameter maps and a shared gradient sequence for the optimizer tests. */
final class OptimTestSupport {
  private OptimTestSupport() {}

  /** The gradient of the parameter {@code w} at steps 1, 2 and 3 of the hand-computed tests. */
  static final double[][] GRADS = {{1.0, -2.0}, {0.5, 1.0}, {-1.0, 0.0}};

  /** The starting value of {@code w}. */
  static final double[] START = {1.0, -2.0};

  /** {@code {w: START}} as an f64 or f32 tensor. */
  static Map<String, Tensor> param(boolean f32) {
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("w", tensor(f32, START));
    return params;
  }

  static Tensor tensor(boolean f32, double... values) {
    if (!f32) {
      return DoubleTensor.of(values, values.length);
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return FloatTensor.of(f, f.length);
  }

  /** {@code {w: GRADS[step]}}, in the parameter's type. */
  static Map<String, Tensor> grad(boolean f32, int step) {
    return Map.of("w", tensor(f32, GRADS[step]));
  }

  /**
   * Runs {@code expected.length} steps with {@link #GRADS}, checking {@code w} after each against
   * {@code expected[step]}: to 1e-12 for f64, to float rounding for f32.
   */
  static void checkSteps(boolean f32, Optimizer opt, Map<String, Tensor> params, double[][] expected) {
    for (int step = 0; step < expected.length; step++) {
      opt.step(grad(f32, step));
      assertEquals(step + 1, opt.steps());
      Tensor w = params.get("w");
      for (int i = 0; i < expected[step].length; i++) {
        double tolerance = f32 ? 1e-6 * Math.max(1, Math.abs(expected[step][i])) : 1e-12;
        assertEquals(expected[step][i], w.getAsDouble(i), tolerance,
            "step " + (step + 1) + ", w[" + i + "]");
      }
    }
  }
}
