package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The model interface, results and parameter registry, exercised by a hand-written "generated" model. */
class ModelApiTest {

  /** What the emitter might produce for {@code y = x @ W + b; loss = mean(y)} with x: f64[B, 2], W: f64[2, 1]. */
  static final class TinyModel implements AdjointModel {
    private static final InputSpec X = InputSpec.of("x", "f64[B, 2]", ElementType.F64, Dim.of("B"), Dim.of(2));
    private final ParameterSet params = new ParameterSet();
    private final double[] w = params.add("W", DoubleTensor.zeros(2, 1)).data();
    private final double[] b = params.add("b", DoubleTensor.zeros(1)).data();

    TinyModel(long seed) {
      initParameters(seed);
    }

    @Override
    public String name() {
      return "Tiny";
    }

    @Override
    public List<InputSpec> inputs() {
      return List.of(X);
    }

    @Override
    public Map<String, Tensor> parameters() {
      return params.view();
    }

    @Override
    public void setParameter(String name, Tensor value) {
      params.set(name, value);
    }

    @Override
    public void initParameters(long seed) {
      Initializer.glorotUniform().fill(w, seed, "W", 2, 1);
      Initializer.zeros().fill(b, seed, "b", 1);
    }

    @Override
    public boolean hasLoss() {
      return true;
    }

    private double[] y(double[] x, int batch) {
      double[] y = new double[batch];
      MatMul.matmul(x, w, y, batch, 2, 1, false);
      for (int i = 0; i < batch; i++) {
        y[i] += b[0];
      }
      return y;
    }

    @Override
    public ForwardResult forward(Map<String, Tensor> inputs) {
      DimBindings dims = new DimBindings();
      double[] x = dims.checkF64(X, inputs.get("x")).data();
      int batch = dims.size("B");
      double[] y = y(x, batch);
      double[] loss = new double[1];
      Reductions.mean(y, new int[] {batch}, new int[] {0}, loss);
      Map<String, Tensor> outputs = new LinkedHashMap<>();
      outputs.put("y", DoubleTensor.wrap(y, batch));
      return new ForwardResult(OptionalDouble.of(loss[0]), outputs);
    }

    @Override
    public GradientResult gradient(Map<String, Tensor> inputs) {
      DimBindings dims = new DimBindings();
      double[] x = dims.checkF64(X, inputs.get("x")).data();
      int batch = dims.size("B");
      double[] y = y(x, batch);
      double[] loss = new double[1];
      Reductions.mean(y, new int[] {batch}, new int[] {0}, loss);
      double[] dy = new double[batch];
      ReductionGrads.meanBackward(new double[] {1}, new int[] {batch}, new int[] {0}, dy);
      double[] dw = new double[2];
      MatMul.matmulTransA(x, dy, dw, 2, batch, 1, false);
      double[] db = new double[1];
      Broadcast.sumToShape(dy, new int[] {batch}, db, new int[] {1});
      Map<String, Tensor> grads = new LinkedHashMap<>();
      grads.put("W", DoubleTensor.wrap(dw, 2, 1));
      grads.put("b", DoubleTensor.wrap(db, 1));
      return new GradientResult(loss[0], Map.of("y", DoubleTensor.wrap(y, batch)), grads);
    }
  }

  @Test
  void aGeneratedStyleModelWorksThroughTheInterface() {
    AdjointModel m = new TinyModel(0);
    assertEquals(List.of("W", "b"), List.copyOf(m.parameters().keySet()));
    m.setParameter("W", DoubleTensor.of(new double[] {1, 2}, 2, 1));
    m.setParameter("b", DoubleTensor.of(new double[] {0.5}, 1));
    Map<String, Tensor> inputs = Map.of("x", DoubleTensor.of(new double[] {1, 1, 2, 0}, 2, 2));
    ForwardResult f = m.forward(inputs);
    assertEquals(OptionalDouble.of(3.0), f.loss());
    assertArrayEquals(new double[] {3.5, 2.5}, ((DoubleTensor) f.output("y")).data());
    GradientResult g = m.gradient(inputs);
    assertEquals(3.0, g.loss());
    assertEquals(List.of("W", "b"), List.copyOf(g.gradients().keySet()));
    assertArrayEquals(new double[] {1.5, 0.5}, ((DoubleTensor) g.gradient("W")).data());
    assertArrayEquals(new double[] {1}, ((DoubleTensor) g.gradient("b")).data());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.forward(Map.of("x", DoubleTensor.zeros(2, 3))));
    assertEquals("input x: expected f64[B, 2], got f64[2, 3] (dimension 2 is 3, expected 2)", e.getMessage());
  }

  @Test
  void parametersAreALiveViewAndSetCopiesIntoTheSameStorage() {
    TinyModel m = new TinyModel(1);
    DoubleTensor w = (DoubleTensor) m.parameters().get("W");
    double[] before = w.data();
    m.setParameter("W", DoubleTensor.of(new double[] {7, 8}, 2, 1));
    assertSame(before, ((DoubleTensor) m.parameters().get("W")).data());
    assertArrayEquals(new double[] {7, 8}, before);
    assertThrows(UnsupportedOperationException.class, () -> m.parameters().put("c", DoubleTensor.zeros(1)));
    m.initParameters(1);
    assertEquals(Initializer.glorotUniform().f64(1, "W", 2, 1), m.parameters().get("W"));
  }

  @Test
  void setParameterErrors() {
    AdjointModel m = new TinyModel(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.setParameter("W", DoubleTensor.zeros(2, 2)));
    assertEquals("parameter W: expected f64[2, 1], got f64[2, 2]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> m.setParameter("W", FloatTensor.zeros(2, 1)));
    assertEquals("parameter W: expected f64[2, 1], got f32[2, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> m.setParameter("V", DoubleTensor.zeros(1)));
    assertEquals("unknown parameter V (parameters: W, b)", e.getMessage());
    ParameterSet set = new ParameterSet();
    set.add("a", IntTensor.zeros(1));
    assertThrows(IllegalArgumentException.class, () -> set.add("a", IntTensor.zeros(1)));
  }

  @Test
  void resultsKeepInsertionOrderAndAreUnmodifiable() {
    Map<String, Tensor> outs = new LinkedHashMap<>();
    for (String name : new String[] {"z", "a", "m", "b"}) {
      outs.put(name, FloatTensor.scalar(1));
    }
    ForwardResult f = new ForwardResult(OptionalDouble.empty(), outs);
    outs.clear();
    assertEquals(List.of("z", "a", "m", "b"), List.copyOf(f.outputs().keySet()));
    assertTrue(f.loss().isEmpty());
    assertThrows(UnsupportedOperationException.class, () -> f.outputs().clear());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.output("q"));
    assertEquals("no output q (outputs: [z, a, m, b])", e.getMessage());
    GradientResult g = new GradientResult(1, Map.of(), Map.of("W", FloatTensor.scalar(2)));
    assertThrows(UnsupportedOperationException.class, () -> g.gradients().clear());
  }
}
