package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer minimizes {@code f = sum_i a_i (x_i - c_i)^2 / 2 + sum_j a_j (y_j - c_j)^2 / 2}
 * over an f64 {@code x} and an f32 {@code y}, with the gradient {@code a (x - c)} written by hand,
 * and a cosine schedule so that Adam's steps shrink to 0.
 */
class ConvergenceTest {
  private static final double[] A = {1.0, 10.0};
  private static final double[] C = {3.0, -1.5};
  private static final int STEPS = 2_000;

  static List<Function<Map<String, Tensor>, Optimizer>> optimizers() {
    return List.of(
        p -> Sgd.builder(p).learningRate(0.1).build(),
        p -> Sgd.builder(p).learningRate(0.1).momentum(0.9).build(),
        p -> Sgd.builder(p).learningRate(0.1).momentum(0.9).nesterov(true).build(),
        p -> Adam.builder(p).learningRate(0.1).build(),
        p -> AdamW.builder(p).learningRate(0.1).weightDecay(0).build());
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void minimizesAQuadratic(Function<Map<String, Tensor>, Optimizer> make) {
    double[] x = {0.0, 0.0};
    float[] y = {0.0f, 0.0f};
    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("x", DoubleTensor.wrap(x, 2));
    params.put("y", FloatTensor.wrap(y, 2));
    double[] gx = new double[2];
    float[] gy = new float[2];
    Map<String, Tensor> grads = Map.of("x", DoubleTensor.wrap(gx, 2), "y", FloatTensor.wrap(gy, 2));
    Optimizer opt = make.apply(params);
    LearningRateSchedule lr = LearningRateSchedule.cosine(0.1, STEPS, 0).withLinearWarmup(10);

    while (opt.steps() < STEPS) {
      for (int i = 0; i < 2; i++) {
        gx[i] = A[i] * (x[i] - C[i]);
        gy[i] = (float) (A[i] * (y[i] - C[i]));
      }
      opt.setLearningRate(lr.at(opt.steps()));
      opt.step(grads);
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(C[i], x[i], 1e-4, "x[" + i + "]");
      assertEquals(C[i], y[i], 1e-4, "y[" + i + "]");
    }
  }
}
