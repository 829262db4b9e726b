package dev.adjoint.runtime.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class GradientCheckTest {

  /**
   * A hand-written model: {@code loss = sum_r w[y_r] * sum_j x[r, j]^2 + sum_k w_k^3} with {@code
   * input grad x : f64[B, 2]}, {@code input y : i32[B]} (labels in [0, 3)) and {@code param w :
   * f64[3]}. {@code wrongBy} scales the gradient of one element of w, to plant a bug.
   */
  static class Hand implements AdjointModel {
    private final DoubleTensor w = DoubleTensor.zeros(3);
    private final double wrongBy;
    int forwardCalls;

    Hand(double wrongBy) {
      this.wrongBy = wrongBy;
      initParameters(0);
    }

    @Override
    public String name() {
      return "Hand";
    }

    @Override
    public List<InputSpec> inputs() {
      return List.of(
          InputSpec.of("x", "f64[B, 2]", ElementType.F64, Dim.of("B"), Dim.of(2)),
          InputSpec.of("y", "i32[B]", ElementType.I32, Dim.of("B")));
    }

    @Override
    public Map<String, Tensor> parameters() {
      return Map.of("w", w);
    }

    @Override
    public void setParameter(String name, Tensor value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void initParameters(long seed) {
      w.data()[0] = 0.5;
      w.data()[1] = -0.25;
      w.data()[2] = 1.0 + seed;
    }

    @Override
    public boolean hasLoss() {
      return true;
    }

    @Override
    public ForwardResult forward(Map<String, Tensor> inputs) {
      forwardCalls++;
      return new ForwardResult(OptionalDouble.of(loss(inputs)), Map.of());
    }

    private double loss(Map<String, Tensor> inputs) {
      DoubleTensor x = (DoubleTensor) inputs.get("x");
      IntTensor y = (IntTensor) inputs.get("y");
      assertEquals(2, x.rank());
      assertEquals(y.dim(0), x.dim(0));
      double loss = 0;
      for (int r = 0; r < x.dim(0); r++) {
        if (y.get(r) < 0 || y.get(r) >= 3) {
          throw new IllegalArgumentException("label " + y.get(r) + " out of range");
        }
        for (int j = 0; j < 2; j++) {
          loss += w.get(y.get(r)) * x.get(r * 2 + j) * x.get(r * 2 + j);
        }
      }
      for (double v : w.data()) {
        loss += v * v * v;
      }
      return loss;
    }

    @Override
    public GradientResult gradient(Map<String, Tensor> inputs) {
      double loss = loss(inputs);
      DoubleTensor x = (DoubleTensor) inputs.get("x");
      IntTensor y = (IntTensor) inputs.get("y");
      double[] dw = new double[3];
      double[] dx = new double[x.size()];
      for (int k = 0; k < 3; k++) {
        dw[k] = 3 * w.get(k) * w.get(k);
      }
      for (int r = 0; r < x.dim(0); r++) {
        for (int j = 0; j < 2; j++) {
          double v = x.get(r * 2 + j);
          dw[y.get(r)] += v * v;
          dx[r * 2 + j] = 2 * w.get(y.get(r)) * v;
        }
      }
      dw[1] *= wrongBy;
      Map<String, Tensor> grads = new LinkedHashMap<>();
      grads.put("w", DoubleTensor.of(dw, 3));
      grads.put("x", DoubleTensor.of(dx, x.shape()));
      return new GradientResult(loss, Map.of(), grads);
    }
  }

  private static final GradientCheck.Options OPTIONS =
      GradientCheck.Options.seeded(7).withDims(Map.of("B", 4)).withClassCounts(Map.of("y", 3));

  @Test
  void aCorrectGradientPasses() {
    GradientCheck.Result r = GradientCheck.run(new Hand(1), OPTIONS);
    assertTrue(r.lossFinite());
    assertEquals(7, r.seed());
    assertEquals(List.of("w", "x"), r.gradients().stream().map(g -> g.name()).toList());
    for (GradientCheck.GradientError g : r.gradients()) {
      assertTrue(g.worstRelativeError() < 1e-6, g.describe());
    }
    assertTrue(r.within(GradientCheck.DEFAULT_TOLERANCE));
    assertEquals(3, r.gradient("w").checked());
    assertEquals(8, r.gradient("x").size()); // B = 4 from the options, times 2
  }

  @Test
  void aWrongGradientFailsAndIsNamedWithItsElement() {
    GradientCheck.Result r = GradientCheck.run(new Hand(1.01), OPTIONS);
    assertFalse(r.within(GradientCheck.DEFAULT_TOLERANCE));
    GradientCheck.GradientError w = r.gradient("w");
    assertFalse(w.within(1e-3), w.describe());
    assertEquals(1, w.worstElement());
    assertEquals(0.01 / 1.01, w.worstRelativeError(), 1e-6);
    assertEquals(w.analytic() / 1.01, w.numeric(), 1e-6 * Math.abs(w.numeric()));
    assertTrue(w.describe().startsWith("w: worst relative error 9.90e-03 at element 1 (analytic "),
        w.describe());
    assertTrue(r.gradient("x").within(1e-6), "the other gradient is still right");
  }

  /**
   * {@code loss = |p - k|} with the kink {@code k} placed 2e-6 above wherever the check puts
   * {@code p}: closer than the first step (6e-6), so the first difference quotient straddles the
   * kink. {@code slope} is the analytic gradient the model reports (-1 is right).
   */
  static final class Kink extends Hand {
    private final DoubleTensor p = DoubleTensor.zeros(1);
    private final double slope;
    private double kink = Double.NaN;

    Kink(double slope) {
      super(1);
      this.slope = slope;
    }

    @Override
    public List<InputSpec> inputs() {
      return List.of();
    }

    @Override
    public Map<String, Tensor> parameters() {
      return p == null ? Map.of() : Map.of("p", p);
    }

    @Override
    public void initParameters(long seed) {
      if (p != null) {
        p.data()[0] = 0.3;
      }
    }

    @Override
    public ForwardResult forward(Map<String, Tensor> inputs) {
      return new ForwardResult(OptionalDouble.of(Math.abs(p.get(0) - kink)), Map.of());
    }

    @Override
    public GradientResult gradient(Map<String, Tensor> inputs) {
      kink = p.get(0) + 2e-6;
      return new GradientResult(Math.abs(p.get(0) - kink), Map.of(),
          Map.of("p", DoubleTensor.of(new double[] {slope}, 1)));
    }
  }

  @Test
  void aKinkNearThePointIsSteppedOverButAWrongSlopeStillFails() {
    GradientCheck.Result right = GradientCheck.run(new Kink(-1), GradientCheck.Options.seeded(1));
    assertTrue(right.gradient("p").within(1e-9), right.gradient("p").describe());
    GradientCheck.Result wrong = GradientCheck.run(new Kink(-0.999), GradientCheck.Options.seeded(1));
    assertFalse(wrong.gradient("p").within(GradientCheck.DEFAULT_TOLERANCE), wrong.gradient("p").describe());
  }

  @Test
  void parametersAreReinitializedFromTheSeedThenPerturbed() {
    Hand model = new Hand(1);
    GradientCheck.run(model, GradientCheck.Options.seeded(2));
    double[] w = model.w.data();
    assertEquals(0.5, w[0], 0.1 + 1e-12);
    assertEquals(-0.25, w[1], 0.1 + 1e-12);
    assertEquals(3.0, w[2], 0.1 + 1e-12); // initParameters(2)
    assertTrue(w[0] != 0.5 && w[1] != -0.25, "noise was added");
  }

  @Test
  void theSameOptionsGiveTheSameResult() {
    assertEquals(GradientCheck.run(new Hand(1.01), OPTIONS), GradientCheck.run(new Hand(1.01), OPTIONS));
    GradientCheck.Result other = GradientCheck.run(new Hand(1.01), OPTIONS.withDims(Map.of("B", 5)));
    assertEquals(10, other.gradient("x").size());
  }

  @Test
  void largeGradientsAreSampledWithTheFirstAndLastElement() {
    Hand model = new Hand(1);
    GradientCheck.Result r =
        GradientCheck.run(model, OPTIONS.withDims(Map.of("B", 50)).withElements(5));
    GradientCheck.GradientError x = r.gradient("x");
    assertEquals(5, x.checked());
    assertEquals(100, x.size());
    // one forward per call of gradient() is not counted; two per checked element
    assertEquals(2 * (3 + 5), model.forwardCalls);
  }

  @Test
  void labelsAreDrawnInRangeOfTheClassCount() {
    // Labels in [0, 5) reach the model's range check (labels < 3) at some row.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GradientCheck.run(
                    new Hand(1),
                    OPTIONS.withDims(Map.of("B", 40)).withClassCounts(Map.of("y", 5))));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    // the default class count is 2: always in range
    assertTrue(GradientCheck.run(new Hand(1), GradientCheck.Options.seeded(1)).lossFinite());
  }

  @Test
  void aNonFiniteLossChecksNothing() {
    Hand model =
        new Hand(1) {
          @Override
          public GradientResult gradient(Map<String, Tensor> inputs) {
            GradientResult g = super.gradient(inputs);
            return new GradientResult(Double.NaN, g.outputs(), g.gradients());
          }
        };
    GradientCheck.Result r = GradientCheck.run(model, OPTIONS);
    assertFalse(r.lossFinite());
    assertEquals(List.of(), r.gradients());
    assertFalse(r.within(1));
  }

  @Test
  void aNanGradientIsTheWorstError() {
    Hand model =
        new Hand(1) {
          @Override
          public GradientResult gradient(Map<String, Tensor> inputs) {
            GradientResult g = super.gradient(inputs);
            double[] dw = ((DoubleTensor) g.gradient("w")).toArray();
            dw[2] = Double.NaN;
            return new GradientResult(
                g.loss(), g.outputs(), Map.of("w", DoubleTensor.of(dw, 3)));
          }
        };
    GradientCheck.GradientError w = GradientCheck.run(model, OPTIONS).gradient("w");
    assertTrue(Double.isNaN(w.worstRelativeError()));
    assertEquals(2, w.worstElement());
    assertFalse(w.within(1e9));
  }

  @Test
  void anF32ModelIsRefusedWithAHintAtTheTwin() {
    Hand model =
        new Hand(1) {
          @Override
          public Map<String, Tensor> parameters() {
            return Map.of("w", FloatTensor.zeros(3));
          }
        };
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.run(model, OPTIONS));
    assertEquals(
        "parameter w of Hand is f32, not f64: check the model's f64 twin", e.getMessage());
  }

  @Test
  void optionsRejectNonPositiveSizes() {
    assertThrows(IllegalArgumentException.class, () -> OPTIONS.withElements(0));
    assertThrows(IllegalArgumentException.class, () -> OPTIONS.withDims(Map.of("B", 0)));
    assertThrows(IllegalArgumentException.class, () -> OPTIONS.withClassCounts(Map.of("y", 0)));
  }
}
