package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.optim.Sgd;
import dev.adjoint.runtime.train.TrainTestSupport.LinearModel;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run that stops (here: a listener throws, as a killed process would stop) and is continued from
 * its last {@link Checkpoint} ends with the same params, bit for bit, as a run that never stopped.
 */
class ResumeTest {
  @TempDir Path dir;

  /** {@code t = 2 x0 - 3 x1 + 0.5 + noise}, rows seeded. */
  static CsvData data(long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 103; i++) {
      double x0 = 2 * r.nextDouble() - 1;
      double x1 = 2 * r.nextDouble() - 1;
      sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f%n", x0, x1,
          2 * x0 - 3 * x1 + 0.5 + 0.1 * r.nextGaussian()));
    }
    return CsvData.read(new StringReader(sb.toString()), "lin.csv",
        CsvOptions.defaults().withTargetColumn(2).withFeatureType(ElementType.F64));
  }

  /** The same run, built afresh each time as a new process would. */
  private record Run(LinearModel model, Optimizer optimizer, Trainer.Builder builder) {}

  static Stream<Arguments> runs() {
    Function<Map<String, Tensor>, Optimizer> adam = p -> Adam.builder(p).learningRate(0.05).build();
    Function<Map<String, Tensor>, Optimizer> sgd = p -> Sgd.builder(p).learningRate(0.05)
        .momentum(0.9).nesterov(true).build();
    // steps per epoch: the data's 7 batches, fewer (the shuffle goes on mid-order), and more
    return Stream.of(Arguments.of("adam", adam, null), Arguments.of("adam", adam, 4),
        Arguments.of("sgd", sgd, 10));
  }

  private static Run run(CsvData split, Function<Map<String, Tensor>, Optimizer> build,
      Integer stepsPerEpoch) throws IOException {
    LinearModel model = new LinearModel();
    Optimizer opt = build.apply(model.parameters());
    CsvData.Split s = split.split(20, dev.adjoint.runtime.io.SplitMethod.RANDOM, 3);
    Trainer.Builder b = Trainer.builder(model, opt)
        .data(CsvBatchSource.shuffled(s.train(), "x", "t", 12, 42))
        .heldOut(CsvBatchSource.inOrder(s.heldOut(), "x", "t", 8))
        .rmse("yhat", "t")
        .epochs(6)
        .schedule(LearningRateSchedule.cosine(0.05, 60, 0).withLinearWarmup(5))
        .clipGlobalNorm(2);
    if (stepsPerEpoch != null) {
      b.stepsPerEpoch(stepsPerEpoch);
    }
    return new Run(model, opt, b);
  }

  @ParameterizedTest(name = "{0}, steps per epoch {2}")
  @MethodSource("runs")
  void aResumedRunEndsWithTheSameParamsAsOneThatNeverStopped(String name,
      Function<Map<String, Tensor>, Optimizer> build, Integer stepsPerEpoch) throws IOException {
    CsvData data = data(7);
    Run straight = run(data, build, stepsPerEpoch);
    TrainingSummary whole = straight.builder().build().fit();

    Path file = dir.resolve(name + ".ckpt");
    Run first = run(data, build, stepsPerEpoch);
    first.builder().listener(Checkpoint.everyEpoch(file, first.model(), first.optimizer()))
        .listener(new TrainingListener() {
          @Override
          public void onEpoch(EpochReport e) {
            if (e.epoch() == 3) {
              throw new IllegalStateException("killed");
            }
          }
        });
    assertThrows(IllegalStateException.class, () -> first.builder().build().fit());

    Checkpoint c = Checkpoint.read(file);
    assertEquals(3, c.epochs());
    Run second = run(data, build, stepsPerEpoch);
    c.restore(second.model(), second.optimizer());
    TrainingSummary rest = second.builder().resumeAfter(c.epochs(), c.steps()).build().fit();

    assertEquals(straight.model().parameters(), second.model().parameters(), "bit for bit");
    assertEquals(straight.optimizer().state(), second.optimizer().state());
    assertEquals(whole.steps(), rest.steps());
    assertEquals(3, rest.epochs().size());
    for (int i = 0; i < 3; i++) {
      EpochReport a = whole.epochs().get(i + 3);
      EpochReport b = rest.epochs().get(i);
      assertEquals(a.epoch(), b.epoch());
      assertEquals(a.trainLoss(), b.trainLoss(), 0.0);
      assertEquals(a.heldOutRmse(), b.heldOutRmse(), 0.0);
    }
  }

  @Test
  void aCheckpointRefusesAModelItDoesNotFit() throws IOException {
    LinearModel model = new LinearModel();
    Sgd sgd = Sgd.builder(model.parameters()).build();
    Path file = dir.resolve("c.ckpt");
    Checkpoint.write(file, model, sgd, 2, 14, Map.of("history", DoubleTensor.of(new double[] {1, 2}, 2)),
        Map.of("note", "n"));
    Checkpoint c = Checkpoint.read(file);
    assertEquals(14, c.steps());
    assertEquals(Map.of("note", "n"), c.metadata());
    assertEquals(DoubleTensor.of(new double[] {1, 2}, 2), c.extra().get("history"));
    TrainTestSupport.Script ones = new TrainTestSupport.Script() {
      @Override
      public double loss(int call) {
        return 1;
      }

      @Override
      public double gradientNorm(int call, int p) {
        return 1;
      }
    };
    TrainTestSupport.ScriptedModel other = new TrainTestSupport.ScriptedModel(ones, "W");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.restore(other, Sgd.builder(other.parameters()).build()));
    assertEquals("the checkpoint does not fit model Scripted: param W is f64[2], but model Scripted has"
        + " f64[4]; param b is not a param of model Scripted", e.getMessage());
    Adam adam = Adam.builder(model.parameters()).build();
    assertThrows(IllegalArgumentException.class, () -> c.restore(model, adam));
    Files.write(dir.resolve("params.safetensors"), dev.adjoint.runtime.io.Safetensors.toBytes(
        model.parameters(), Map.of()));
    IOException notOne = assertThrows(IOException.class,
        () -> Checkpoint.read(dir.resolve("params.safetensors")));
    assertTrue(notOne.getMessage().endsWith("not a training checkpoint (its metadata has no"
        + " checkpoint.epochs and checkpoint.steps)"), notOne.getMessage());
  }

  @Test
  void theResumePointMustLieInThePlan() throws IOException {
    Run r = run(data(1), p -> Sgd.builder(p).build(), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.builder().resumeAfter(7, 49).build());
    assertEquals("cannot resume after 7 epochs and 49 steps of a plan of 6 epochs of 7 steps",
        e.getMessage());
  }
}
