package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.Sgd;
import dev.adjoint.runtime.train.TrainTestSupport.LinearModel;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Regression through CSV targets, RMSE, binary accuracy, and metric checks before training. */
class MetricsTest {

  @Test
  void aRegressionTrainsFromFloatTargetsAndReportsRmse() throws IOException {
    LinearModel model = new LinearModel();
    CsvData.Split s = ResumeTest.data(11).split(23);
    TrainingSummary summary = Trainer.builder(model, Adam.builder(model.parameters()).learningRate(0.1).build())
        .data(CsvBatchSource.shuffled(s.train(), "x", "t", 16, 1))
        .heldOut(CsvBatchSource.inOrder(s.heldOut(), "x", "t", 10))
        .rmse("yhat", "t").epochs(40)
        .build().fit();
    EpochReport last = summary.epochs().get(summary.epochs().size() - 1);
    assertTrue(Double.isNaN(last.heldOutAccuracy()));
    // The model's loss is the mean squared error, so RMSE is its root (batches weighted by rows).
    assertEquals(Math.sqrt(last.heldOutLoss()), last.heldOutRmse(), 1e-12);
    assertTrue(last.heldOutRmse() < 0.15, "near the noise of 0.1: " + last.heldOutRmse());
    assertTrue(summary.epochs().get(0).heldOutRmse() > last.heldOutRmse());
    double[] w = ((DoubleTensor) model.parameters().get("W")).data();
    assertEquals(2, w[0], 0.1);
    assertEquals(-3, w[1], 0.1);
  }

  @Test
  void aProbabilityOutputGetsBinaryAccuracy() {
    DoubleTensor p = DoubleTensor.of(new double[] {0.1, 0.5, 0.9, 0.49}, 4);
    assertEquals(4, Evaluation.correct(p, IntTensor.of(new int[] {0, 1, 1, 0}, 4)));
    assertEquals(2, Evaluation.correct(p, IntTensor.of(new int[] {1, 1, 1, 1}, 4)));
    FloatTensor column = FloatTensor.of(new float[] {0.2f, 0.7f}, 2, 1);
    assertEquals(2, Evaluation.correct(column, FloatTensor.of(new float[] {0, 1}, 2)), "[B, 1], float targets");
    assertEquals(1, Evaluation.correct(column, FloatTensor.of(new float[] {0.9f, 1}, 2)), "targets >= 0.5 are 1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Evaluation.correct(p, IntTensor.of(new int[] {0, 1, 2, 0}, 4)));
    assertEquals("accuracy: a probability output is compared with labels 0 or 1, but a label is 2",
        e.getMessage());
  }

  @Test
  void metricsCheckTheOutputBeforeTraining() throws IOException {
    LinearModel model = new LinearModel();
    CsvData.Split s = ResumeTest.data(3).split(10);
    Sgd sgd = Sgd.builder(model.parameters()).build();
    // accuracy needs labels to take an argmax against, or a [B] probability with 0/1 targets; yhat is
    // [B], so the check passes, and the first epoch evaluates it.
    Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(s.train(), "x", "t", 8))
        .heldOut(CsvBatchSource.inOrder(s.heldOut(), "x", "t", 8)).accuracy("yhat", "t").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(s.train(), "x", "t", 8))
            .heldOut(CsvBatchSource.inOrder(s.heldOut(), "x", "t", 8)).rmse("prediction", "t").build());
    assertEquals("rmse(prediction, t): no output prediction (outputs: [yhat])", e.getMessage());
    TrainTestSupport.RecordingListener events = new TrainTestSupport.RecordingListener();
    assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(s.train(), "x", "t", 8))
            .heldOut(CsvBatchSource.inOrder(s.heldOut(), "x", null, 8)).rmse("yhat", "t").listener(events)
            .build());
    assertEquals(List.of(), events.events, "nothing ran");
  }

  @Test
  void rmseComparesElementByElement() {
    Evaluation.Metric m = Evaluation.Metric.rmse("o", "t");
    Evaluation.check(m, FloatTensor.zeros(4, 1), FloatTensor.zeros(4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Evaluation.check(m, FloatTensor.zeros(4, 3), FloatTensor.zeros(4)));
    assertEquals("rmse: output o is f32[4, 3] but the targets t are f32[4]; RMSE compares them element by"
        + " element", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Evaluation.check(m, FloatTensor.zeros(4), IntTensor.zeros(4)));
    assertEquals("rmse: input t holds labels (i32[4]); RMSE compares an output with float targets",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Evaluation.check(Evaluation.Metric.accuracy("o", "y"), FloatTensor.zeros(4, 3),
            FloatTensor.zeros(4)));
    assertTrue(e.getMessage().startsWith("accuracy: output o is f32[4, 3], whose argmax is a class, but input y"
        + " holds float targets"), e.getMessage());
  }
}
