package dev.adjoint.runtime.optim;

import static dev.adjoint.runtime.optim.OptimTestSupport.checkSteps;
import static dev.adjoint.runtime.optim.OptimTestSupport.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adam and AdamW against the textbook form {@code p -= lr * mHat / (sqrt(vHat) + eps)}, with
 * {@code mHat = m / (1 - beta1^t)} and {@code vHat = v / (1 - beta2^t)}, worked out step by step
 * (lr 0.1, betas 0.9 and 0.999, eps 1e-8, gradients GRADS). Step 1 is {@code lr * g / (|g| + eps)}.
 */
class AdamTest {

  @ParameterizedTest(name = "f32={0}")
  @ValueSource(booleans = {false, true})
  void adamMatchesBiasCorrectedMoments(boolean f32) {
    Map<String, Tensor> params = param(f32);
    Optimizer opt = Adam.builder(params).learningRate(0.1).build();
    checkSteps(f32, opt, params, new double[][] {
        {1.0 - 0.1 / (1 + 1e-8), -2.0 + 0.1 * 2 / (2 + 1e-8)},
        {0.8067820382981611, -1.8733662967024316},
        {0.7957037312938717, -1.8527783665034416},
    });
  }

  @ParameterizedTest(name = "f32={0}")
  @ValueSource(booleans = {false, true})
  void adamWeightDecayIsAnL2TermInTheGradient(boolean f32) {
    // Step 1: g' = (1 + 0.1, -2 - 0.2); the update is still lr * sign(g') up to eps.
    Map<String, Tensor> params = param(f32);
    Optimizer opt = Adam.builder(params).learningRate(0.1).weightDecay(0.1).build();
    checkSteps(f32, opt, params, new double[][] {
        {1.0 - 0.1 * 1.1 / (1.1 + 1e-8), -2.0 + 0.1 * 2.2 / (2.2 + 1e-8)},
        {0.8057717968921709, -1.8628462506957488},
        {0.7850508045178748, -1.8291518949411623},
    });
  }

  @ParameterizedTest(name = "f32={0}")
  @ValueSource(booleans = {false, true})
  void adamWDecaysTheParameterBeforeTheAdamUpdate(boolean f32) {
    // Step 1: p = p * (1 - 0.1 * 0.1) = (0.99, -1.98), then the Adam step on the plain gradient.
    Map<String, Tensor> params = param(f32);
    Optimizer opt = AdamW.builder(params).learningRate(0.1).weightDecay(0.1).build();
    checkSteps(f32, opt, params, new double[][] {
        {0.99 - 0.1 / (1 + 1e-8), -1.98 + 0.1 * 2 / (2 + 1e-8)},
        {0.7878820382881611, -1.8345662966974317},
        {0.7689249109009901, -1.7956327035314674},
    });
  }

  @Test
  void adamWDefaultsToPyTorchWeightDecay() {
    Map<String, Tensor> params = param(false);
    Optimizer opt = AdamW.builder(params).build();
    opt.step(OptimTestSupport.grad(false, 0));
    // p * (1 - 1e-3 * 1e-2) - 1e-3 * sign(g)
    assertEquals(1.0 * (1 - 1e-5) - 1e-3 / (1 + 1e-8), params.get("w").getAsDouble(0), 1e-15);
  }

  @Test
  void biasCorrectionCountsEachParameterOwnUpdates() {
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("a", DoubleTensor.of(new double[] {0.0}, 1));
    params.put("b", DoubleTensor.of(new double[] {0.0}, 1));
    Optimizer opt = Adam.builder(params).learningRate(0.1).build();
    opt.step(Map.of("a", DoubleTensor.of(new double[] {1.0}, 1)));
    assertEquals(0.0, params.get("b").getAsDouble(0));
    opt.step(Map.of("a", DoubleTensor.of(new double[] {1.0}, 1),
        "b", DoubleTensor.of(new double[] {3.0}, 1)));
    // b's first update: fully bias-corrected, so lr * g / (|g| + eps) whatever the global step.
    assertEquals(-0.1 * 3 / (3 + 1e-8), params.get("b").getAsDouble(0), 1e-15);
    assertEquals(2, opt.steps());
  }
}
