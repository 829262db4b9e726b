package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** An optimizer rebuilt from {@link Optimizer#state()} continues exactly where the first one was. */
class OptimizerStateTest {

  static Stream<Arguments> optimizers() {
    Function<Map<String, Tensor>, Optimizer> sgd = p -> Sgd.builder(p).learningRate(0.05)
        .momentum(0.9).nesterov(true).weightDecay(1e-3).build();
    Function<Map<String, Tensor>, Optimizer> adam = p -> Adam.builder(p).learningRate(0.01)
        .weightDecay(1e-3).build();
    Function<Map<String, Tensor>, Optimizer> adamw = p -> AdamW.builder(p).learningRate(0.01).build();
    return Stream.of(Arguments.of("sgd", sgd, true), Arguments.of("sgd", sgd, false),
        Arguments.of("adam", adam, true), Arguments.of("adam", adam, false),
        Arguments.of("adamw", adamw, true), Arguments.of("adamw", adamw, false));
  }

  private static Map<String, Tensor> params(boolean f32) {
    Map<String, Tensor> p = new LinkedHashMap<>();
    p.put("W", f32 ? FloatTensor.full(0.5f, 3, 2) : DoubleTensor.full(0.5, 3, 2));
    p.put("b", f32 ? FloatTensor.zeros(2) : DoubleTensor.zeros(2));
    return p;
  }

  private static Map<String, Tensor> copy(Map<String, Tensor> p) {
    Map<String, Tensor> c = new LinkedHashMap<>();
    p.forEach((k, v) -> c.put(k, v instanceof FloatTensor f ? f.copy() : ((DoubleTensor) v).copy()));
    return c;
  }

  /** Seeded gradients; {@code b} has none at every third step (its state must stay its own). */
  private static Map<String, Tensor> gradient(boolean f32, int step) {
    Random r = new Random(step);
    Map<String, Tensor> g = new LinkedHashMap<>();
    double[] w = r.doubles(6, -1, 1).toArray();
    double[] b = r.doubles(2, -1, 1).toArray();
    g.put("W", f32 ? FloatTensor.of(toFloat(w), 3, 2) : DoubleTensor.of(w, 3, 2));
    if (step % 3 != 0) {
      g.put("b", f32 ? FloatTensor.of(toFloat(b), 2) : DoubleTensor.of(b, 2));
    }
    return g;
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  @ParameterizedTest(name = "{0}, f32 {2}")
  @MethodSource("optimizers")
  void aRestoredOptimizerContinuesBitForBit(String name, Function<Map<String, Tensor>, Optimizer> build,
      boolean f32) {
    Map<String, Tensor> straight = params(f32);
    Optimizer a = build.apply(straight);
    Map<String, Tensor> stopped = params(f32);
    Optimizer b = build.apply(stopped);
    for (int step = 1; step <= 7; step++) {
      a.setLearningRate(0.01 * step);
      a.step(gradient(f32, step));
      b.setLearningRate(0.01 * step);
      b.step(gradient(f32, step));
    }
    Map<String, Tensor> saved = b.state();
    Map<String, Tensor> resumed = copy(stopped);
    Optimizer c = build.apply(resumed);
    c.loadState(saved);
    assertEquals(7, c.steps());
    assertEquals(b.learningRate(), c.learningRate());
    for (int step = 8; step <= 15; step++) {
      a.setLearningRate(0.01 * step);
      a.step(gradient(f32, step));
      c.setLearningRate(0.01 * step);
      c.step(gradient(f32, step));
    }
    assertEquals(straight, resumed, name + ": the params after 15 steps");
    assertEquals(a.state(), c.state(), name + ": the state after 15 steps");
  }

  @Test
  void theStateHasPyTorchsNamesAndIsACopy() {
    Map<String, Tensor> p = params(false);
    Adam adam = Adam.builder(p).build();
    adam.step(gradient(false, 1));
    Map<String, Tensor> s = adam.state();
    assertEquals(List.of("step", "lr", "exp_avg.W", "exp_avg.b", "exp_avg_sq.W", "exp_avg_sq.b", "step.W",
        "step.b"), List.copyOf(s.keySet()));
    assertEquals(IntTensor.scalar(1), s.get("step"));
    assertEquals("f64[3, 2]", s.get("exp_avg.W").typeString());
    ((DoubleTensor) s.get("exp_avg.W")).data()[0] = 1e9;
    assertTrue(adam.state().get("exp_avg.W").getAsDouble(0) < 1, "state() copies");
    assertEquals(List.of("step", "lr", "momentum_buffer.W", "momentum_buffer.b"),
        List.copyOf(Sgd.builder(p).build().state().keySet()));
  }

  @Test
  void aStateThatDoesNotFitIsRefusedWholeAndChangesNothing() {
    Map<String, Tensor> p = params(false);
    Adam adam = Adam.builder(p).build();
    Map<String, Tensor> sgdState = Sgd.builder(params(false)).momentum(0.5).build().state();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(sgdState));
    assertEquals("optimizer state does not fit Adam over parameters W, b: missing exp_avg.W (f64[3, 2]);"
        + " missing exp_avg.b (f64[2]); missing exp_avg_sq.W (f64[3, 2]); missing exp_avg_sq.b (f64[2]);"
        + " missing step.W (i32[]); missing step.b (i32[]); unexpected momentum_buffer.W;"
        + " unexpected momentum_buffer.b", e.getMessage());
    Map<String, Tensor> wrongShape = new LinkedHashMap<>(adam.state());
    wrongShape.put("exp_avg.W", DoubleTensor.zeros(2, 3));
    wrongShape.put("step", IntTensor.scalar(5));
    e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(wrongShape));
    assertEquals("optimizer state does not fit Adam over parameters W, b: exp_avg.W is f64[2, 3], expected"
        + " f64[3, 2]", e.getMessage());
    assertEquals(0, adam.steps(), "nothing was loaded");
    Optimizer custom = new Optimizer() {
      @Override public void step(Map<String, Tensor> gradients) {}
      @Override public void reset() {}
      @Override public int steps() {
        return 0;
      }
      @Override public double learningRate() {
        return 0;
      }
      @Override public void setLearningRate(double learningRate) {}
    };
    assertThrows(UnsupportedOperationException.class, custom::state);
  }
}
