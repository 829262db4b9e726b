package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --stop-after} and {@code --resume}: a run continued from its checkpoint writes the same params file, byte for
 * byte, as the run that never stopped.
 */
class TrainResumeTest {
    @TempDir
    Path dir;
    private Path model;
    private Path data;

    @BeforeEach
    void files() throws IOException {
        model = TrainRun.write(dir, "tiny.model", TrainRun.TINY);
        data = TrainRun.write(dir, "tiny.csv", TrainRun.tinyCsv(90));
    }

    private TrainRun train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", model.toString(), "--data", data.toString(), "--out",
                out.toString(), "--epochs", "6", "--batch-size", "16", "--warmup", "5", "--clip-norm", "1.5",
                "--standardize", "--no-plots"));
        args.addAll(List.of(more));
        return TrainRun.run(args.toArray(String[]::new));
    }

    @Test
    void aResumedRunWritesTheSameParamsAsOneThatNeverStopped() throws IOException {
        for (String optimizer : new String[] {"adam", "sgd"}) {
            Path whole = dir.resolve(optimizer + "-whole");
            Path parts = dir.resolve(optimizer + "-parts");
            assertEquals(0, train(whole, "--optimizer", optimizer).exit());
            TrainRun first = train(parts, "--optimizer", optimizer, "--stop-after", "2");
            assertEquals(0, first.exit(), first.err());
            assertEquals(2, first.epochLines(), first.out());
            assertTrue(first.out().contains("stopped after epoch 2 of 6 (--stop-after); continue with: adjoint train"
                    + " --resume " + parts), first.out());
            TrainRun second = TrainRun.run("train", "--resume", parts.toString(), "--stop-after", "4");
            assertEquals(0, second.exit(), second.err());
            assertTrue(second.out().contains(parts.resolve("checkpoint.safetensors") + ": continuing after epoch 2"
                    + " (step 10)"), second.out());
            assertEquals(List.of("epoch 3/6", "epoch 4/6"), epochs(second));
            TrainRun third = TrainRun.run("train", "--resume", parts.toString());
            assertEquals(0, third.exit(), third.err());
            assertEquals(List.of("epoch 5/6", "epoch 6/6"), epochs(third));
            assertArrayEquals(Files.readAllBytes(whole.resolve("Tiny.safetensors")),
                    Files.readAllBytes(parts.resolve("Tiny.safetensors")), optimizer + ": byte for byte");
            TrainRun done = TrainRun.run("train", "--resume", parts.toString());
            assertEquals(0, done.exit(), done.err());
            assertEquals("the run in " + parts + " is complete (6 of 6 epochs, 30 steps); nothing to do\n",
                    done.out());
        }
    }

    @Test
    void aRunThatDivergesKeepsTheCheckpointOfItsLastWholeEpoch() throws IOException {
        Path quartic = TrainRun.write(dir, "quartic.model", """
                model Quartic {
                  param x : f64[3] = ones
                  loss l = sum(x ^ 4)
                }
                """);
        Path out = dir.resolve("q");
        TrainRun r = TrainRun.run("train", quartic.toString(), "--optimizer", "sgd", "--momentum", "0", "--lr", "10",
                "--schedule", "constant", "--steps-per-epoch", "1", "--epochs", "9", "--out", out.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().contains("adjoint train: error: training diverged at step 5 (epoch 5)"), r.err());
        assertTrue(r.err().endsWith("; the params were not written (the checkpoint of the last whole epoch is "
                + out.resolve("checkpoint.safetensors") + ")\n"), r.err());
        assertFalse(Files.exists(out.resolve("Quartic.safetensors")));
        assertTrue(Files.exists(out.resolve("checkpoint.safetensors")));
    }

    private static List<String> epochs(TrainRun r) {
        return r.out().lines().filter(l -> l.startsWith("epoch ")).map(l -> l.substring(0, 9)).toList();
    }

    @Test
    void aResumedRunKeepsItsOptionsAndItsFiles() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--stop-after", "1").exit());
        TrainRun r = TrainRun.run("train", "--resume", out.toString(), "--lr", "0.5");
        assertEquals(1, r.exit());
        assertEquals("adjoint train: error: --lr cannot go with --resume: a resumed run keeps the options it was"
                + " started with (only --stop-after, --no-plots, --no-progress, --quiet may be given)\n", r.err());
        r = TrainRun.run("train", model.toString(), "--resume", out.toString());
        assertEquals("adjoint train: error: --resume takes the model from the run's checkpoint: give no"
                + " FILE.model\n", r.err());
        Files.writeString(data, TrainRun.tinyCsv(91));
        r = TrainRun.run("train", "--resume", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(data + ": error: the data file has changed since the run in " + out
                + " began, so it cannot be continued exactly"), r.err());
        r = TrainRun.run("train", "--resume", dir.resolve("nowhere").toString());
        assertEquals(dir.resolve("nowhere") + ": error: no such directory\n", r.err());
        r = TrainRun.run("train", "--resume", dir.toString());
        assertEquals(dir + ": error: no checkpoint.safetensors here: --resume takes the output directory of a run"
                + " of adjoint train (its --out)\n", r.err());
        assertFalse(Files.exists(out.resolve("loss.png")), "--no-plots was kept");
    }
}
