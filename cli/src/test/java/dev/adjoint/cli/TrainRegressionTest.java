package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.io.Safetensors;
import dev.adjoint.runtime.io.Standardization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Float targets ({@code --label} on an f32 input), RMSE, binary accuracy, --split and --standardize. */
class TrainRegressionTest {
    @TempDir
    Path dir;
    private Path data;

    /** {@code t = x1 - 2 x2 + 3 x3 + 0.5}, {@code u = x1 + x2}; x4 is noise; columns x1..x4, t, u. */
    static String linearCsv(int rows) {
        StringBuilder sb = new StringBuilder("x1,x2,x3,x4,t,u\n");
        long state = 99;
        for (int r = 0; r < rows; r++) {
            double[] x = new double[4];
            for (int f = 0; f < 4; f++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                x[f] = ((state >>> 40) / (double) (1L << 24)) * 2 - 1;
            }
            double t = x[0] - 2 * x[1] + 3 * x[2] + 0.5;
            sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f,%.5f,%.5f%n", x[0], x[1], x[2], x[3], t,
                    x[0] + x[1]));
        }
        return sb.toString();
    }

    @BeforeEach
    void files() throws IOException {
        data = TrainRun.write(dir, "lin.csv", linearCsv(200));
    }

    private Path model(String name, String targetType, String output) throws IOException {
        return TrainRun.write(dir, name + ".model", """
                model Lin {
                  dim B
                  input x : f32[B, 4]
                  input t : %s
                  param W : f32[4, %s] = zeros
                  param b : f32[%s]    = zeros
                  output yhat = %s
                  loss l = mse(yhat, t)
                }
                """.formatted(targetType, targetType.contains(", 2") ? "2" : "1",
                targetType.contains(", 2") ? "2" : "1", output));
    }

    @Test
    void aColumnTargetTrainsAndReportsRmse() throws IOException {
        Path m = model("col", "f32[B, 1]", "x @ W + b");
        TrainRun r = TrainRun.run("train", m.toString(), "--data", data.toString(), "--header", "--label", "t=5",
                "--features", "x=1-4", "--lr", "0.1", "--epochs", "60", "--out", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("lin.csv: 200 rows, 160 for training, 40 held out (random, seed 0);"
                + " x <- columns 1-4, t <- column 5; batch 32; rmse of yhat"), r.out());
        String last = r.out().lines().filter(l -> l.startsWith("epoch 60/60")).findFirst().orElseThrow();
        assertTrue(last.matches("epoch 60/60  train loss \\S+  held-out loss \\S+  rmse \\S+  \\(\\d+\\.\\d s\\)"),
                last);
        double rmse = Double.parseDouble(last.split("rmse ")[1].split(" ")[0]);
        double loss = Double.parseDouble(last.split("held-out loss ")[1].split(" ")[0]);
        assertEquals(Math.sqrt(loss), rmse, 1e-3);
        assertTrue(rmse < 0.05, "t is linear in x, exactly: " + last);
        TrainPlotTest.assertPng(dir.resolve("out/rmse.png"));
    }

    @Test
    void aVectorTargetTakesOneColumnAndSeveralTargetsTakeSeveral() throws IOException {
        Path vector = model("vector", "f32[B]", "reshape(x @ W + b, [-1])");
        TrainRun r = TrainRun.run("train", vector.toString(), "--data", data.toString(), "--header", "--label",
                "t=5", "--features", "x=1-4", "--epochs", "2", "--no-plots", "--out", dir.resolve("v").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("t <- column 5; batch 32; rmse of yhat"), r.out());
        Path two = model("two", "f32[B, 2]", "x @ W + b");
        r = TrainRun.run("train", two.toString(), "--data", data.toString(), "--header", "--label", "t=5-6",
                "--epochs", "2", "--no-plots", "--out", dir.resolve("two").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("x <- columns 1-4, t <- columns 5-6"), r.out());
        r = TrainRun.run("train", two.toString(), "--data", data.toString(), "--header", "--label", "t",
                "--epochs", "1", "--no-plots", "--out", dir.resolve("two").toString());
        assertTrue(r.out().contains("x <- columns 1-4, t <- columns 5-6"), "the last 2 columns by default\n"
                + r.out() + r.err());
        r = TrainRun.run("train", two.toString(), "--data", data.toString(), "--header", "--label", "t=5",
                "--out", dir.resolve("bad").toString());
        assertEquals(1, r.exit());
        assertEquals("adjoint train: error: --label t=5: 1 columns, but input t : f32[B, 2] takes 2 per row\n",
                r.err());
    }

    @Test
    void stratifiedNeedsLabelsAndAccuracyAnOutputItCanUse() throws IOException {
        Path m = model("col", "f32[B, 1]", "x @ W + b");
        TrainRun r = TrainRun.run("train", m.toString(), "--data", data.toString(), "--header", "--label", "t=5",
                "--split", "stratified", "--out", dir.resolve("s").toString());
        assertEquals(1, r.exit());
        assertEquals("adjoint train: error: --split stratified keeps each class's share of the rows, so it needs"
                + " integer labels; the targets here are float values: use --split random or last\n", r.err());
        Path classifier = TrainRun.write(dir, "tiny.model", TrainRun.TINY.replace(
                "output probs = softmax(logits, axis=-1)",
                "output probs = softmax(logits, axis=-1)\n  output top = max(logits, axis=-1)\n"
                        + "  output all = sum(logits)"));
        Path tiny = TrainRun.write(dir, "tiny.csv", TrainRun.tinyCsv(30));
        r = TrainRun.run("train", classifier.toString(), "--data", tiny.toString(), "--accuracy", "all",
                "--out", dir.resolve("a").toString());
        assertEquals(1, r.exit());
        assertEquals("adjoint train: error: --accuracy all: output all is f32[]; accuracy compares the argmax over"
                + " the last axis of an output [B, classes], or a probability [B] (at least 0.5 is class 1), with"
                + " the labels y\n", r.err());
        assertFalse(Files.exists(dir.resolve("a")), "nothing written, nothing trained");
        r = TrainRun.run("train", classifier.toString(), "--data", tiny.toString(), "--rmse", "probs",
                "--out", dir.resolve("a").toString());
        assertEquals("adjoint train: error: --rmse probs: the targets y are class labels; RMSE compares an output"
                + " with regression targets (use --accuracy)\n", r.err());
    }

    @Test
    void aBinaryClassifierWithAProbabilityOutputGetsAccuracy() throws IOException {
        Path m = TrainRun.write(dir, "binary.model", """
                model Binary {
                  dim B
                  input x : f32[B, 4]
                  input y : i32[B]
                  param w : f32[4] = zeros
                  param b : f32[]  = zeros
                  output p = sigmoid(x @ w + b)
                  t = cast(y, f32)
                  loss bce = -mean(t * log(p + 1e-7) + (1 - t) * log(1 - p + 1e-7))
                }
                """);
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < 80; r++) {
            double a = Math.sin(r * 1.7);
            double c = Math.cos(r * 2.3);
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,0.5,0.25,%d%n", a, c, a + c > 0 ? 1 : 0));
        }
        Path d = TrainRun.write(dir, "binary.csv", csv.toString());
        TrainRun r = TrainRun.run("train", m.toString(), "--data", d.toString(), "--lr", "0.1", "--epochs", "15",
                "--out", dir.resolve("b").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("held out (stratified by y, seed 0); x <- columns 1-4, y <- column 5; batch 32;"
                + " accuracy of p"), r.out());
        String last = r.out().lines().filter(l -> l.startsWith("epoch 15/15")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(last.split("accuracy ")[1].split(" %")[0]);
        assertTrue(accuracy >= 87.5, last);
    }

    @Test
    void splitsAreSeededAndStandardizationIsSavedWithTheParams() throws IOException {
        Path m = model("col", "f32[B, 1]", "x @ W + b");
        TrainRun last = TrainRun.run("train", m.toString(), "--data", data.toString(), "--header", "--label", "t=5",
                "--features", "x=1-4", "--split", "last", "--held-out", "50", "--epochs", "1", "--out", dir.resolve("l").toString());
        assertTrue(last.out().contains("200 rows, 150 for training, 50 held out (the last);"), last.out());
        TrainRun z = TrainRun.run("train", m.toString(), "--data", data.toString(), "--header", "--label", "t=5",
                "--features", "x=1-4", "--standardize", "--seed", "4", "--epochs", "1", "--out", dir.resolve("z").toString());
        assertEquals(0, z.exit(), z.err());
        assertTrue(z.out().contains("(random, seed 4); x <- columns 1-4 (standardized), t <- column 5"), z.out());
        Safetensors.Contents params = Safetensors.readContents(dir.resolve("z/Lin.safetensors"));
        Standardization s = Standardization.fromMetadata(params.metadata());
        assertEquals("x", s.input());
        assertEquals(4, s.featureCount());
        for (int j = 0; j < 4; j++) {
            // uniform on [-1, 1]: mean near 0, std near 1/sqrt(3)
            assertEquals(0, s.mean()[j], 0.2, "mean of x" + (j + 1));
            assertEquals(1 / Math.sqrt(3), s.std()[j], 0.1, "std of x" + (j + 1));
        }
    }
}
