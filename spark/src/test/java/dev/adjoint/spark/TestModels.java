package dev.adjoint.spark;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.emit.InMemoryCompiler;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.DoubleTensor;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** A model compiled in memory (as the entry point compiles one) and small data sets for the tests. */
final class TestModels {
  private TestModels() {}

  /** An f64 perceptron of 4 features, 8 tanh units and 3 classes; its loss a mean over the rows. */
  static final String MLP = """
      model Mlp {
        dim B
        input  x  : f64[B, 4]
        input  y  : i32[B]
        param  W1 : f64[4, 8] = glorot_uniform
        param  b1 : f64[8]    = zeros
        param  W2 : f64[8, 3] = glorot_uniform
        param  b2 : f64[3]    = zeros
        h      = tanh(x @ W1 + b1)
        logits = h @ W2 + b2
        output probs = softmax(logits, axis=-1)
        loss   nll   = mean(cross_entropy(logits, y)) + 0.001 * sum(W1 * W1)
      }
      """;

  /** A compiled model class: its class files and the class, defined from them. */
  record Compiled(Map<String, byte[]> classFiles, Class<? extends AdjointModel> modelClass) {
    AdjointModel newInstance(long seed) {
      try {
        return modelClass.getConstructor(long.class).newInstance(seed);
      } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
          | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static Compiled compile(String source) {
    Compilation r = Compiler.compile(new SourceFile("test.model", source),
        Compiler.Options.of("adjoint.generated"));
    if (!r.ok()) {
      throw new IllegalStateException(r.diagnostics().format());
    }
    CompiledModel m = r.models().get(0);
    String name = m.qualifiedClassName();
    Map<String, byte[]> classes = m.classFiles();
    ClassLoader loader = InMemoryCompiler.loader(classes, AdjointModel.class.getClassLoader());
    try {
      return new Compiled(classes, loader.loadClass(name).asSubclass(AdjointModel.class));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code rows} rows of 4 features and a label 0..2 (the label's feature raised, plus noise). */
  static String csv(int rows, long seed) {
    StringBuilder sb = new StringBuilder();
    long state = seed;
    for (int r = 0; r < rows; r++) {
      int label = (int) ((r * 7 + seed) % 3);
      for (int f = 0; f < 4; f++) {
        state = state * 6364136223846793005L + 1442695040888963407L;
        double noise = ((state >>> 11) / (double) (1L << 53)) * 1.5;
        sb.append(String.format(Locale.ROOT, "%.17g,", noise + (f == label ? 1.0 : 0.0)));
      }
      sb.append(label).append('\n');
    }
    return sb.toString();
  }

  static CsvData read(String csv) {
    try {
      return CsvData.read(new StringReader(csv), "test.csv",
          CsvOptions.defaults().withFeatureType(dev.adjoint.runtime.ElementType.F64).withNumClasses(3));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rows of {@code data} as a Dataset with columns f1..fN (double) and label (int), in {@code slices} partitions. */
  static Dataset<Row> dataset(SparkSession spark, CsvData data, int slices) {
    int f = data.featureCount();
    double[] x = ((DoubleTensor) data.features()).data();
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < data.rows(); r++) {
      Object[] cells = new Object[f + 1];
      for (int i = 0; i < f; i++) {
        cells[i] = x[r * f + i];
      }
      cells[f] = data.labels().get(r);
      rows.add(RowFactory.create(cells));
    }
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < f; i++) {
      fields.add(DataTypes.createStructField("f" + (i + 1), DataTypes.DoubleType, false));
    }
    fields.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(jsc.parallelize(rows, slices), DataTypes.createStructType(fields));
  }

  static StructType schema(Dataset<Row> d) {
    return d.schema();
  }
}
