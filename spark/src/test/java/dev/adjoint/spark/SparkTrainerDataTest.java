package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.optim.Sgd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Binding columns, bad rows, the loss check and class shipping, in local[2]. */
class SparkTrainerDataTest {
  private static SparkSession spark;
  private static TestModels.Compiled mlp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("data").config("spark.ui.enabled", "false")
        .getOrCreate();
    mlp = TestModels.compile(TestModels.MLP);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static SparkTrainer.Builder builder(AdjointModel m, Dataset<Row> data) {
    return SparkTrainer.builder(m, Sgd.builder(m.parameters()).learningRate(0.1).build())
        .data(data).classFiles(mlp.classFiles()).labelClasses(3).batchSize(4).epochs(1);
  }

  /** Ten rows of text cells f1..f4, label, in two partitions of five; {@code bad} replaces one cell. */
  private static Dataset<Row> text(int badRow, int badColumn, String bad) {
    List<Row> rows = new ArrayList<>();
    String[] lines = TestModels.csv(10, 5).split("\n");
    for (int r = 0; r < 10; r++) {
      Object[] cells = lines[r].split(",");
      if (r == badRow) {
        cells[badColumn] = bad;
      }
      rows.add(RowFactory.create(cells));
    }
    List<StructField> fields = new ArrayList<>();
    for (String name : List.of("f1", "f2", "f3", "f4", "label")) {
      fields.add(DataTypes.createStructField(name, DataTypes.StringType, true));
    }
    return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2),
        DataTypes.createStructType(fields));
  }

  @ParameterizedTest(name = "row {0}, column {1}: ''{2}''")
  @CsvSource(nullValues = "NULL", delimiter = '|', value = {
      "7|1|abc|partition 1, row 3 (data row 8): column f2: 'abc' is not a number",
      "2|2|NULL|partition 0, row 3 (data row 3): column f3 is empty (null)",
      "9|4|5|partition 1, row 5 (data row 10): column label: label 5 is outside [0, 3) (model input y has 3 classes)",
      "0|4|1.5|partition 0, row 1 (data row 1): column label: label 1.5 is not an integer",
      "5|0|NaN|partition 1, row 1 (data row 6): column f1: NaN is not a finite number"})
  void aBadRowIsAnErrorNamingItsPartitionAndRow(int row, int column, String cell, String message) {
    AdjointModel m = mlp.newInstance(1);
    BadRowException e = assertThrows(BadRowException.class, () -> builder(m, text(row, column, cell)).build());
    assertEquals(message, e.getMessage());
    assertEquals(row + 1, e.dataRow());
  }

  @Test
  void aBadHeldOutRowIsReportedToo() {
    AdjointModel m = mlp.newInstance(1);
    BadRowException e = assertThrows(BadRowException.class,
        () -> builder(m, text(9, 3, "x")).holdOutLast(2).build());
    assertTrue(e.getMessage().startsWith("partition 1, row 5 (data row 10): column f4"), e.getMessage());
  }

  @Test
  void textCellsTrainAsNumbers() {
    AdjointModel m = mlp.newInstance(1);
    try (SparkTrainer t = builder(m, text(-1, 0, null)).holdOutLast(2).accuracy("probs").build()) {
      assertEquals(8, t.trainingRows());
      assertEquals("x <- columns f1..f4 (4), y <- column label", t.bindingDescription());
      assertEquals(2, t.fit().steps());
    }
  }

  @Test
  void anArrayColumnFeedsTheFeaturesAsScalarColumnsDo() {
    CsvData data = TestModels.read(TestModels.csv(40, 9));
    Dataset<Row> scalars = TestModels.dataset(spark, data, 2);
    Dataset<Row> arrays = scalars.selectExpr("array(f1, f2, f3, f4) AS pixels", "label");
    AdjointModel a = mlp.newInstance(3);
    AdjointModel b = mlp.newInstance(3);
    try (SparkTrainer ta = builder(a, scalars).batchSize(8).epochs(2).build();
        SparkTrainer tb = builder(b, arrays).features("x", "pixels").batchSize(8).epochs(2).build()) {
      assertEquals("x <- array column pixels (4 values), y <- column label", tb.bindingDescription());
      ta.fit();
      tb.fit();
    }
    assertEquals(0.0, SparkTrainerExactnessTest.maxRelativeDifference(a.parameters(), b.parameters()));
    assertTrue(SparkTrainerExactnessTest.maxRelativeDifference(a.parameters(),
        mlp.newInstance(3).parameters()) > 1e-3, "trained");
  }

  @Test
  void columnsThatDoNotFitTheModelAreErrorsBeforeAnyJob() {
    Dataset<Row> data = TestModels.dataset(spark, TestModels.read(TestModels.csv(8, 1)), 1);
    AdjointModel m = mlp.newInstance(1);
    assertEquals("the data has no feature column f9 (its columns: f1, f2, f3, f4, label)",
        assertThrows(IllegalArgumentException.class,
            () -> builder(m, data).features("x", "f1", "f9").build()).getMessage());
    assertEquals("the data has 3 feature columns, but input x : f64[B, 4] takes 4 per row; choose the feature"
        + " columns", assertThrows(IllegalArgumentException.class,
            () -> builder(m, data).features("x", "f1", "f2", "f3").build()).getMessage());
    assertEquals("model Mlp has no input z (its inputs: x, y)", assertThrows(IllegalArgumentException.class,
        () -> builder(m, data).features("z").build()).getMessage());
  }

  @Test
  void aLossThatSumsOverTheRowsIsRefused() {
    TestModels.Compiled summed = TestModels.compile(TestModels.MLP.replace("model Mlp", "model Summed")
        .replace("mean(cross_entropy(logits, y))", "sum(cross_entropy(logits, y))"));
    AdjointModel m = summed.newInstance(1);
    Dataset<Row> data = TestModels.dataset(spark, TestModels.read(TestModels.csv(8, 1)), 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainer.builder(m, Sgd.builder(m.parameters()).build()).data(data)
            .classFiles(summed.classFiles()).build());
    assertTrue(e.getMessage().startsWith("model Summed: the loss of 4 rows"), e.getMessage());
    assertTrue(e.getMessage().contains("not a sum over them"), e.getMessage());
  }

  @Test
  void aModelWithRunningStatisticsIsRefusedUntilSparkCarriesThem() {
    TestModels.Compiled bn = TestModels.compile(TestModels.MLP.replace("model Mlp", "model Normed")
        .replace("h      = tanh(x @ W1 + b1)", "h      = tanh(batch_norm(x @ W1, b1 + 1, b1))"));
    AdjointModel m = bn.newInstance(1);
    Dataset<Row> data = TestModels.dataset(spark, TestModels.read(TestModels.csv(8, 1)), 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainer.builder(m, Sgd.builder(m.parameters()).build()).data(data)
            .classFiles(bn.classFiles()).build());
    assertTrue(e.getMessage().startsWith("model Normed keeps state across steps (batch_norm.running_mean"),
        e.getMessage());
  }

  @Test
  void aClassCompiledInMemoryNeedsItsClassFiles() {
    AdjointModel m = mlp.newInstance(1);
    Dataset<Row> data = TestModels.dataset(spark, TestModels.read(TestModels.csv(8, 1)), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkTrainer.builder(m, Sgd.builder(m.parameters()).build()).data(data).build());
    assertTrue(e.getMessage().startsWith("model class adjoint.generated.Mlp is not on the application's class"
        + " path"), e.getMessage());
  }

  @Test
  void shippedClassFilesAreDefinedAgainWhereTheyArrive() throws IOException, ClassNotFoundException {
    ModelCode code = ModelCode.of(mlp.modelClass(), mlp.classFiles());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(code);
    }
    ModelCode arrived;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      arrived = (ModelCode) in.readObject();
    }
    Class<? extends AdjointModel> c = arrived.modelClass();
    assertEquals("adjoint.generated.Mlp", c.getName());
    assertNotSame(mlp.modelClass(), c, "defined from the bytes, not found through the driver's loader");
    assertNotSame(mlp.modelClass().getClassLoader(), c.getClassLoader());
    assertEquals(c, arrived.modelClass(), "once per JVM");
    AdjointModel copy = arrived.newInstance(1);
    assertTrue(Arrays.equals(((DoubleTensor) mlp.newInstance(1).parameters().get("W1")).data(),
        ((DoubleTensor) copy.parameters().get("W1")).data()), "the same model");
    assertEquals(arrived.forThisThread(), arrived.forThisThread(), "one instance per thread, reused");
  }

}
