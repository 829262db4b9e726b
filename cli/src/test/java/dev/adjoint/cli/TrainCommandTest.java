package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code adjoint train}: what it prints and writes, determinism, {@code --init-from}, data-less training. */
class TrainCommandTest {
    @TempDir
    Path dir;
    private Path model;
    private Path data;

    @BeforeEach
    void files() throws IOException {
        model = TrainRun.write(dir, "tiny.model", TrainRun.TINY);
        data = TrainRun.write(dir, "tiny.csv", TrainRun.tinyCsv(60));
    }

    private TrainRun train(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", model.toString(), "--data", data.toString(),
                "--out", out.toString(), "--lr", "0.2"));
        args.addAll(List.of(more));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "5"));
        }
        return TrainRun.run(args.toArray(String[]::new));
    }

    @Test
    void trainsPrintsEpochsAndWritesParamsAndCharts() throws IOException {
        Path out = dir.resolve("run");
        TrainRun r = train(out);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertEquals(5, r.epochLines(), r.out());
        assertTrue(r.out().contains("tiny.csv: 60 rows, 48 for training, 12 held out (stratified by y, seed 0);"
                + " x <- columns 1-4, y <- column 5; batch 32; accuracy of probs"), r.out());
        String last = r.out().lines().filter(l -> l.startsWith("epoch 5/5")).findFirst().orElseThrow();
        assertTrue(last.matches("epoch 5/5  train loss \\d\\.\\d{4}  held-out loss \\d\\.\\d{4}  accuracy \\d+\\.\\d\\d %"
                + "  \\(\\d+\\.\\d s\\)"), last);
        String first = r.out().lines().filter(l -> l.startsWith("epoch 1/5")).findFirst().orElseThrow();
        assertTrue(lossOf(last) < lossOf(first) / 2, first + "\n" + last);
        assertTrue(r.out().contains("gradient norms over 10 steps"), r.out());
        assertTrue(r.out().contains("wrote " + out.resolve("Tiny.safetensors")), r.out());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("Tiny.safetensors", "accuracy.png", "checkpoint.safetensors", "gradient-norms.png",
                    "loss.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
        Safetensors.Contents params = Safetensors.readContents(out.resolve("Tiny.safetensors"));
        assertEquals(List.of("W", "b"), List.copyOf(params.tensors().keySet()));
        assertEquals("f32[4, 3]", params.tensors().get("W").typeString());
        assertEquals("Tiny", params.metadata().get("model"));
        assertEquals("0", params.metadata().get("seed"));
        assertEquals("10", params.metadata().get("steps"));
        TrainPlotTest.assertPng(out.resolve("loss.png"));
        TrainPlotTest.assertPng(out.resolve("gradient-norms.png"));
        TrainPlotTest.assertPng(out.resolve("accuracy.png"));
    }

    @Test
    void theLargestBatchSizeTrainsOneStepPerEpoch() {
        TrainRun r = train(dir.resolve("big"), "--batch-size", "2147483647", "--no-plots");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("5 epochs of 1 steps"), r.out());
    }

    private static double lossOf(String epochLine) {
        return Double.parseDouble(epochLine.split("train loss ")[1].split(" ")[0]);
    }

    @Test
    void theSameSeedGivesTheSameParamsFileByteForByte() throws IOException {
        assertEquals(0, train(dir.resolve("a")).exit());
        assertEquals(0, train(dir.resolve("b")).exit());
        assertEquals(0, train(dir.resolve("c"), "--seed", "1").exit());
        byte[] a = Files.readAllBytes(dir.resolve("a/Tiny.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/Tiny.safetensors")));
        assertFalse(Arrays.equals(a, Files.readAllBytes(dir.resolve("c/Tiny.safetensors"))));
    }

    @Test
    void initFromGivesBackTheTrainedParamsAndTheirHeldOutLoss() {
        Path out = dir.resolve("run");
        TrainRun first = train(out);
        assertEquals(0, first.exit(), first.err());
        String last = first.out().lines().filter(l -> l.startsWith("epoch 5/5")).findFirst().orElseThrow();
        String heldOut = last.substring(last.indexOf("held-out loss"), last.indexOf("  ("));
        Path params = out.resolve("Tiny.safetensors");
        TrainRun eval = train(dir.resolve("eval"), "--init-from", params.toString(), "--epochs", "0");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains(heldOut + "\n"), heldOut + " in:\n" + eval.out());
        assertFalse(Files.exists(dir.resolve("eval")), "--epochs 0 writes nothing");
        TrainRun again = train(dir.resolve("again"), "--init-from", params.toString(), "--epochs", "1");
        assertEquals(0, again.exit(), again.err());
        assertTrue(Files.exists(dir.resolve("again/Tiny.safetensors")));
    }

    @Test
    void aModelWithoutInputsTrainsWithoutDataToATargetLoss() throws IOException {
        Path bowl = TrainRun.write(dir, "bowl.model", """
                model Bowl {
                  param x : f64[3] = zeros
                  loss  f = sum((x - 2)^2)
                }
                """);
        Path out = dir.resolve("bowl");
        TrainRun r = TrainRun.run("train", bowl.toString(), "--epochs", "4", "--steps-per-epoch", "250", "--lr", "0.1",
                "--target-loss", "1e-10", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("reached the target loss 1.000e-10 at step "), r.out());
        Tensor x = Safetensors.read(out.resolve("Bowl.safetensors")).get("x");
        for (int i = 0; i < 3; i++) {
            assertEquals(2.0, x.getAsDouble(i), 1e-4);
        }
        TrainRun withData = TrainRun.run("train", bowl.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(1, withData.exit());
        assertEquals("adjoint train: error: model Bowl has no inputs, so it trains without --data (give --epochs and"
                + " --steps-per-epoch)\n", withData.err());
        TrainRun noData = TrainRun.run("train", model.toString(), "--out", out.toString());
        assertEquals(1, noData.exit());
        assertEquals("adjoint train: error: model Tiny has inputs (x, y): give training data with --data FILE.csv\n",
                noData.err());
    }

    @Test
    void aNaNLossStopsNamingTheStepAndWritesNothing() throws IOException {
        Path quartic = TrainRun.write(dir, "quartic.model", """
                model Quartic {
                  param x : f64[2] = ones
                  loss  f = sum(x^4)
                }
                """);
        Path out = dir.resolve("nan");
        TrainRun r = TrainRun.run("train", quartic.toString(), "--optimizer", "sgd", "--lr", "1e6", "--out",
                out.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().contains("adjoint train: error: training diverged at step 4 (epoch 1): the loss is"
                + " Infinity; try a lower learning rate (it was 1e+06) or clip gradients (--clip-norm); nothing was"
                + " written"), r.err());
        assertFalse(r.out().contains("wrote"), r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void helpDescribesEveryOption() {
        TrainRun r = TrainRun.run("train", "--help");
        assertEquals(0, r.exit());
        for (String option : List.of("--data", "--model", "--features", "--label", "--header", "--held-out",
                "--batch-size", "--epochs", "--steps-per-epoch", "--optimizer", "--lr", "--momentum", "--nesterov",
                "--weight-decay", "--schedule", "--warmup", "--clip-norm", "--target-loss", "--accuracy", "--seed",
                "--init-from", "--out", "--no-plots", "--no-progress", "--quiet")) {
            assertTrue(r.out().contains(option), option);
        }
        assertNotNull(r.out());
    }
}
