package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.optim.Sgd;
import dev.adjoint.runtime.train.TrainTestSupport.ArraySource;
import dev.adjoint.runtime.train.TrainTestSupport.LinearModel;
import dev.adjoint.runtime.train.TrainTestSupport.RecordingListener;
import dev.adjoint.runtime.train.TrainTestSupport.Script;
import dev.adjoint.runtime.train.TrainTestSupport.ScriptedModel;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** Loss 1 / call, every gradient norm {@code norm}. */
  private static Script constant(double norm) {
    return new Script() {
      @Override
      public double loss(int call) {
        return 1.0 / call;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return norm;
      }
    };
  }

  private static Sgd sgd(ScriptedModel model, double lr) {
    return Sgd.builder(model.parameters()).learningRate(lr).build();
  }

  @Test
  void linearRegressionReachesTheKnownSolutionWithSgd() {
    LinearModel model = new LinearModel();
    Optimizer sgd = Sgd.builder(model.parameters()).learningRate(0.1).build();
    ArraySource data = LinearModel.data(4, 16, 7);
    ArraySource heldOut = LinearModel.data(2, 16, 8);
    TrainingSummary summary = Trainer.builder(model, sgd)
        .data(data).heldOut(heldOut).epochs(100).build().fit();

    assertEquals(400, summary.steps());
    assertEquals(2.0, model.parameters().get("W").getAsDouble(0), 1e-6);
    assertEquals(-3.0, model.parameters().get("W").getAsDouble(1), 1e-6);
    assertEquals(0.5, model.parameters().get("b").getAsDouble(0), 1e-6);
    assertTrue(summary.finalLoss() < 1e-12, "final loss " + summary.finalLoss());
    EpochReport last = summary.epochs().get(99);
    assertTrue(last.heldOutLoss() < 1e-12, "held-out loss " + last.heldOutLoss());
    assertTrue(Double.isNaN(last.heldOutAccuracy()));
    assertTrue(summary.epochs().get(0).trainLoss() > last.trainLoss());
    assertEquals(100, data.startedEpochs.size());
    assertEquals(List.of(0, 1, 2), data.startedEpochs.subList(0, 3));
    assertFalse(summary.reachedTarget());
    // Converging gradients are not vanishing ones.
    assertEquals(List.of(), summary.health().warnings());
    assertEquals(400, summary.health().steps());
  }

  @Test
  void listenersAreCalledInOrderWithCounts() {
    ScriptedModel model = new ScriptedModel(constant(0.5), "W[0]", "b[0]");
    RecordingListener first = new RecordingListener();
    List<String> order = new ArrayList<>();
    TrainingListener second = new TrainingListener() {
      @Override
      public void onStep(StepReport step) {
        order.add("second " + step.step() + " after " + first.steps.size());
      }
    };
    Trainer.builder(model, sgd(model, 0.01))
        .stepsPerEpoch(3).epochs(2).listener(first).listener(second).build().fit();

    assertEquals(List.of("start", "step 1 epoch 1", "step 2 epoch 1", "step 3 epoch 1", "epoch 1",
        "step 4 epoch 2", "step 5 epoch 2", "step 6 epoch 2", "epoch 2"), first.events);
    assertEquals(List.of("second 1 after 1", "second 2 after 2", "second 3 after 3",
        "second 4 after 4", "second 5 after 5", "second 6 after 6"), order);
    assertEquals(new TrainingPlan(2, 3, List.of("W[0]", "b[0]")), first.plan);
    assertEquals(6, first.plan.totalSteps());
    assertEquals(3, first.epochs.get(0).steps());
    assertEquals(6, first.epochs.get(1).steps());
    // Loss 1/call: epoch 1 averages 1, 1/2, 1/3.
    assertEquals((1 + 1 / 2.0 + 1 / 3.0) / 3, first.epochs.get(0).trainLoss(), 1e-12);
    assertEquals(6, model.calls);
  }

  @Test
  void stepReportsCarryNormsAlignedWithParametersAndReuseTheArray() {
    Script script = new Script() {
      @Override
      public double loss(int call) {
        return 1;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return p == 0 ? 3 : 4;
      }
    };
    ScriptedModel model = new ScriptedModel(script, true, "W[0]", "W[1]");
    RecordingListener listener = new RecordingListener();
    Trainer.builder(model, sgd(model, 0.01)).stepsPerEpoch(2).listener(listener).build().fit();

    assertArrayEquals(new double[] {3, 4}, listener.norms.get(0), 1e-6);
    assertEquals(5, listener.steps.get(0).globalNorm(), 1e-6);
    assertSame(listener.steps.get(0).gradientNorms(), listener.steps.get(1).gradientNorms());
  }

  @Test
  void theScheduleSetsTheRateOfEveryStep() {
    ScriptedModel model = new ScriptedModel(constant(1), "w");
    RecordingListener listener = new RecordingListener();
    Sgd sgd = sgd(model, 123);
    Trainer.builder(model, sgd)
        .stepsPerEpoch(2).epochs(3)
        .schedule(LearningRateSchedule.step(0.1, 2, 0.5))
        .listener(listener).build().fit();

    double[] rates = listener.steps.stream().mapToDouble(StepReport::learningRate).toArray();
    assertArrayEquals(new double[] {0.1, 0.1, 0.05, 0.05, 0.025, 0.025}, rates, 1e-15);
    assertEquals(0.025, sgd.learningRate(), 1e-15);
    // Each step moved every element by lr * norm / 2.
    double moved = 0.5 * (0.1 + 0.1 + 0.05 + 0.05 + 0.025 + 0.025);
    assertEquals(1 - moved, model.firstElements()[0], 1e-12);
  }

  @Test
  void fitAgainContinuesFromTheParametersWithAFreshScheduleAndHealth() {
    ScriptedModel model = new ScriptedModel(constant(1), "w");
    RecordingListener listener = new RecordingListener();
    Trainer trainer = Trainer.builder(model, sgd(model, 1))
        .stepsPerEpoch(2).schedule(LearningRateSchedule.step(0.1, 1, 0.5))
        .listener(listener).build();
    TrainingSummary first = trainer.fit();
    TrainingSummary second = trainer.fit();

    double[] rates = listener.steps.stream().mapToDouble(StepReport::learningRate).toArray();
    assertArrayEquals(new double[] {0.1, 0.05, 0.1, 0.05}, rates, 1e-15);
    assertEquals(1 - 2 * 0.5 * (0.1 + 0.05), model.firstElements()[0], 1e-12);
    assertEquals(2, first.health().steps());
    assertEquals(2, second.health().steps());
    assertEquals(List.of(1L, 2L, 1L, 2L),
        listener.steps.stream().map(StepReport::step).collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void withoutAScheduleTheOptimizersRateIsReported() {
    ScriptedModel model = new ScriptedModel(constant(1), "w");
    RecordingListener listener = new RecordingListener();
    Trainer.builder(model, sgd(model, 0.25)).stepsPerEpoch(1).listener(listener).build().fit();
    assertEquals(0.25, listener.steps.get(0).learningRate());
  }

  @Test
  void clippingBoundsTheUpdateAndTheReportShowsTheNormBeforeIt() {
    // Two parameters, gradient norms 30 and 40: global norm 50, clipped to 5.
    Script script = new Script() {
      @Override
      public double loss(int call) {
        return 1;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return p == 0 ? 30 : 40;
      }
    };
    ScriptedModel model = new ScriptedModel(script, "W[0]", "W[1]");
    RecordingListener listener = new RecordingListener();
    Trainer.builder(model, sgd(model, 1.0))
        .stepsPerEpoch(1).clipGlobalNorm(5).listener(listener).build().fit();

    assertEquals(50, listener.steps.get(0).globalNorm(), 1e-9);
    assertArrayEquals(new double[] {30, 40}, listener.norms.get(0), 1e-9);
    // Unclipped, W[0] would move by 15 per element; clipped by 5/50 it moves by 1.5.
    double scale = 5 / (50 + 1e-6);
    assertArrayEquals(new double[] {1 - 15 * scale, 1 - 20 * scale}, model.firstElements(), 1e-9);
  }

  @Test
  void clippingLeavesSmallGradientsAlone() {
    ScriptedModel model = new ScriptedModel(constant(2), "w");
    Trainer.builder(model, sgd(model, 1.0)).stepsPerEpoch(1).clipGlobalNorm(5).build().fit();
    assertEquals(0.0, model.firstElements()[0], 1e-12);
  }

  @Test
  void stopsAfterTheFirstStepBelowTheTargetAndReportsThePartialEpoch() {
    ScriptedModel model = new ScriptedModel(constant(1), "w");
    RecordingListener listener = new RecordingListener();
    // Loss 1/call falls below 0.15 at call 7: epoch 2, its third step.
    TrainingSummary summary = Trainer.builder(model, sgd(model, 0.01))
        .stepsPerEpoch(4).epochs(5).stopWhenLossBelow(0.15).listener(listener).build().fit();

    assertTrue(summary.reachedTarget());
    assertEquals(7, summary.steps());
    assertEquals(7, model.calls);
    assertEquals(1 / 7.0, summary.finalLoss(), 1e-15);
    assertEquals(2, summary.epochs().size());
    EpochReport partial = summary.epochs().get(1);
    assertEquals(7, partial.steps());
    assertEquals((1 / 5.0 + 1 / 6.0 + 1 / 7.0) / 3, partial.trainLoss(), 1e-15);
    assertEquals("epoch 2", listener.events.get(listener.events.size() - 1));
    assertEquals(summary.epochs(), listener.epochs);
  }

  @Test
  void aNanLossAtStepKThrowsNamingItWithNothingApplied() {
    Script script = new Script() {
      @Override
      public double loss(int call) {
        return call == 5 ? Double.NaN : 1;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return 1;
      }
    };
    ScriptedModel model = new ScriptedModel(script, "W[0]");
    List<double[]> after = new ArrayList<>();
    TrainingListener snapshots = new TrainingListener() {
      @Override
      public void onStep(StepReport step) {
        after.add(model.firstElements());
      }
    };
    Trainer trainer = Trainer.builder(model, sgd(model, 0.1))
        .stepsPerEpoch(2).epochs(4).listener(snapshots).build();
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::fit);

    assertEquals(5, e.step());
    assertEquals(3, e.epoch());
    assertEquals("training diverged at step 5 (epoch 3): the loss is NaN; try a lower learning"
        + " rate (it was 0.1) or clip gradients (--clip-norm)", e.getMessage());
    assertEquals(4, after.size());
    assertArrayEquals(after.get(3), model.firstElements());
    assertEquals(4, e.health().orElseThrow().steps());
  }

  @Test
  void anExplosionIsWarnedAboutBeforeTheNanItLeadsTo() {
    // The gradient grows tenfold per step from 1; at step 156 its elements (5e154) are finite but
    // the sum of their squares overflows.
    Script script = new Script() {
      @Override
      public double loss(int call) {
        return 1;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return p == 0 ? Math.pow(10, call - 1) : 1;
      }
    };
    ScriptedModel model = new ScriptedModel(script, "W[0]", "b[0]");
    RecordingListener listener = new RecordingListener();
    Trainer trainer = Trainer.builder(model, sgd(model, 0)).stepsPerEpoch(1000)
        .listener(listener).build();
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::fit);

    assertEquals(156, e.step());
    List<HealthWarning> warnings = e.health().orElseThrow().warnings();
    assertEquals(HealthWarning.Kind.EXPLODING, warnings.get(0).kind());
    assertEquals("W[0]", warnings.get(0).parameter());
    assertEquals(8, warnings.get(0).step()); // 1e7 > the absolute limit 1e6
    assertEquals(warnings, listener.warnings.subList(0, warnings.size()));
    assertTrue(e.getMessage().contains("the gradient of W[0] has a norm too large for a double"),
        e.getMessage());
  }

  @Test
  void aNonFiniteGradientWithAFiniteLossNamesTheParameter() {
    Script script = new Script() {
      @Override
      public double loss(int call) {
        return 0.5;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return call == 2 && p == 1 ? Double.POSITIVE_INFINITY : 1;
      }
    };
    ScriptedModel model = new ScriptedModel(script, true, "W[0]", "W[1]");
    Trainer trainer = Trainer.builder(model, sgd(model, 0.1))
        .stepsPerEpoch(3).clipGlobalNorm(2).build();
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::fit);

    assertEquals(2, e.step());
    assertEquals(1, e.epoch());
    assertEquals("training diverged at step 2 (epoch 1): the gradient of W[1] has an infinite"
        + " element, though the loss (0.5) is finite; try a lower learning rate (it was 0.1) or"
        + " clip gradients harder (--clip-norm, it was 2)", e.getMessage());
    // Only step 1 was applied: each element moved by 0.1 * 0.5.
    assertArrayEquals(new double[] {0.95, 0.95}, model.firstElements(), 1e-6);
  }

  @Test
  void aNanGradientElementIsNamedAsSuch() {
    Script script = new Script() {
      @Override
      public double loss(int call) {
        return 0.5;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return Double.NaN;
      }
    };
    ScriptedModel model = new ScriptedModel(script, "b");
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> Trainer.builder(model, sgd(model, 0.1)).stepsPerEpoch(1).build().fit());
    assertTrue(e.getMessage().contains("the gradient of b has a NaN element (index 0)"),
        e.getMessage());
  }

  @Test
  void aDataLessModelIsCalledWithAnEmptyMap() {
    ScriptedModel model = new ScriptedModel(constant(1), "w");
    TrainingSummary summary = Trainer.builder(model, sgd(model, 0.1))
        .stepsPerEpoch(3).build().fit();
    assertEquals(List.of(0, 0, 0), model.inputSizes);
    assertEquals(3, summary.steps());
    assertTrue(Double.isNaN(summary.epochs().get(0).heldOutLoss()));
  }

  @Test
  void buildRejectsInconsistentSettings() {
    ScriptedModel model = new ScriptedModel(constant(1), "w");
    Sgd sgd = sgd(model, 0.1);
    assertMessage("epochs must be >= 1, got 0",
        () -> Trainer.builder(model, sgd).stepsPerEpoch(1).epochs(0).build());
    assertMessage("steps per epoch must be >= 1, got 0",
        () -> Trainer.builder(model, sgd).stepsPerEpoch(0).build());
    assertMessage("model Scripted trains without data, so there are no batches to count: set"
        + " stepsPerEpoch(…)", () -> Trainer.builder(model, sgd).build());
    assertMessage("accuracy(probs, y) is measured on held-out data: add heldOut(…)",
        () -> Trainer.builder(model, sgd).stepsPerEpoch(1).accuracy("probs", "y").build());
    assertMessage("the clip norm must be finite and > 0, got 0.0",
        () -> Trainer.builder(model, sgd).stepsPerEpoch(1).clipGlobalNorm(0).build());
    assertMessage("the loss target must be a number, got NaN",
        () -> Trainer.builder(model, sgd).stepsPerEpoch(1).stopWhenLossBelow(Double.NaN).build());
    assertMessage("the training data has no batches",
        () -> Trainer.builder(model, sgd).data(new ArraySource(List.of())).build());

    LinearModel linear = new LinearModel();
    Sgd linearSgd = Sgd.builder(linear.parameters()).build();
    assertMessage("model Linear has inputs (x, t): give training batches with data(…)",
        () -> Trainer.builder(linear, linearSgd).stepsPerEpoch(3).build());
  }

  @Test
  void stepsPerEpochDefaultsToTheDataAndMayDifferFromIt() {
    LinearModel model = new LinearModel();
    Sgd sgd = Sgd.builder(model.parameters()).build();
    assertEquals(5, Trainer.builder(model, sgd).data(LinearModel.data(5, 2, 1)).build()
        .plan().stepsPerEpoch());
    ArraySource data = LinearModel.data(5, 2, 1);
    TrainingSummary summary = Trainer.builder(model, sgd).data(data).stepsPerEpoch(2).epochs(3)
        .build().fit();
    assertEquals(6, summary.steps());
    assertEquals(6, data.nextCalls);
  }

  @Test
  void labelsMustGoToAnI32Input() throws IOException {
    LinearModel model = new LinearModel();
    CsvData data = CsvData.read(new StringReader("1,2,0\n"), "t.csv",
        CsvOptions.defaults().withFeatureType(ElementType.F64));
    Sgd sgd = Sgd.builder(model.parameters()).build();
    assertMessage("the training labels are i32[rows] but input t of model Linear is f64[B]; for float"
        + " targets read the CSV with CsvOptions.withTargetColumn(…) or withTargetColumns(…)",
        () -> Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(data, "x", "t", 1)).build());
  }

  private static void assertMessage(String expected, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertEquals(expected, e.getMessage());
  }
}
