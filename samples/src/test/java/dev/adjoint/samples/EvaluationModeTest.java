package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Mode;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.train.CsvBatchSource;
import dev.adjoint.runtime.train.Evaluation;
import dev.adjoint.runtime.train.Trainer;
import dev.adjoint.samples.models.DigitsBn;
import dev.adjoint.samples.models.DigitsMlp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evaluation mode and prediction, on the bundled {@code digits_bn.model} (batch norm and dropout) as a Java user
 * would use it: a batch-normed classifier gives each row its own prediction whatever the batch, where the batch's
 * statistics (training mode) at batch 1 give every row the same distribution.
 */
class EvaluationModeTest {
    private static CsvData.Split digits;
    private static DigitsBn trained;

    @BeforeAll
    static void train() throws IOException {
        CsvData data = CsvData.read(Path.of("data/digits.csv.gz"), CsvOptions.defaults().withNumClasses(10));
        digits = data.split(360, dev.adjoint.runtime.io.SplitMethod.STRATIFIED, 0);
        trained = new DigitsBn(0);
        Trainer.builder(trained, Adam.builder(trained.parameters()).learningRate(1e-2).build())
                .data(CsvBatchSource.shuffled(digits.train(), "x", "y", 32, 0))
                .epochs(3)
                .build()
                .fit();
    }

    private static Evaluation heldOut(int batchSize) {
        return Evaluation.run(trained, CsvBatchSource.inOrder(digits.heldOut(), "x", "y", batchSize), "probs", "y");
    }

    @Test
    void aRowsPredictionDoesNotDependOnItsBatch() {
        Evaluation whole = heldOut(360);
        Evaluation one = heldOut(1);
        Evaluation seven = heldOut(7);
        assertTrue(whole.accuracy() >= 0.9, "held-out accuracy " + whole.accuracy());
        assertEquals(whole.accuracy(), one.accuracy(), "batch 1");
        assertEquals(whole.accuracy(), seven.accuracy(), "batch 7");
        assertEquals(whole.loss(), one.loss(), 1e-5, "batch 1");
    }

    @Test
    void theBatchStatisticsAtBatchOneWouldGiveEveryRowTheSameDistribution() {
        // what evaluation did before it had a mode: normalize a batch of one row with its own statistics
        CsvBatchSource rows = CsvBatchSource.inOrder(digits.heldOut(), "x", "y", 1);
        rows.startEpoch(0);
        float[] first = null;
        int correct = 0;
        for (int i = 0; i < 50; i++) {
            Map<String, Tensor> row = rows.next();
            float[] training = ((FloatTensor) trained.evaluate(row, Mode.TRAINING).output("probs")).data().clone();
            if (first == null) {
                first = training;
            }
            assertArrayEquals(first, training, "row " + i + " in training mode");
            float[] evaluation = ((FloatTensor) trained.evaluate(row).output("probs")).data();
            correct += argmax(evaluation) == ((IntTensor) row.get("y")).data()[0] ? 1 : 0;
        }
        assertTrue(correct >= 45, correct + " of 50 rows right in evaluation mode");
    }

    @Test
    void predictNeedsNoLabelsAndGivesWhatEvaluationGives() {
        Map<String, Tensor> batch = batch(digits.heldOut(), 0, 20);
        FloatTensor x = (FloatTensor) batch.get("x");
        assertEquals(List.of("x"), trained.predictInputs().stream().map(s -> s.name()).toList());
        ForwardResult typed = trained.predict(x);
        ForwardResult byName = trained.predict(Map.of("x", x));
        StepResult views = trained.predictViews(Map.of("x", x));
        float[] expected = ((FloatTensor) trained.forward(batch).output("probs")).data();
        assertArrayEquals(expected, ((FloatTensor) typed.output("probs")).data());
        assertArrayEquals(expected, ((FloatTensor) byName.output("probs")).data());
        assertArrayEquals(expected, ((FloatTensor) views.output("probs")).data());
        assertTrue(typed.loss().isEmpty());
        // forward needs every input, labels included; predict does not
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trained.forward(Map.of("x", x)));
        assertTrue(e.getMessage().contains("input y"), e.getMessage());
        DigitsMlp mlp = new DigitsMlp(1);
        assertEquals(10 * 20, mlp.predict(x).output("probs").size());
    }

    @Test
    void aTrainingStepMovesTheRunningStatisticsByPyTorchsRule() {
        DigitsBn model = new DigitsBn(3);
        assertEquals(List.of("g1.running_mean", "g1.running_var"), List.copyOf(model.buffers().keySet()));
        Map<String, Tensor> batch = batch(digits.train(), 0, 16);
        float[] x = ((FloatTensor) batch.get("x")).data();
        float[] w1 = model.W1().data();
        int n = 16;
        double[] mean = new double[64];
        double[] var = new double[64];
        for (int f = 0; f < 64; f++) {
            double[] z = new double[n];
            for (int b = 0; b < n; b++) {
                float s = 0;                                 // the f32 matmul the model computes
                for (int k = 0; k < 64; k++) {
                    s += x[b * 64 + k] * w1[k * 64 + f];
                }
                z[b] = s;
                mean[f] += s / n;
            }
            for (int b = 0; b < n; b++) {
                var[f] += (z[b] - mean[f]) * (z[b] - mean[f]) / (n - 1);   // unbiased
            }
        }
        model.step(batch);
        float[] runningMean = ((FloatTensor) model.buffers().get("g1.running_mean")).data();
        float[] runningVar = ((FloatTensor) model.buffers().get("g1.running_var")).data();
        for (int f = 0; f < 64; f++) {
            assertEquals(0.9 * 0 + 0.1 * mean[f], runningMean[f], 1e-4 * Math.max(1, Math.abs(mean[f])), "mean " + f);
            assertEquals(0.9 * 1 + 0.1 * var[f], runningVar[f], 1e-4 * Math.max(1, var[f]), "var " + f);
        }
        // evaluation and prediction leave them alone
        float[] before = runningMean.clone();
        model.evaluate(batch);
        model.predict(Map.of("x", batch.get("x")));
        model.evaluate(batch, Mode.TRAINING);
        assertArrayEquals(before, runningMean);
        model.initParameters(3);
        assertEquals(0f, runningMean[5]);
        assertEquals(1f, runningVar[5]);
    }

    @Test
    void dropoutMasksAreTheStepsOwnAndRepeatable() {
        Map<String, Tensor> batch = batch(digits.train(), 32, 32);
        DigitsBn a = new DigitsBn(5);
        DigitsBn b = new DigitsBn(5);
        assertEquals(0, a.trainingStep());
        GradientResult first = a.gradient(batch);
        assertEquals(1, a.trainingStep());
        GradientResult second = a.gradient(batch);   // the same params and rows, the next step's masks
        assertFalse(Arrays.equals(((FloatTensor) first.gradient("W1")).data(),
                ((FloatTensor) second.gradient("W1")).data()), "a new mask each step");
        GradientResult same = b.gradient(batch);     // another instance of the same seed: the same masks
        assertArrayEquals(((FloatTensor) first.gradient("W1")).data(), ((FloatTensor) same.gradient("W1")).data());
        a.setTrainingStep(0);
        a.initParameters(5);
        assertEquals(0, a.trainingStep(), "initParameters starts the steps again");
        assertArrayEquals(((FloatTensor) first.gradient("W1")).data(),
                ((FloatTensor) a.gradient(batch).gradient("W1")).data());
        // evaluation has no dropout: the same outputs whatever the step
        float[] p0 = ((FloatTensor) a.forward(batch).output("probs")).data();
        a.setTrainingStep(1234);
        assertArrayEquals(p0, ((FloatTensor) a.forward(batch).output("probs")).data());
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Map<String, Tensor> batch(CsvData data, int from, int rows) {
        CsvBatchSource source = CsvBatchSource.inOrder(data, "x", "y", from + rows);
        source.startEpoch(0);
        Map<String, Tensor> all = source.next();
        float[] x = Arrays.copyOfRange(((FloatTensor) all.get("x")).data(), from * 64, (from + rows) * 64);
        int[] y = Arrays.copyOfRange(((IntTensor) all.get("y")).data(), from, from + rows);
        return Map.of("x", FloatTensor.wrap(x, rows, 64), "y", IntTensor.wrap(y, rows));
    }
}
