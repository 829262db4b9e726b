package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Safetensors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit entry point on the bundled digits data, in local[2]: it compiles the model in the
 * driver, reads the gzip-compressed CSV, spreads it over two partitions, trains and writes the params.
 * The runs share the class's session (the command uses a running session and leaves it running).
 */
class SparkTrainMainTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("main").config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final Path MODELS = Path.of("..", "samples", "models");
  private static final Path DIGITS = Path.of("..", "samples", "data", "digits.csv.gz");

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SparkTrain.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void trainsTheDigitsSampleOnTwoPartitionsAndWritesTheParams(@TempDir Path dir) throws IOException {
    Result r = run(MODELS.resolve("digits.model").toString(), "--data", DIGITS.toString(), "--master", "local[2]",
        "--partitions", "2", "--epochs", "2", "--batch-size", "64", "--out", dir.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("1797 rows, 1437 for training, 360 held out (the last); x <- columns 1-64,"
        + " y <- column 65; batch 64; accuracy of probs; 2 partitions on local[2]"), r.out());
    Matcher m = Pattern.compile("epoch 2/2 .* accuracy ([0-9.]+) %").matcher(r.out());
    assertTrue(m.find(), r.out());
    double accuracy = Double.parseDouble(m.group(1));
    assertTrue(accuracy > 70, "held-out accuracy after 2 epochs: " + accuracy + " %");
    Path params = dir.resolve("DigitsMlp.safetensors");
    assertTrue(r.out().contains("wrote " + params), r.out());
    Map<String, Tensor> tensors = Safetensors.read(params);
    assertEquals(java.util.List.of("W1", "b1", "W2", "b2"), java.util.List.copyOf(tensors.keySet()));
    assertEquals("f32[64, 32]", tensors.get("W1").typeString());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the params file, no temporary left behind");
    }
  }

  @Test
  void aBadCellOrAMalformedLineInTheCsvFileIsAnErrorNamingItsRow(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "0.5,1,0\n0.25,2,1\n0.75,x,1\n");
    Path model = dir.resolve("tiny.model");
    Files.writeString(model, """
        model Tiny {
          dim B
          input x : f32[B, 2]
          input y : i32[B]
          param W : f32[2, 2] = zeros
          loss l = mean(cross_entropy(x @ W, y))
        }
        """);
    Result r = run(model.toString(), "--data", csv.toString(), "--held-out", "0", "--out", dir.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertEquals(csv + ": error: partition 0, row 3 (data row 3): column _c1: 'x' is not a number\n",
        r.err().replace("\r\n", "\n"));
    Files.writeString(csv, "0.5,1,0\n0.25,2,1,7\n");
    Result m = run(model.toString(), "--data", csv.toString(), "--held-out", "0", "--out", dir.toString());
    assertEquals(1, m.exit(), m.out() + m.err());
    assertTrue(m.err().startsWith(csv + ": error: partition 0, row 2 (data row 2): malformed record '0.25,2,1,7'"),
        m.err());
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "nothing written");
    }
  }

  @Test
  void readsParquetAndEvaluatesTheParamsItWrote(@TempDir Path dir) throws IOException {
    String parquet = dir.resolve("digits.parquet").toString();
    spark.read().csv(DIGITS.toString()).write().parquet(parquet);
    Path out = dir.resolve("out");
    Result trained = run(MODELS.resolve("digits.model").toString(), "--data", parquet, "--held-out", "300",
        "--batch-size", "256", "--epochs", "1", "--partitions", "2", "--out", out.toString());
    assertEquals(0, trained.exit(), trained.out() + trained.err());
    Matcher last = Pattern.compile("epoch 1/1 .*(held-out loss [0-9.]+  accuracy [0-9.]+ %)").matcher(trained.out());
    assertTrue(last.find(), trained.out());
    Result evaluated = run(MODELS.resolve("digits.model").toString(), "--data", parquet, "--held-out", "300",
        "--epochs", "0", "--init-from", out.resolve("DigitsMlp.safetensors").toString());
    assertEquals(0, evaluated.exit(), evaluated.out() + evaluated.err());
    assertTrue(evaluated.out().contains(last.group(1)), "the same held-out loss and accuracy: " + last.group(1)
        + " in " + evaluated.out());
  }
}
