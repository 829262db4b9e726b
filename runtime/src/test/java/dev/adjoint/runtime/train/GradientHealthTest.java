package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.optim.Sgd;
import dev.adjoint.runtime.train.HealthWarning.Kind;
import dev.adjoint.runtime.train.TrainTestSupport.RecordingListener;
import dev.adjoint.runtime.train.TrainTestSupport.Script;
import dev.adjoint.runtime.train.TrainTestSupport.ScriptedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class GradientHealthTest {

  private static final GradientHealth.Options DEFAULTS = GradientHealth.Options.defaults();

  /** A deterministic wobble in [0.5, 2): gradient noise without randomness. */
  private static double wobble(long step, int p) {
    return Math.pow(2, Math.sin(step * 1.7 + p * 0.9)) ;
  }

  @Test
  void aVanishingParameterIsFlaggedOnceAndAHealthyOneIsNot() {
    GradientHealth health = new GradientHealth(List.of("W[0]", "W[1]", "b"), DEFAULTS);
    int raised = 0;
    for (long step = 1; step <= 100; step++) {
      raised += health.record(step, new double[] {
          1e-7 * wobble(step, 0), 0.1 * wobble(step, 1), 0.01 * wobble(step, 2)});
    }
    assertEquals(1, raised);
    assertEquals(1, health.warnings().size());
    HealthWarning w = health.warnings().get(0);
    assertEquals(Kind.VANISHING, w.kind());
    assertEquals("W[0]", w.parameter());
    assertEquals(DEFAULTS.window(), w.step());
    assertTrue(w.message().startsWith("gradient of W[0] has vanished: norm "), w.message());
    assertTrue(w.message().contains("at step 20, "), w.message());
    assertTrue(w.message().contains("× the largest parameter gradient (W[1], "), w.message());
    assertTrue(w.message().contains("try ReLU, residual connections or normalization"),
        w.message());
  }

  @Test
  void anExactlyZeroGradientPointsAtDeadUnits() {
    GradientHealth health = new GradientHealth(List.of("W1", "W2"), DEFAULTS.withWindow(3));
    health.record(1, new double[] {0.5, 0.5});
    for (long step = 2; step <= 4; step++) {
      health.record(step, new double[] {0, 0.5});
    }
    assertEquals(1, health.warnings().size());
    assertEquals("gradient of W1 has vanished: it is exactly 0 at step 4, for 3 steps in a row;"
        + " the parameter no longer affects the loss — dead ReLUs after too large a step (try a"
        + " lower learning rate or leaky_relu), or a parameter the loss does not use",
        health.warnings().get(0).message());
    assertTrue(health.report().endsWith("vanishing gradients in 1 of 2 parameters (W1): their"
        + " gradients are exactly 0 — dead ReLUs after too large a step (try a lower learning"
        + " rate or leaky_relu), or parameters the loss does not use\n"), health.report());
  }

  @Test
  void oneSmallStepInAWindowDoesNotCount() {
    GradientHealth health = new GradientHealth(List.of("a", "b"), DEFAULTS);
    for (long step = 1; step <= 200; step++) {
      // Every tenth step a is tiny; otherwise it is as large as b.
      double a = step % 10 == 0 ? 1e-9 : 0.5;
      health.record(step, new double[] {a, 1});
    }
    assertEquals(List.of(), health.warnings());
  }

  @Test
  void theAbsoluteFloorFlagsATinyGradientWhileOthersLearn() {
    GradientHealth health = new GradientHealth(List.of("a", "b"),
        DEFAULTS.withVanishingRatio(0).withWindow(3));
    for (long step = 1; step <= 3; step++) {
      health.record(step, new double[] {1e-11, 1e-9});
    }
    assertEquals(1, health.warnings().size());
    assertEquals("a", health.warnings().get(0).parameter());
  }

  @Test
  void aConvergedModelRaisesNothing() {
    GradientHealth health = new GradientHealth(List.of("a", "b"), DEFAULTS);
    for (long step = 1; step <= 200; step++) {
      // Both shrink geometrically towards 0, a faster than b.
      health.record(step, new double[] {Math.pow(0.7, step), Math.pow(0.8, step)});
    }
    assertEquals(List.of(), health.warnings());
  }

  @Test
  void anExplodingParameterIsFlaggedOncePerCriterion() {
    GradientHealth health = new GradientHealth(List.of("W[0]", "W[1]", "b"), DEFAULTS);
    // Up to step 90: from step 80 on, b is 2e6 times smaller than W[1] and would vanish at 99.
    for (long step = 1; step <= 90; step++) {
      double w0 = step < 60 ? wobble(step, 0) : 5e3 * wobble(step, 0); // 2500x its baseline
      double w1 = step < 80 ? 1e3 : 2e6; // absolute
      health.record(step, new double[] {w0, w1, wobble(step, 2)});
    }
    assertEquals(2, health.warnings().size());
    HealthWarning first = health.warnings().get(0);
    assertEquals(Kind.EXPLODING, first.kind());
    assertEquals("W[0]", first.parameter());
    assertEquals(60, first.step());
    assertTrue(first.message().startsWith("gradient of W[0] has exploded: norm "), first.message());
    assertTrue(first.message().contains("× its median"), first.message());
    assertTrue(first.message().endsWith("try a lower learning rate or --clip-norm"),
        first.message());
    HealthWarning second = health.warnings().get(1);
    assertEquals("W[1]", second.parameter());
    assertEquals(80, second.step());
    assertEquals("gradient of W[1] has exploded: norm 2.0e+06 at step 80, above the limit"
        + " 1.0e+06; try a lower learning rate or --clip-norm", second.message());
  }

  @Test
  void aLargeFirstGradientThatShrinksIsNotAnExplosion() {
    GradientHealth health = new GradientHealth(List.of("w"), DEFAULTS);
    // A poor initialization: huge at first, then shrinking; only step 6's growth above the
    // ceiling is an explosion.
    double[] norms = {5e7, 2e7, 8e6, 3e6, 1e6, 4e6};
    for (int i = 0; i < norms.length; i++) {
      health.record(i + 1, new double[] {norms[i]});
    }
    assertEquals(1, health.warnings().size());
    assertEquals(6, health.warnings().get(0).step());
  }

  @Test
  void withClippingTheExplodingAdviceDoesNotSuggestClipping() {
    GradientHealth health = new GradientHealth(List.of("w"), DEFAULTS, 1.0);
    health.record(1, new double[] {1});
    health.record(2, new double[] {2e6});
    assertEquals("gradient of w has exploded: norm 2.0e+06 at step 2, above the limit 1.0e+06; try a lower"
        + " learning rate (the updates are already clipped to a global norm of 1)",
        health.warnings().get(0).message());
  }

  @Test
  void theRelativeExplodingTestWaitsForItsBaseline() {
    GradientHealth health = new GradientHealth(List.of("w"), DEFAULTS.withBaselineSteps(5));
    double[] norms = {1e-3, 1e-3, 10, 1e-3, 1e-3, 1e-3, 0.5, 2};
    for (int i = 0; i < norms.length; i++) {
      health.record(i + 1, new double[] {norms[i]});
    }
    // Step 3 is 1e4 x the others but comes before the baseline; the median 1e-3 then makes step 8
    // (2000x) exploding, but not step 7 (500x).
    assertEquals(1, health.warnings().size());
    assertEquals(8, health.warnings().get(0).step());
  }

  @Test
  void aVanishedGradientThatGrowsIsNotAnExplosion() {
    GradientHealth health = new GradientHealth(List.of("early", "late"), DEFAULTS);
    for (long step = 1; step <= 100; step++) {
      // early grows 1e4-fold from 1e-13, staying far below late.
      double early = step <= 20 ? 1e-13 : 1e-9;
      health.record(step, new double[] {early, 0.5});
    }
    assertEquals(1, health.warnings().size());
    assertEquals(Kind.VANISHING, health.warnings().get(0).kind());
  }

  @Test
  void downsamplingKeepsTheFirstAndLatestStepsWithinTheBudget() {
    GradientHealth health = new GradientHealth(List.of("w"), DEFAULTS.withMaxSamples(8));
    List<Long> previous = new ArrayList<>();
    for (long step = 1; step <= 1000; step++) {
      health.record(step, new double[] {step});
      assertTrue(health.samples() <= 8, "samples " + health.samples() + " at step " + step);
      assertEquals(1, health.stepAt(0));
      assertEquals(step, health.stepAt(health.samples() - 1));
      for (int i = 0; i < health.samples(); i++) {
        assertEquals(health.stepAt(i), health.norm(0, i), "the norm of sample " + i);
        if (i > 0) {
          assertTrue(health.stepAt(i) > health.stepAt(i - 1));
        }
      }
    }
    // Evenly spaced apart from the latest: 7 slots, stride 256 after 1000 steps: 1, 257, 513, 769.
    for (int i = 0; i < health.samples(); i++) {
      previous.add(health.stepAt(i));
    }
    assertEquals(List.of(1L, 257L, 513L, 769L, 1000L), previous);
    assertEquals(1000, health.steps());
    assertEquals(1, health.min(0));
    assertEquals(1000, health.max(0));
  }

  @Test
  void samplingIsDeterministic() {
    GradientHealth a = new GradientHealth(List.of("w"), DEFAULTS.withMaxSamples(5));
    GradientHealth b = new GradientHealth(List.of("w"), DEFAULTS.withMaxSamples(5));
    for (long step = 1; step <= 77; step++) {
      a.record(step, new double[] {step * 0.5});
      b.record(step, new double[] {step * 0.5});
    }
    assertEquals(a.report(), b.report());
    assertEquals(a.samples(), b.samples());
  }

  @Test
  void reportIsAFixedWidthTableWithVerdicts() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      GradientHealth health = new GradientHealth(List.of("W[0]", "Wout"),
          DEFAULTS.withWindow(2));
      health.record(1, new double[] {1e-9, 0.5});
      health.record(2, new double[] {3e-9, 0.25});
      health.record(3, new double[] {2e-9, 1.5});
      String report = health.report();
      String[] lines = report.split("\n");
      assertEquals("gradient norms over 3 steps (3 samples)", lines[0]);
      assertEquals("parameter       first      median        last         min         max"
          + "  verdict", lines[1]);
      assertEquals("W[0]        1.000e-09   2.000e-09   2.000e-09   1.000e-09   3.000e-09"
          + "  VANISHING at 2", lines[2]);
      assertEquals("Wout        5.000e-01   5.000e-01   1.500e+00   2.500e-01   1.500e+00  ok",
          lines[3]);
      assertEquals("vanishing gradients in 1 of 2 parameters (W[0]): early layers are not"
          + " learning — try ReLU, residual connections or normalization", lines[4]);
      assertEquals(5, lines.length);
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void anEmptyReportSaysSo() {
    GradientHealth health = new GradientHealth(List.of("w"), DEFAULTS);
    assertEquals("gradient norms over 0 steps (0 samples)\n", health.report());
    assertTrue(Double.isNaN(health.min(0)));
  }

  @Test
  void optionsAreChecked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DEFAULTS.withVanishingRatio(1));
    assertEquals("health option vanishingRatio must be in [0, 1), got 1.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withWindow(0));
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withMaxSamples(1));
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withExplodingFactor(1));
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withVanishingBelow(-1));
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withExplodingAbove(0));
    assertThrows(IllegalArgumentException.class,
        () -> new GradientHealth(List.of("w", "w"), DEFAULTS));
    GradientHealth health = new GradientHealth(List.of("w"), DEFAULTS);
    assertThrows(IllegalArgumentException.class, () -> health.record(1, new double[2]));
  }

  /**
   * A stand-in for a 20-layer sigmoid network: each layer down from the top shrinks the gradient by
   * about 4 (the largest slope of a sigmoid is 1/4), with step-to-step noise.
   */
  private static Script deepSigmoid(int layers) {
    return new Script() {
      @Override
      public double loss(int call) {
        return 2.3;
      }

      @Override
      public double gradientNorm(int call, int p) {
        int layer = p / 2; // W[i], b[i] alternate
        return 0.05 * Math.pow(0.25, layers - 1 - layer) * wobble(call, p);
      }
    };
  }

  /** A stand-in for a residual network: every layer's norm within a factor 10 of the others. */
  private static Script residual() {
    return new Script() {
      @Override
      public double loss(int call) {
        return 2.3;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return 0.02 * (1 + (p % 5)) * wobble(call, p);
      }
    };
  }

  private static String[] layerNames(int layers) {
    String[] names = new String[2 * layers];
    for (int i = 0; i < layers; i++) {
      names[2 * i] = "W[" + i + "]";
      names[2 * i + 1] = "b[" + i + "]";
    }
    return names;
  }

  @Test
  void throughTheTrainerADeepSigmoidStackWarnsAboutItsEarlyLayersOnly() {
    ScriptedModel model = new ScriptedModel(deepSigmoid(20), true, layerNames(20));
    RecordingListener listener = new RecordingListener();
    TrainingSummary summary = Trainer.builder(model, Sgd.builder(model.parameters()).build())
        .stepsPerEpoch(50).epochs(2).listener(listener).build().fit();

    List<String> flagged = new ArrayList<>();
    for (HealthWarning w : summary.health().warnings()) {
      assertEquals(Kind.VANISHING, w.kind());
      assertEquals(20, w.step());
      flagged.add(w.parameter());
    }
    // 0.25^7 = 6e-5 < 1e-4 x wobble range: layers 0 to 11 are flagged, 13 and up are not.
    assertTrue(flagged.containsAll(List.of("W[0]", "b[0]", "W[5]", "W[11]")), flagged.toString());
    assertTrue(flagged.stream().noneMatch(n -> n.matches("[Wb]\\[1[3-9]\\]")), flagged.toString());
    assertEquals(summary.health().warnings(), listener.warnings);
    int step20 = listener.events.indexOf("step 20 epoch 1");
    assertEquals("warning VANISHING W[0]", listener.events.get(step20 + 1));
    assertEquals("step 21 epoch 1", listener.events.get(step20 + flagged.size() + 1));
    String report = summary.health().report();
    assertTrue(report.contains("VANISHING at 20"), report);
    assertTrue(report.contains("vanishing gradients in " + flagged.size()
        + " of 40 parameters (W[0], b[0], W[1], b[1], W[2], b[2], …): "), report);
  }

  @Test
  void throughTheTrainerAResidualStackRaisesNothing() {
    ScriptedModel model = new ScriptedModel(residual(), true, layerNames(20));
    TrainingSummary summary = Trainer.builder(model, Sgd.builder(model.parameters()).build())
        .stepsPerEpoch(50).epochs(2).build().fit();
    assertEquals(List.of(), summary.health().warnings());
    assertEquals(100, summary.health().samples());
  }
}
