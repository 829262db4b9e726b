package dev.adjoint.runtime.optim;

import static dev.adjoint.runtime.optim.OptimTestSupport.checkSteps;
import static dev.adjoint.runtime.optim.OptimTestSupport.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SGD against updates worked out by hand from the PyTorch formulas; gradients are GRADS. */
class SgdTest {

  @ParameterizedTest(name = "f32={0}")
  @ValueSource(booleans = {false, true})
  void plainSgdSubtractsLearningRateTimesGradient(boolean f32) {
    Map<String, Tensor> params = param(f32);
    Optimizer opt = Sgd.builder(params).learningRate(0.1).build();
    checkSteps(f32, opt, params, new double[][] {
        {1.0 - 0.1 * 1.0, -2.0 - 0.1 * -2.0},        // 0.9, -1.8
        {0.9 - 0.1 * 0.5, -1.8 - 0.1 * 1.0},         // 0.85, -1.9
        {0.85 - 0.1 * -1.0, -1.9 - 0.1 * 0.0},       // 0.95, -1.9
    });
  }

  @ParameterizedTest(name = "f32={0}")
  @ValueSource(booleans = {false, true})
  void momentumStepsAlongTheBuffer(boolean f32) {
    // buf1 = g1 = (1, -2); buf2 = 0.9 buf1 + g2 = (1.4, -0.8); buf3 = 0.9 buf2 + g3 = (0.26, -0.72)
    Map<String, Tensor> params = param(f32);
    Optimizer opt = Sgd.builder(params).learningRate(0.1).momentum(0.9).build();
    checkSteps(f32, opt, params, new double[][] {
        {1.0 - 0.1, -2.0 + 0.2},                     // 0.9, -1.8
        {0.9 - 0.14, -1.8 + 0.08},                   // 0.76, -1.72
        {0.76 - 0.026, -1.72 + 0.072},               // 0.734, -1.648
    });
  }

  @ParameterizedTest(name = "f32={0}")
  @ValueSource(booleans = {false, true})
  void nesterovStepsAlongGradientPlusMomentumTimesBuffer(boolean f32) {
    // Same buffers as plain momentum; the step is g + 0.9 buf:
    // (1.9, -3.8), (0.5 + 1.26, 1 - 0.72) = (1.76, 0.28), (-1 + 0.234, 0 - 0.648) = (-0.766, -0.648)
    Map<String, Tensor> params = param(f32);
    Optimizer opt = Sgd.builder(params).learningRate(0.1).momentum(0.9).nesterov(true).build();
    checkSteps(f32, opt, params, new double[][] {
        {1.0 - 0.19, -2.0 + 0.38},                   // 0.81, -1.62
        {0.81 - 0.176, -1.62 - 0.028},               // 0.634, -1.648
        {0.634 + 0.0766, -1.648 + 0.0648},           // 0.7106, -1.5832
    });
  }

  @Test
  void nesterovAndPlainMomentumDifferByMomentumTimesBufferMinusBuffer() {
    Map<String, Tensor> plain = param(false);
    Map<String, Tensor> nesterov = param(false);
    Optimizer a = Sgd.builder(plain).learningRate(0.1).momentum(0.9).build();
    Optimizer b = Sgd.builder(nesterov).learningRate(0.1).momentum(0.9).nesterov(true).build();
    a.step(OptimTestSupport.grad(false, 0));
    b.step(OptimTestSupport.grad(false, 0));
    // After one step buf = g, so plain moves by lr*g and Nesterov by lr*(1 + momentum)*g.
    double plainMove = plain.get("w").getAsDouble(0) - 1.0;
    double nesterovMove = nesterov.get("w").getAsDouble(0) - 1.0;
    assertNotEquals(plainMove, nesterovMove);
    assertEquals(1.9 * plainMove, nesterovMove, 1e-15);
  }

  @ParameterizedTest(name = "f32={0}")
  @ValueSource(booleans = {false, true})
  void weightDecayAddsL2TermToGradient(boolean f32) {
    // g' = g + 0.1 p: step 1 (1 + 0.1, -2 - 0.2) = (1.1, -2.2); p1 = (0.89, -1.78)
    // step 2: (0.5 + 0.089, 1 - 0.178) = (0.589, 0.822); p2 = (0.8311, -1.8622)
    Map<String, Tensor> params = param(f32);
    Optimizer opt = Sgd.builder(params).learningRate(0.1).weightDecay(0.1).build();
    checkSteps(f32, opt, params, new double[][] {{0.89, -1.78}, {0.8311, -1.8622}});
  }

  @Test
  void nesterovWithoutMomentumIsRejected() {
    Sgd.Builder b = Sgd.builder(param(false)).nesterov(true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertEquals("Nesterov momentum needs a momentum above 0", e.getMessage());
  }

  @Test
  void negativeOptionsAreRejectedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sgd.builder(param(false)).momentum(-0.5));
    assertEquals("momentum must be finite and >= 0, got -0.5", e.getMessage());
  }
}
