package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every optimizer promises: gradient lookup, checks, reset, learning rate, steps. */
class OptimizerContractTest {

  static List<Function<Map<String, Tensor>, Optimizer>> optimizers() {
    return List.of(
        p -> Sgd.builder(p).learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(0.01).build(),
        p -> Adam.builder(p).learningRate(0.1).weightDecay(0.01).build(),
        p -> AdamW.builder(p).learningRate(0.1).build());
  }

  private static Map<String, Tensor> twoParams() {
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("W", FloatTensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    params.put("b", DoubleTensor.of(new double[] {0.5, -0.5}, 2));
    return params;
  }

  private static Map<String, Tensor> gradients() {
    return Map.of(
        "W", FloatTensor.of(new float[] {0.1f, -0.2f, 0.3f, -0.4f}, 2, 2),
        "b", DoubleTensor.of(new double[] {1, -1}, 2),
        "x", DoubleTensor.of(new double[] {7}, 1));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void ignoresNonParameterNamesAndSkipsParametersWithoutGradient(
      Function<Map<String, Tensor>, Optimizer> make) {
    Map<String, Tensor> params = twoParams();
    Optimizer opt = make.apply(params);
    opt.step(Map.of("b", DoubleTensor.of(new double[] {1, -1}, 2), "x", DoubleTensor.scalar(3)));
    assertArrayEquals(new float[] {1, 2, 3, 4}, ((FloatTensor) params.get("W")).data());
    assertEquals(1, opt.steps());
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void aShapeMismatchUpdatesNothing(Function<Map<String, Tensor>, Optimizer> make) {
    Map<String, Tensor> params = twoParams();
    Optimizer opt = make.apply(params);
    Map<String, Tensor> bad = Map.of(
        "W", FloatTensor.zeros(4),
        "b", DoubleTensor.of(new double[] {1, -1}, 2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> opt.step(bad));
    assertEquals("gradient of W: expected the shape of f32[2, 2], got f32[4]", e.getMessage());
    assertArrayEquals(new double[] {0.5, -0.5}, ((DoubleTensor) params.get("b")).data());
    assertEquals(0, opt.steps());
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void resetBehavesLikeANewOptimizer(Function<Map<String, Tensor>, Optimizer> make) {
    Map<String, Tensor> used = twoParams();
    Optimizer opt = make.apply(used);
    opt.step(gradients());
    opt.step(gradients());
    opt.reset();
    assertEquals(0, opt.steps());
    Map<String, Tensor> fresh = new LinkedHashMap<>();
    fresh.put("W", ((FloatTensor) used.get("W")).copy());
    fresh.put("b", ((DoubleTensor) used.get("b")).copy());
    Optimizer newOne = make.apply(fresh);
    for (int i = 0; i < 3; i++) {
      opt.step(gradients());
      newOne.step(gradients());
    }
    assertEquals(fresh, new LinkedHashMap<>(used));
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void learningRateZeroLeavesParametersAsTheyAre(Function<Map<String, Tensor>, Optimizer> make) {
    Map<String, Tensor> params = twoParams();
    Optimizer opt = make.apply(params);
    opt.setLearningRate(0);
    assertEquals(0, opt.learningRate());
    opt.step(gradients());
    assertEquals(twoParams(), new LinkedHashMap<>(params));
  }

  @Test
  void integerParametersAreRejected() {
    Map<String, Tensor> params = Map.of("n", IntTensor.zeros(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sgd.builder(params).build());
    assertEquals("parameter n: optimizers update f32 and f64 tensors, not i32[2]", e.getMessage());
  }

  @Test
  void aNegativeLearningRateIsRejected() {
    Optimizer opt = Adam.builder(twoParams()).build();
    assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(-1));
    assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(Double.NaN));
    assertEquals(1e-3, opt.learningRate());
  }
}
