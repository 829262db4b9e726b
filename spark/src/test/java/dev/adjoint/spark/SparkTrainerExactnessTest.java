package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Sgd;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.train.CsvBatchSource;
import dev.adjoint.runtime.train.EpochReport;
import dev.adjoint.runtime.train.StepReport;
import dev.adjoint.runtime.train.Trainer;
import dev.adjoint.runtime.train.TrainingListener;
import dev.adjoint.runtime.train.TrainingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SparkTrainer against the single-machine Trainer: same seed, same data, same options. In local[2,2]
 * (two threads; a task may fail once and be retried).
 */
class SparkTrainerExactnessTest {
  private static final int ROWS = 100;
  static final int HELD_OUT = 20;
  static final int BATCH = 16;
  private static final int EPOCHS = 3;
  static final long MODEL_SEED = 7;
  static final long SHUFFLE_SEED = 3;

  private static SparkSession spark;
  private static TestModels.Compiled mlp;
  private static CsvData data;

  /** Failures injected by {@link #failOnce}; the tasks run in this JVM (local mode). */
  static final AtomicInteger INJECTED = new AtomicInteger();

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2,2]").appName("exactness")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .config("spark.locality.wait", "0").getOrCreate();
    mlp = TestModels.compile(TestModels.MLP);
    data = data();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The test data: 100 rows of 4 features and a label. */
  static CsvData data() {
    return TestModels.read(TestModels.csv(ROWS, 11));
  }

  /** One epoch of single-machine training as the cluster test runs it: Adam at 0.05, no schedule. */
  static AdjointModel singleMachineOneEpoch(TestModels.Compiled model) {
    AdjointModel m = model.newInstance(MODEL_SEED);
    Trainer.builder(m, Adam.builder(m.parameters()).learningRate(0.05).build())
        .data(CsvBatchSource.shuffled(data().split(HELD_OUT).train(), "x", "y", BATCH, SHUFFLE_SEED))
        .epochs(1).build().fit();
    return m;
  }

  /** What a run saw: the parameters after it, every step's loss and every epoch's held-out loss. */
  record Run(Map<String, Tensor> params, List<Double> stepLosses, List<Double> heldOut, TrainingSummary summary) {}

  private static final class Recorder implements TrainingListener {
    final List<Double> steps = new ArrayList<>();
    final List<Double> heldOut = new ArrayList<>();

    @Override
    public void onStep(StepReport step) {
      steps.add(step.loss());
    }

    @Override
    public void onEpoch(EpochReport epoch) {
      heldOut.add(epoch.heldOutLoss());
    }
  }

  private static Optimizer adam(AdjointModel m) {
    return Adam.builder(m.parameters()).learningRate(0.05).weightDecay(1e-3).build();
  }

  private static LearningRateSchedule schedule() {
    return LearningRateSchedule.cosine(0.05, EPOCHS * 5, 0).withLinearWarmup(3);
  }

  static Run singleMachine(Function<AdjointModel, Optimizer> optimizer) {
    AdjointModel m = mlp.newInstance(MODEL_SEED);
    CsvData.Split split = data.split(HELD_OUT);
    Recorder r = new Recorder();
    TrainingSummary s = Trainer.builder(m, optimizer.apply(m))
        .data(CsvBatchSource.shuffled(split.train(), "x", "y", BATCH, SHUFFLE_SEED))
        .heldOut(CsvBatchSource.inOrder(split.heldOut(), "x", "y", 1024))
        .epochs(EPOCHS).schedule(schedule()).clipGlobalNorm(1.5).listener(r)
        .build().fit();
    return new Run(m.parameters(), r.steps, r.heldOut, s);
  }

  static Run onSpark(Function<AdjointModel, Optimizer> optimizer, int inputSlices, Integer partitions,
      TaskHook hook) {
    AdjointModel m = mlp.newInstance(MODEL_SEED);
    Recorder r = new Recorder();
    SparkTrainer.Builder b = SparkTrainer.builder(m, optimizer.apply(m))
        .data(TestModels.dataset(spark, data, inputSlices)).holdOutLast(HELD_OUT)
        .classFiles(mlp.classFiles()).batchSize(BATCH).seed(SHUFFLE_SEED)
        .epochs(EPOCHS).schedule(schedule()).clipGlobalNorm(1.5).listener(r).taskHook(hook);
    if (partitions != null) {
      b.partitions(partitions);
    }
    try (SparkTrainer t = b.build()) {
      assertEquals(ROWS - HELD_OUT, t.trainingRows());
      if (partitions != null) {
        assertEquals(partitions, t.partitions());
      }
      TrainingSummary s = t.fit();
      return new Run(m.parameters(), r.steps, r.heldOut, s);
    }
  }

  /** The largest |a - b| / max(|a|, |b|, 1e-300) over every element of every parameter. */
  static double maxRelativeDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
    assertEquals(a.keySet(), b.keySet());
    double worst = 0;
    for (String name : a.keySet()) {
      double[] x = ((DoubleTensor) a.get(name)).data();
      double[] y = ((DoubleTensor) b.get(name)).data();
      for (int i = 0; i < x.length; i++) {
        double scale = Math.max(Math.max(Math.abs(x[i]), Math.abs(y[i])), 1e-300);
        worst = Math.max(worst, Math.abs(x[i] - y[i]) / scale);
      }
    }
    return worst;
  }

  private static void assertClose(List<Double> expected, List<Double> actual, double tolerance) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.get(i);
      assertTrue(Math.abs(e - actual.get(i)) <= tolerance * Math.abs(e),
          "element " + i + ": expected " + e + ", got " + actual.get(i));
    }
  }

  @ParameterizedTest(name = "{0} partition(s)")
  @ValueSource(ints = {1, 2, 3})
  void parametersAfterTrainingEqualSingleMachineTraining(int partitions) {
    Run one = singleMachine(SparkTrainerExactnessTest::adam);
    Run spread = onSpark(SparkTrainerExactnessTest::adam, 2, partitions, TaskHook.NONE);
    assertEquals(EPOCHS * 5, one.summary().steps());
    assertEquals(one.summary().steps(), spread.summary().steps());
    double diff = maxRelativeDifference(one.params(), spread.params());
    assertTrue(diff <= 1e-12, "max relative difference " + diff);
    assertClose(one.stepLosses(), spread.stepLosses(), 1e-12);
    assertClose(one.heldOut(), spread.heldOut(), 1e-12);
    if (partitions == 1) {
      // One partition holds every batch whole: the same gradient calls, bit for bit.
      assertEquals(0.0, diff);
      assertEquals(one.stepLosses(), spread.stepLosses());
    }
    // The parameters moved: the comparison is not between two untrained models.
    assertTrue(maxRelativeDifference(one.params(), mlp.newInstance(MODEL_SEED).parameters()) > 1e-3);
  }

  @Test
  void theInputsOwnPartitionsGiveTheSameResultAsSpreadingThem() {
    Run one = singleMachine(m -> Sgd.builder(m.parameters()).learningRate(0.1).momentum(0.9).build());
    Run native3 = onSpark(m -> Sgd.builder(m.parameters()).learningRate(0.1).momentum(0.9).build(), 3, null,
        TaskHook.NONE);
    assertTrue(maxRelativeDifference(one.params(), native3.params()) <= 1e-12);
  }

  @Test
  void aTaskThatFailsOnItsFirstAttemptIsRetriedAndTheResultIsUnchanged() {
    INJECTED.set(0);
    Run retried = onSpark(SparkTrainerExactnessTest::adam, 2, 2, SparkTrainerExactnessTest::failOnce);
    assertEquals(2, INJECTED.get(), "one step task and one evaluation task failed once");
    // Unchanged: as a run without failures, which equals single-machine training (the test above).
    Run one = singleMachine(SparkTrainerExactnessTest::adam);
    assertTrue(maxRelativeDifference(one.params(), retried.params()) <= 1e-12);
    assertClose(one.stepLosses(), retried.stepLosses(), 1e-12);
    assertClose(one.heldOut(), retried.heldOut(), 1e-12);
  }

  @Test
  void localStepsOnOnePartitionWithPlainSgdAreSingleMachineTraining() {
    Run one = singleMachine(m -> Sgd.builder(m.parameters()).learningRate(0.05).momentum(0).build());
    AdjointModel m = mlp.newInstance(MODEL_SEED);
    Recorder r = new Recorder();
    try (SparkTrainer t = SparkTrainer.builder(m, Sgd.builder(m.parameters()).build())
        .data(TestModels.dataset(spark, data, 2)).holdOutLast(HELD_OUT).partitions(1)
        .classFiles(mlp.classFiles()).batchSize(BATCH).seed(SHUFFLE_SEED)
        .epochs(EPOCHS).schedule(schedule()).clipGlobalNorm(1.5).listener(r)
        .localSteps(p -> Sgd.builder(p).learningRate(0.05).momentum(0).build())
        .build()) {
      assertEquals(EPOCHS * 5, t.fit().steps());
    }
    assertTrue(maxRelativeDifference(one.params(), m.parameters()) <= 1e-12);
    assertClose(one.stepLosses(), r.steps, 1e-12);
    assertClose(one.heldOut(), r.heldOut, 1e-12);
  }

  @Test
  void localStepsOnThreePartitionsAverageTheirParametersAndStillTrain() {
    Run exact = singleMachine(SparkTrainerExactnessTest::adam);
    AdjointModel m = mlp.newInstance(MODEL_SEED);
    Recorder r = new Recorder();
    TrainingSummary s;
    try (SparkTrainer t = SparkTrainer.builder(m, adam(m))
        .data(TestModels.dataset(spark, data, 2)).holdOutLast(HELD_OUT).partitions(3)
        .classFiles(mlp.classFiles()).batchSize(BATCH).seed(SHUFFLE_SEED)
        .epochs(EPOCHS).schedule(schedule()).listener(r)
        .localSteps(p -> Adam.builder(p).learningRate(0.05).weightDecay(1e-3).build())
        .build()) {
      s = t.fit();
    }
    assertEquals(EPOCHS * 5, s.steps());
    assertEquals(EPOCHS * 5, r.steps.size());
    assertEquals(EPOCHS * 5, s.health().steps());
    assertTrue(r.heldOut.get(EPOCHS - 1) < r.heldOut.get(0), "held-out loss falls: " + r.heldOut);
    assertTrue(r.steps.get(r.steps.size() - 1) < r.steps.get(0), "training loss falls: " + r.steps);
    // Model averaging is not the exact step: the parameters differ from exact (single-machine) training's.
    assertTrue(maxRelativeDifference(exact.params(), m.parameters()) > 1e-6);
  }

  /** Fails the first attempt of step 5's task for partition 1, and of the second evaluation's partition 0. */
  private static void failOnce(String what, long step, int partition) {
    boolean target = what.equals("step") ? step == 5 && partition == 1 : step == 2 && partition == 0;
    if (target && TaskContext.get().attemptNumber() == 0) {
      INJECTED.incrementAndGet();
      throw new IllegalStateException("injected failure: " + what + " " + step + ", partition " + partition);
    }
  }
}
