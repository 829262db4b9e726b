package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input to {@code adjoint train}: one clear message with its place, exit status 1, nothing written. */
class TrainBadInputTest {
    @TempDir
    Path dir;
    private Path model;
    private Path out;

    @BeforeEach
    void files() throws IOException {
        model = TrainRun.write(dir, "tiny.model", TrainRun.TINY);
        out = dir.resolve("run");
    }

    /** Runs train on {@code csv} (written to data.csv) and checks the failure: exit 1, nothing written. */
    private String fails(String csv, String... more) throws IOException {
        Path data = TrainRun.write(dir, "data.csv", csv);
        return failsOn(data, more);
    }

    private String failsOn(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("train", model.toString(), "--data", data.toString(), "--out",
                out.toString(), "--epochs", "1"));
        args.addAll(List.of(more));
        TrainRun r = TrainRun.run(args.toArray(String[]::new));
        assertEquals(1, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("wrote"), r.out());
        assertFalse(Files.exists(out), "nothing written");
        return r.err().replace(dir + "/", "");
    }

    @Test
    void aRowWithTheWrongColumnCount() throws IOException {
        assertEquals("data.csv:3:5: error: expected 5 columns, found 4\n",
                fails("0.1,0.2,0.3,0.4,1\n0.1,0.2,0.3,0.4,2\n0.1,0.2,0.3,1\n"));
    }

    @Test
    void aCellThatIsNotANumber() throws IOException {
        assertEquals("data.csv:2:2: error: 'abc' is not a number\n",
                fails("0.1,0.2,0.3,0.4,1\n0.1,abc,0.3,0.4,2\n"));
    }

    @Test
    void aLabelOutsideTheModelsClasses() throws IOException {
        assertEquals("data.csv:4:5: error: label 3 is outside [0, 3) (model input y has 3 classes)\n",
                fails(TrainRun.tinyCsv(3) + "0.1,0.2,0.3,0.4,3\n"));
    }

    @Test
    void aModelWithoutAnI32LabelInput() throws IOException {
        model = TrainRun.write(dir, "regression.model", """
                model Regression {
                  dim B
                  input x : f32[B, 4]
                  input t : f32[B, 1]
                  param W : f32[4, 1] = zeros
                  loss  l = mse(x @ W, t)
                }
                """);
        assertEquals("adjoint train: error: model Regression has no i32 input for the labels; for regression, name"
                + " the input of the targets with --label INPUT[=COLS] (an f32/f64 input [B] or [B, k]; its inputs:"
                + " x, t)\n", fails(TrainRun.tinyCsv(6)));
    }

    @Test
    void aHeaderWithoutHeader() throws IOException {
        assertEquals("data.csv:1:1: error: 'a' is not a number; if the first line is a header, add --header\n",
                fails("a,b,c,d,label\n" + TrainRun.tinyCsv(3)));
    }

    @Test
    void anEmptyFileAndAGzipFileWithNoRows() throws IOException {
        assertEquals("data.csv:1: error: the file is empty\n", fails(""));
        Path gz = dir.resolve("header-only.csv.gz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write("a,b,c,d,label\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.write(gz, bytes.toByteArray());
        assertEquals("header-only.csv.gz:1: error: the file has no data rows\n", failsOn(gz, "--header"));
    }

    /** The checkpoints are written on a thread of their own; a failed one still ends the run with its reason. */
    @Test
    void aCheckpointThatCannotBeWrittenEndsTheRunNamingIt() throws IOException {
        Path data = TrainRun.write(dir, "data.csv", TrainRun.tinyCsv(30));
        Files.createDirectories(out.resolve("checkpoint.safetensors/in-the-way"));
        for (String epochs : new String[] {"1", "3"}) {
            TrainRun r = TrainRun.run("train", model.toString(), "--data", data.toString(), "--out", out.toString(),
                    "--epochs", epochs);
            assertEquals(1, r.exit(), r.out() + r.err());
            assertEquals(out + ": error: cannot write the checkpoint: java.nio.file.FileSystemException: "
                    + out.resolve("checkpoint.safetensors").toAbsolutePath() + ": a directory is in the way\n", r.err(),
                    "after " + epochs + " epochs");
            assertFalse(r.out().contains("wrote"), r.out());
            try (java.util.stream.Stream<Path> files = Files.list(out)) {
                assertEquals(List.of("checkpoint.safetensors"), files.map(p -> p.getFileName().toString()).toList(),
                        "no params, charts or temporary files");
            }
        }
    }

    @Test
    void whenOneOfTheThreeFilesCannotBeWrittenNoneIs() throws IOException {
        Path data = TrainRun.write(dir, "data.csv", TrainRun.tinyCsv(30));
        Files.createDirectories(out.resolve("loss.png/in-the-way"));
        TrainRun r = TrainRun.run("train", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertEquals(out + ": error: cannot write " + out.resolve("loss.png").toAbsolutePath() + ": a directory is in the"
                + " way; nothing was written\n", r.err());
        assertFalse(r.out().contains("wrote"), r.out());
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("checkpoint.safetensors", "loss.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "neither the params nor the other charts, nor a temporary file (the checkpoint is written after"
                    + " every epoch)");
        }
    }

    @Test
    void badGzipFilesSayWhy() throws IOException {
        assertEquals("zero.csv.gz: error: the file is empty (0 bytes), not gzip data\n",
                failsOn(Files.write(dir.resolve("zero.csv.gz"), new byte[0])));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(bytes)) {
            zip.write(TrainRun.tinyCsv(30).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] good = bytes.toByteArray();
        assertEquals("cut.csv.gz: error: the gzip data ends early, at byte 40: the file is truncated\n",
                failsOn(Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(good, 40))));
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3);
        assertEquals("trailing.csv.gz: error: trailing data after the gzip data, at byte " + good.length + "\n",
                failsOn(Files.write(dir.resolve("trailing.csv.gz"), trailing)));
    }

    @Test
    void invalidUtf8AndControlCharactersInTheData() throws IOException {
        byte[] csv = TrainRun.tinyCsv(3).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int secondLine = new String(csv, java.nio.charset.StandardCharsets.UTF_8).indexOf('\n') + 1;
        csv[secondLine + 2] = (byte) 0xff;
        assertEquals("data.csv:2: error: invalid UTF-8 (byte 0xff) at character 3; the file must be UTF-8 text\n",
                failsOn(Files.write(dir.resolve("data.csv"), csv)));
        assertEquals("data.csv:1:5: error: label '\\u001b[31m' is not an integer (model input y has 3 classes); if the"
                + " first line is a header, add --header\n",
                fails("1,2,3,4,\u001b[31m\n"));
    }

    @Test
    void moreFeatureColumnsThanTheInputTakes() throws IOException {
        assertEquals("data.csv: error: the file has 5 feature columns (1-5, every column but the label 6), but input"
                + " x : f32[B, 4] takes 4 per row; choose them with --features x=COLS\n",
                fails("1,2,3,4,5,0\n"));
        assertEquals("data.csv: error: --features selects 3 feature columns (1-3), but input x : f32[B, 4] takes 4"
                + " per row\n", fails(TrainRun.tinyCsv(6), "--features", "x=1-3"));
        assertEquals("data.csv: error: feature column 7 (--features) is past the 5 columns of the file\n",
                fails(TrainRun.tinyCsv(6), "--features", "x=1-3,7"));
        assertEquals("data.csv: error: column 4 is both a feature and the label of y\n",
                fails(TrainRun.tinyCsv(6), "--features", "x=1-4", "--label", "y=4"));
    }

    @Test
    void unknownInputsInTheBindingOptions() throws IOException {
        String csv = TrainRun.tinyCsv(6);
        assertEquals("adjoint train: error: --features: model Tiny has no input z (its inputs: x, y)\n",
                fails(csv, "--features", "z"));
        assertEquals("adjoint train: error: --label: model Tiny has no input labels (its inputs: x, y)\n",
                fails(csv, "--label", "labels=5"));
        assertEquals("adjoint train: error: input y : i32[B] cannot take feature columns: it must be f32[B, F] or"
                + " f64[B, F] with a dim B for the rows\n", fails(csv, "--features", "y", "--label", "x"));
        assertEquals("adjoint train: error: --features x=0-3: '0-3' is not a column range (columns count from 1; a"
                + " range is FIRST-LAST)\n", fails(csv, "--features", "x=0-3"));
    }

    @Test
    void initFromWithMissingExtraAndMisshapenTensors() throws IOException {
        Path params = dir.resolve("bad.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("W", FloatTensor.zeros(4, 2));
        tensors.put("c", FloatTensor.zeros(3));
        Safetensors.write(params, tensors, Map.of());
        assertEquals("bad.safetensors: error: tensor W is f32[4, 2], but param W is f32[4, 3]\n"
                + "bad.safetensors: error: missing tensor b for param b : f32[3]\n"
                + "bad.safetensors: error: tensor c is not a param of model Tiny (its params: W, b)\n",
                fails(TrainRun.tinyCsv(6), "--init-from", params.toString()));
        assertEquals("missing.safetensors: error: no such file\n",
                fails(TrainRun.tinyCsv(6), "--init-from", dir.resolve("missing.safetensors").toString()));
        Files.writeString(dir.resolve("junk.safetensors"), "not a safetensors file");
        String junk = fails(TrainRun.tinyCsv(6), "--init-from", dir.resolve("junk.safetensors").toString());
        org.junit.jupiter.api.Assertions.assertTrue(junk.startsWith("junk.safetensors: error: "), junk);
    }

    @Test
    void badOptionValues() throws IOException {
        String csv = TrainRun.tinyCsv(6);
        assertEquals("adjoint train: error: --held-out 6: holding out 6 of 6 rows leaves none for training\n",
                fails(csv, "--held-out", "6"));
        assertEquals("adjoint train: error: --optimizer rmsprop: expected sgd, adam or adamw\n",
                fails(csv, "--optimizer", "rmsprop"));
        assertEquals("adjoint train: error: --schedule step:10: expected step:EVERY:GAMMA, such as step:1000:0.5\n",
                fails(csv, "--schedule", "step:10"));
        assertEquals("adjoint train: error: --nesterov applies to --optimizer sgd only (Adam's momentum is built"
                + " in)\n", fails(csv, "--nesterov"));
        assertEquals("adjoint train: error: --accuracy nll2: model Tiny has no output nll2 (its outputs: probs)\n",
                fails(csv, "--accuracy", "nll2"));
    }
}
