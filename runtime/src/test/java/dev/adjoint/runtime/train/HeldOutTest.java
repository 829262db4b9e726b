package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.ParameterSet;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.optim.Sgd;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Held-out loss and accuracy, through the trainer and directly. */
class HeldOutTest {

  /**
   * Its output {@code scores} is its input {@code x} ({@code f32[B, 3]}); its loss is the mean of
   * the first column of {@code x}, whatever its parameter.
   */
  static final class EchoClassifier implements AdjointModel {
    private final ParameterSet params = new ParameterSet();

    EchoClassifier() {
      params.add("w", DoubleTensor.zeros(1));
    }

    @Override
    public String name() {
      return "Echo";
    }

    @Override
    public List<InputSpec> inputs() {
      return List.of(InputSpec.parse("x", "f32[B, 3]"), InputSpec.parse("y", "i32[B]"));
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
    public void initParameters(long seed) {}

    @Override
    public boolean hasLoss() {
      return true;
    }

    private static double loss(FloatTensor x) {
      int rows = x.dim(0);
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += x.get(3 * r);
      }
      return sum / rows;
    }

    @Override
    public ForwardResult forward(Map<String, Tensor> inputs) {
      FloatTensor x = (FloatTensor) inputs.get("x");
      return new ForwardResult(OptionalDouble.of(loss(x)), Map.of("scores", x.copy()));
    }

    @Override
    public GradientResult gradient(Map<String, Tensor> inputs) {
      FloatTensor x = (FloatTensor) inputs.get("x");
      return new GradientResult(loss(x), Map.of("scores", x.copy()),
          Map.of("w", DoubleTensor.zeros(1)));
    }
  }

  /**
   * Five rows of three scores and a label. Row 1 ties classes 0 and 1 (first wins: correct), row 2
   * ties 0 and 2 with label 2 (wrong), rows 3 to 5 are clear (right).
   */
  private static CsvData data() throws IOException {
    String text = "1,1,0,0\n2,1,2,2\n3,0,5,2\n4,9,1,1\n5,1,1,0\n";
    return CsvData.read(new StringReader(text), "echo.csv", CsvOptions.defaults());
  }

  @Test
  void heldOutLossWeighsBatchesByRowsAndAccuracyBreaksTiesToTheFirstIndex() throws IOException {
    EchoClassifier model = new EchoClassifier();
    CsvData data = data();
    RecordingEpochs epochs = new RecordingEpochs();
    Trainer.builder(model, Sgd.builder(model.parameters()).build())
        .data(CsvBatchSource.shuffled(data, "x", "y", 2, 3))
        .heldOut(CsvBatchSource.inOrder(data, "x", "y", 2))
        .accuracy("scores", "y")
        .epochs(2)
        .listener(epochs)
        .build()
        .fit();
    // Batches (1, 2), (3, 4), (5) have losses 1.5, 3.5, 5: weighted by rows, (3 + 7 + 5) / 5 = 3,
    // where the plain mean of the batch losses would be 3.33.
    for (EpochReport e : epochs.reports) {
      assertEquals(3.0, e.heldOutLoss(), 1e-12);
      assertEquals(0.8, e.heldOutAccuracy(), 1e-12);
    }
    assertEquals(2, epochs.reports.size());
  }

  @Test
  void accuracyCountsArgmaxMatchesOverTheLastAxis() {
    // [2, 2, 3]: four rows of three scores.
    DoubleTensor out = DoubleTensor.of(new double[] {
        0, 0, 0, // all tied: 0
        1, 3, 3, // tie 1 and 2: 1
        Double.NaN, 1, 0, // NaN never wins: 1
        -5, -4, -6}, 2, 2, 3); // 1
    assertEquals(4, Evaluation.correct(out, "o", IntTensor.of(new int[] {0, 1, 1, 1}, 4), "y"));
    assertEquals(1, Evaluation.correct(out, "o", IntTensor.of(new int[] {0, 2, 0, 0}, 4), "y"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Evaluation.correct(out, "o", IntTensor.of(new int[] {0, 1, 1}, 3), "y"));
    assertEquals("accuracy: output o (f64[2, 2, 3]) has 4 rows, but the labels y have 3",
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Evaluation.correct(DoubleTensor.scalar(1), "o", IntTensor.of(new int[] {0}, 1), "y"));
  }

  @Test
  void aMissingLabelInputIsExplained() throws IOException {
    EchoClassifier model = new EchoClassifier();
    CsvData data = data();
    Trainer trainer = Trainer.builder(model, Sgd.builder(model.parameters()).build())
        .data(CsvBatchSource.inOrder(data, "x", "y", 5))
        .heldOut(CsvBatchSource.inOrder(data, "x", "y", 5))
        .accuracy("scores", "labels")
        .build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, trainer::fit);
    assertTrue(e.getMessage().contains("no input labels"), e.getMessage());
  }

  private static final class RecordingEpochs implements TrainingListener {
    final java.util.List<EpochReport> reports = new java.util.ArrayList<>();

    @Override
    public void onEpoch(EpochReport epoch) {
      reports.add(epoch);
    }
  }
}
