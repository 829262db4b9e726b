package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.optim.Sgd;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
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
  static final class EchoClassifier extends TrainTestSupport.HandModel {

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
    assertEquals(4, Evaluation.correct(out, IntTensor.of(new int[] {0, 1, 1, 1}, 4)));
    assertEquals(1, Evaluation.correct(out, IntTensor.of(new int[] {0, 2, 0, 0}, 4)));
    Evaluation.Metric metric = Evaluation.Metric.accuracy("o", "y");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Evaluation.check(metric, out, IntTensor.of(new int[] {0, 1, 1}, 3)));
    assertEquals("accuracy: output o (f64[2, 2, 3]) has 4 rows, but the labels y have 3",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Evaluation.check(metric, DoubleTensor.scalar(1), IntTensor.of(new int[] {0}, 1)));
    assertEquals("accuracy: output o is f64[]; accuracy needs an output [B, classes] (argmax) or"
        + " [B] (a probability)", e.getMessage());
  }

  @Test
  void aMissingLabelInputIsExplained() throws IOException {
    EchoClassifier model = new EchoClassifier();
    CsvData data = data();
    // A batch source that is not a CsvBatchSource is checked by running the model on it.
    TrainTestSupport.ArraySource heldOut = new TrainTestSupport.ArraySource(List.of(Map.of(
        "x", FloatTensor.zeros(2, 3), "y", IntTensor.zeros(2))));
    Trainer.Builder builder = Trainer.builder(model, Sgd.builder(model.parameters()).build())
        .data(CsvBatchSource.inOrder(data, "x", "y", 5))
        .heldOut(heldOut)
        .accuracy("scores", "labels");
    // build() runs the model on the first held-out batch, so this is found before training.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertEquals("accuracy: the held-out batches have no input labels to take labels from",
        e.getMessage());
  }

  @Test
  void buildChecksCsvSourcesAgainstTheModelsInputs() throws IOException {
    EchoClassifier model = new EchoClassifier();
    CsvData data = data();
    Sgd sgd = Sgd.builder(model.parameters()).build();
    assertBuildFails("the training data binds its features to input features, but model Echo has"
        + " no such input (inputs: x, y)",
        Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(data, "features", "y", 2)));
    assertBuildFails("the held-out data binds its labels to input labels, but model Echo has no"
        + " such input (inputs: x, y)",
        Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(data, "x", "y", 2))
            .heldOut(CsvBatchSource.inOrder(data, "x", "labels", 2)));
    CsvData f64 = CsvData.read(new StringReader("1,2,3,0\n"), "f64.csv",
        CsvOptions.defaults().withFeatureType(ElementType.F64));
    assertBuildFails("the training features are f64 but input x of model Echo is f32[B, 3]; read"
        + " the CSV with CsvOptions.withFeatureType(F32)",
        Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(f64, "x", "y", 2)));
    CsvData narrow = CsvData.read(new StringReader("1,2,0\n"), "narrow.csv",
        CsvOptions.defaults());
    assertBuildFails("the training data has 2 feature columns but input x of model Echo is"
        + " f32[B, 3]", Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(narrow, "x", "y", 2)));
    assertBuildFails("the training data binds its features to input y, but that input of model"
        + " Echo is i32[B]; features go to an f32 or f64 input",
        Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(data, "y", "x", 2)));
    assertBuildFails("accuracy(scores, y) takes labels from input y, but the held-out data binds"
        + " no labels",
        Trainer.builder(model, sgd).data(CsvBatchSource.inOrder(data, "x", "y", 2))
            .heldOut(CsvBatchSource.inOrder(data, "x", null, 2)).accuracy("scores", "y"));
  }

  private static void assertBuildFails(String message, Trainer.Builder builder) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    assertEquals(message, e.getMessage());
  }

  private static final class RecordingEpochs implements TrainingListener {
    final List<EpochReport> reports = new ArrayList<>();

    @Override
    public void onEpoch(EpochReport epoch) {
      reports.add(epoch);
    }
  }
}
