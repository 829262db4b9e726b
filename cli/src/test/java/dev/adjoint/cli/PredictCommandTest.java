package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code adjoint predict}, as a new user runs it after {@code adjoint train}: the saved params and running statistics,
 * CSV rows without labels in, one CSV row of outputs and argmax out; and the running statistics and dropout step in
 * {@code --resume} and {@code --init-from}.
 */
class PredictCommandTest {
    /** The tiny classifier of {@link TrainRun#TINY} with a batch norm and dropout. */
    static final String TINY_BN = """
            model TinyBn {
              dim B
              input  x : f32[B, 4]
              input  y : i32[B]
              param  W : f32[4, 8] = glorot_uniform
              param  g : f32[8]    = ones
              param  c : f32[8]    = zeros
              param  V : f32[8, 3] = glorot_uniform
              param  b : f32[3]    = zeros
              h      = dropout(relu(batch_norm(x @ W, g, c)), 0.25)
              logits = h @ V + b
              output probs = softmax(logits, axis=-1)
              loss   nll   = mean(cross_entropy(logits, y))
            }
            """;

    @TempDir
    static Path dir;
    private static Path model;
    private static Path data;
    private static Path out;

    @BeforeAll
    static void trained() throws IOException {
        model = TrainRun.write(dir, "tiny_bn.model", TINY_BN);
        data = TrainRun.write(dir, "tiny.csv", TrainRun.tinyCsv(90));
        out = dir.resolve("run");
        TrainRun r = TrainRun.run("train", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "8", "--batch-size", "16", "--standardize", "--no-plots");
        assertEquals(0, r.exit(), r.err());
    }

    private static Path params() {
        return out.resolve("TinyBn.safetensors");
    }

    @Test
    void theParamsFileHoldsTheRunningStatisticsUnderPyTorchsNames() throws IOException {
        Map<String, Tensor> saved = Safetensors.read(params());
        assertEquals(List.of("W", "g", "c", "V", "b", "g.running_mean", "g.running_var"), List.copyOf(saved.keySet()));
        float[] var = ((FloatTensor) saved.get("g.running_var")).data();
        float[] mean = ((FloatTensor) saved.get("g.running_mean")).data();
        boolean moved = false;
        for (int i = 0; i < var.length; i++) {
            assertTrue(var[i] > 0, "a variance");
            moved |= mean[i] != 0 && var[i] != 1;
        }
        assertTrue(moved, "training steps moved the running statistics from their start");
    }

    @Test
    void predictsEveryRowFromTheSavedParamsWithoutLabels() throws IOException {
        Path pred = dir.resolve("pred.csv");
        CliRun r = CliRun.run("predict", model.toString(), "--params", params().toString(), "--data", data.toString(),
                "--features", "x=1-4", "--out", pred.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("wrote " + pred + " (90 rows)\n", r.out());
        assertEquals("adjoint predict: TinyBn in evaluation mode on tiny.csv: 90 rows; x <- columns 1-4"
                + " (standardized); writing probs, argmax(probs)\n", r.err());
        List<String> lines = Files.readAllLines(pred);
        List<String> rows = Files.readAllLines(data);
        assertEquals(90, lines.size());
        int right = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            assertEquals(4, cells.length, lines.get(i));
            double sum = 0;
            int best = 0;
            for (int j = 0; j < 3; j++) {
                double p = Double.parseDouble(cells[j]);
                sum += p;
                best = p > Double.parseDouble(cells[best]) ? j : best;
            }
            assertEquals(1, sum, 1e-5, "probabilities of row " + (i + 1));
            assertEquals(best, Integer.parseInt(cells[3]), "the argmax of row " + (i + 1));
            String[] row = rows.get(i).split(",");
            right += row[4].equals(cells[3]) ? 1 : 0;
        }
        assertTrue(right >= 80, right + " of 90 rows predicted right");

        // a file of features alone, one row at a time: the same predictions (evaluation mode)
        StringBuilder features = new StringBuilder();
        rows.forEach(l -> features.append(l, 0, l.lastIndexOf(',')).append('\n'));
        Path x = TrainRun.write(dir, "x.csv", features.toString());
        CliRun one = CliRun.run("predict", model.toString(), "--params", params().toString(), "--data", x.toString(),
                "--batch-size", "1");
        assertEquals(0, one.exit(), one.err());
        assertEquals(Files.readString(pred), one.out(), "every column of a features-only file; batch 1");
    }

    @Test
    void aHeaderNamesTheColumns() throws IOException {
        Path withHeader = TrainRun.write(dir, "h.csv", "a,b,c,d,label\n" + String.join("\n",
                Files.readAllLines(data).subList(0, 3)) + "\n");
        CliRun r = CliRun.run("predict", model.toString(), "--params", params().toString(), "--data",
                withHeader.toString(), "--features", "x=1-4", "--header");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("probs[0],probs[1],probs[2],argmax(probs)", lines.get(0));
        assertEquals(4, lines.size());
    }

    @Test
    void mistakesAreNamedWithTheirFix() throws IOException {
        CliRun columns = CliRun.run("predict", model.toString(), "--params", params().toString(), "--data",
                data.toString());
        assertEquals(1, columns.exit());
        assertTrue(columns.err().contains("the file has 5 columns, but input x : f32[B, 4] takes 4 per row; choose"
                + " them with --features x=COLS (say, x=1-4)"), columns.err());
        CliRun labels = CliRun.run("predict", model.toString(), "--params", params().toString(), "--data",
                data.toString(), "--features", "y=5");
        assertEquals(1, labels.exit());
        assertTrue(labels.err().contains("--features y: the outputs of model TinyBn need no input y (they need x)"),
                labels.err());
        CliRun missing = CliRun.run("predict", model.toString(), "--params", dir.resolve("nope.safetensors")
                .toString(), "--data", data.toString(), "--features", "x=1-4");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("nope.safetensors: error: no such file"), missing.err());
        Path other = TrainRun.write(dir, "tiny.model", TrainRun.TINY);
        CliRun mismatch = CliRun.run("predict", other.toString(), "--params", params().toString(), "--data",
                data.toString(), "--features", "x=1-4");
        assertEquals(1, mismatch.exit());
        assertTrue(mismatch.err().contains("tensor W is f32[4, 8], but param W is f32[4, 3]"), mismatch.err());
        assertTrue(mismatch.err().contains("tensor g.running_mean is not a param of model Tiny"), mismatch.err());
        mismatch.assertNoStackTrace();
    }

    @Test
    void aResumedRunOfABatchNormedModelWithDropoutWritesTheSameParams() throws IOException {
        Path parts = dir.resolve("parts");
        TrainRun first = TrainRun.run("train", model.toString(), "--data", data.toString(), "--out", parts.toString(),
                "--epochs", "8", "--batch-size", "16", "--standardize", "--no-plots", "--stop-after", "3");
        assertEquals(0, first.exit(), first.err());
        TrainRun rest = TrainRun.run("train", "--resume", parts.toString());
        assertEquals(0, rest.exit(), rest.err());
        assertArrayEquals(Files.readAllBytes(params()), Files.readAllBytes(parts.resolve("TinyBn.safetensors")),
                "running statistics and dropout masks continue exactly");
    }

    @Test
    void initFromLoadsTheRunningStatisticsToo() {
        Path again = dir.resolve("again");
        TrainRun r = TrainRun.run("train", model.toString(), "--data", data.toString(), "--out", again.toString(),
                "--epochs", "1", "--batch-size", "16", "--no-plots", "--init-from", params().toString());
        assertEquals(0, r.exit(), r.err());
        // the trained params with their running statistics: right from the first held-out evaluation
        String epoch = r.out().lines().filter(l -> l.startsWith("epoch 1/1")).findFirst().orElseThrow();
        assertTrue(Double.parseDouble(epoch.split("accuracy ")[1].split(" %")[0]) >= 85, epoch);
        Path noStatistics = dir.resolve("params-only.safetensors");
        TrainRun bad = TrainRun.run("train", model.toString(), "--data", data.toString(), "--out", again.toString(),
                "--epochs", "1", "--no-plots", "--init-from", writeParamsOnly(noStatistics).toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("missing tensor g.running_mean for buffer g.running_mean : f32[8] (a running"
                + " statistic of batch_norm)"), bad.err());
    }

    private Path writeParamsOnly(Path file) {
        try {
            Map<String, Tensor> all = new java.util.LinkedHashMap<>(Safetensors.read(params()));
            all.keySet().removeIf(k -> k.contains("running"));
            Safetensors.write(file, all, Map.of());
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
