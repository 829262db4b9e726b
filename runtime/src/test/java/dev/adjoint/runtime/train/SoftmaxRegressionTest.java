package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** End to end: CSV data, shuffled batches, Adam with a schedule, held-out accuracy. */
class SoftmaxRegressionTest {

  /**
   * {@code logits = x @ W[0] + b[0]}, {@code loss = mean(cross_entropy(logits, y))}, output
   * {@code probs = softmax(logits)}; x: f32[B, 2], three classes; analytic gradient.
   */
  static final class SoftmaxRegression extends TrainTestSupport.HandModel {
    private final double[] w = params.add("W[0]", DoubleTensor.zeros(2, 3)).data();
    private final double[] b = params.add("b[0]", DoubleTensor.zeros(3)).data();

    @Override
    public String name() {
      return "SoftmaxRegression";
    }

    @Override
    public List<InputSpec> inputs() {
      return List.of(InputSpec.parse("x", "f32[B, 2]"), InputSpec.parse("y", "i32[B]"));
    }

    @Override
    public ForwardResult forward(Map<String, Tensor> inputs) {
      double[] probs = new double[3 * inputs.get("y").size()];
      double loss = run(inputs, probs, null, null);
      return new ForwardResult(OptionalDouble.of(loss),
          Map.of("probs", DoubleTensor.wrap(probs, probs.length / 3, 3)));
    }

    @Override
    public GradientResult gradient(Map<String, Tensor> inputs) {
      double[] probs = new double[3 * inputs.get("y").size()];
      double[] dw = new double[6];
      double[] db = new double[3];
      double loss = run(inputs, probs, dw, db);
      Map<String, Tensor> grads = new LinkedHashMap<>();
      grads.put("W[0]", DoubleTensor.wrap(dw, 2, 3));
      grads.put("b[0]", DoubleTensor.wrap(db, 3));
      return new GradientResult(loss, Map.of("probs", DoubleTensor.wrap(probs, probs.length / 3, 3)),
          grads);
    }

    private double run(Map<String, Tensor> inputs, double[] probs, double[] dw, double[] db) {
      float[] x = ((FloatTensor) inputs.get("x")).data();
      int[] y = ((IntTensor) inputs.get("y")).data();
      int rows = y.length;
      double loss = 0;
      for (int r = 0; r < rows; r++) {
        double[] z = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
          z[c] = x[2 * r] * w[c] + x[2 * r + 1] * w[3 + c] + b[c];
          max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < 3; c++) {
          sum += Math.exp(z[c] - max);
        }
        for (int c = 0; c < 3; c++) {
          probs[3 * r + c] = Math.exp(z[c] - max) / sum;
        }
        loss -= Math.log(probs[3 * r + y[r]]) / rows;
        if (dw != null) {
          for (int c = 0; c < 3; c++) {
            double d = (probs[3 * r + c] - (c == y[r] ? 1 : 0)) / rows;
            dw[c] += d * x[2 * r];
            dw[3 + c] += d * x[2 * r + 1];
            db[c] += d;
          }
        }
      }
      return loss;
    }
  }

  /** Three Gaussian clusters around (0, 2), (2, -1), (-2, -1), shuffled, as CSV. */
  private static CsvData clusters(int rows, long seed) throws IOException {
    Random random = new Random(seed);
    double[][] centers = {{0, 2}, {2, -1}, {-2, -1}};
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      int c = random.nextInt(3);
      text.append(String.format(Locale.ROOT, "%.4f,%.4f,%d%n",
          centers[c][0] + 0.5 * random.nextGaussian(), centers[c][1] + 0.5 * random.nextGaussian(),
          c));
    }
    return CsvData.read(new StringReader(text.toString()), "clusters.csv",
        CsvOptions.defaults().withNumClasses(3));
  }

  private static List<Double> train(CsvData.Split split, List<EpochReport> epochs) {
    SoftmaxRegression model = new SoftmaxRegression();
    List<Double> losses = new ArrayList<>();
    TrainingSummary summary = Trainer.builder(model,
            Adam.builder(model.parameters()).learningRate(0.05).build())
        .data(CsvBatchSource.shuffled(split.train(), "x", "y", 16, 42))
        .heldOut(CsvBatchSource.inOrder(split.heldOut(), "x", "y", 64))
        .accuracy("probs", "y")
        .epochs(8)
        .schedule(LearningRateSchedule.cosine(0.05, 8 * 19, 0.001).withLinearWarmup(10))
        .listener(new TrainingListener() {
          @Override
          public void onStep(StepReport step) {
            losses.add(step.loss());
          }

          @Override
          public void onEpoch(EpochReport epoch) {
            epochs.add(epoch);
          }
        })
        .build()
        .fit();
    assertEquals(List.of(), summary.health().warnings());
    return losses;
  }

  @Test
  void learnsSeparableClustersAndRepeatsExactly() throws IOException {
    CsvData.Split split = clusters(400, 5).split(100);
    List<EpochReport> epochs = new ArrayList<>();
    List<Double> first = train(split, epochs);
    List<Double> second = train(split, new ArrayList<>());

    assertEquals(8 * 19, first.size()); // 300 rows in batches of 16: 19 per epoch
    assertEquals(first, second);
    EpochReport last = epochs.get(epochs.size() - 1);
    assertTrue(last.heldOutAccuracy() >= 0.95, "accuracy " + last.heldOutAccuracy());
    assertTrue(last.heldOutLoss() < 0.3, "held-out loss " + last.heldOutLoss());
    assertTrue(last.trainLoss() < epochs.get(0).trainLoss());
  }
}
