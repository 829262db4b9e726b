package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Sgd;
import dev.adjoint.runtime.train.TrainTestSupport.ArraySource;
import dev.adjoint.runtime.train.TrainTestSupport.LinearModel;
import dev.adjoint.runtime.train.TrainTestSupport.RecordingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A trainer whose gradients and held-out evaluation come from elsewhere, as a distributed trainer's do. */
class GradientSourceTest {

  /** Computes the gradient on another model instance set to the trained model's parameters. */
  private static final class Elsewhere implements GradientSource {
    final LinearModel trained;
    final LinearModel worker = new LinearModel();
    final ArraySource batches;
    final List<Integer> epochs = new ArrayList<>();

    Elsewhere(LinearModel trained, ArraySource batches) {
      this.trained = trained;
      this.batches = batches;
    }

    @Override
    public int batchesPerEpoch() {
      return batches.batchesPerEpoch();
    }

    @Override
    public void startEpoch(int epoch) {
      epochs.add(epoch);
      batches.startEpoch(epoch);
    }

    @Override
    public StepResult next() {
      trained.parameters().forEach(worker::setParameter);
      return worker.step(batches.next());
    }
  }

  private static Trainer.Builder common(LinearModel model, RecordingListener listener) {
    return Trainer.builder(model, Sgd.builder(model.parameters()).learningRate(0.1).momentum(0.5).build())
        .epochs(5).schedule(LearningRateSchedule.cosine(0.1, 20, 0)).clipGlobalNorm(2).listener(listener);
  }

  @Test
  void stepsFromAGradientSourceEqualStepsOnTheData() {
    LinearModel direct = new LinearModel();
    RecordingListener a = new RecordingListener();
    TrainingSummary expected = common(direct, a)
        .data(LinearModel.data(4, 8, 1)).heldOut(LinearModel.data(2, 8, 2)).build().fit();

    LinearModel viaSource = new LinearModel();
    RecordingListener b = new RecordingListener();
    Elsewhere source = new Elsewhere(viaSource, LinearModel.data(4, 8, 1));
    LinearModel evaluator = new LinearModel();
    ArraySource heldOut = LinearModel.data(2, 8, 2);
    TrainingSummary actual = common(viaSource, b).gradients(source)
        .evaluation(() -> {
          viaSource.parameters().forEach(evaluator::setParameter);
          return Evaluation.run(evaluator, heldOut, null, null);
        })
        .build().fit();

    assertEquals(20, actual.steps());
    assertEquals(List.of(0, 1, 2, 3, 4), source.epochs);
    assertArrayEquals(((DoubleTensor) direct.parameters().get("W")).data(),
        ((DoubleTensor) viaSource.parameters().get("W")).data());
    assertEquals(expected.epochs().size(), actual.epochs().size());
    for (int e = 0; e < expected.epochs().size(); e++) {
      assertEquals(expected.epochs().get(e).trainLoss(), actual.epochs().get(e).trainLoss());
      assertEquals(expected.epochs().get(e).heldOutLoss(), actual.epochs().get(e).heldOutLoss());
    }
    assertEquals(a.steps.stream().map(StepReport::loss).toList(),
        b.steps.stream().map(StepReport::loss).toList());
    for (int i = 0; i < a.norms.size(); i++) {
      assertArrayEquals(a.norms.get(i), b.norms.get(i));
    }
    assertTrue(actual.finalLoss() < expected.epochs().get(0).trainLoss());
  }

  @Test
  void dataAndAGradientSourceAreNotBothAllowed() {
    LinearModel m = new LinearModel();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> common(m,
        new RecordingListener()).data(LinearModel.data(1, 2, 1))
        .gradients(new Elsewhere(m, LinearModel.data(1, 2, 1))).build());
    assertTrue(e.getMessage().contains("not both"), e.getMessage());
    IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> common(m,
        new RecordingListener()).data(LinearModel.data(1, 2, 1)).heldOut(LinearModel.data(1, 2, 1))
        .evaluation(() -> new Evaluation(0, Double.NaN)).build());
    assertTrue(h.getMessage().contains("not both"), h.getMessage());
  }

  @Test
  void aModelWithInputsTrainsFromAGradientSourceWithoutData() {
    LinearModel m = new LinearModel();
    TrainingSummary s = common(m, new RecordingListener())
        .gradients(new Elsewhere(m, LinearModel.data(3, 4, 9))).build().fit();
    assertEquals(15, s.steps());
  }
}
