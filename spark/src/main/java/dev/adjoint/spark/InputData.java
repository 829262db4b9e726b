package dev.adjoint.spark;

import dev.adjoint.cli.TrainException;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The entry point's data as Spark read it: the rows, their columns in order (those that {@code --features}
 * and {@code --label} count from 1), and the column where malformed CSV records land, if any.
 */
record InputData(Dataset<Row> rows, List<String> columns, String malformedColumn) {

  /** The column that holds the text of a malformed CSV record; no data column is called so. */
  static final String MALFORMED = "_adjoint_malformed_record";

  /**
   * Reads {@code path}: Parquet when {@code format} says so (or, without a format, the path ends in
   * {@code .parquet}), else CSV. CSV cells are all read as text, to be parsed by the binding, which names
   * the row of a bad one; a line with another number of cells lands in the malformed-record column
   * (Spark's {@code PERMISSIVE} mode) instead of being padded with nulls or cut.
   *
   * @throws TrainException for an unknown format, a path Spark cannot read, or empty data
   */
  static InputData read(SparkSession spark, String path, String format, boolean header) throws TrainException {
    String kind = format != null ? format.toLowerCase(Locale.ROOT)
        : path.toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv";
    if (!kind.equals("csv") && !kind.equals("parquet")) {
      throw TrainException.usage("--format " + format + ": expected csv or parquet");
    }
    StructType columns;
    Dataset<Row> rows;
    try {
      if (kind.equals("parquet")) {
        rows = spark.read().parquet(path);
        return new InputData(rows, List.of(rows.columns()), null);
      }
      DataFrameReader reader = spark.read().option("header", header).option("mode", "PERMISSIVE");
      columns = reader.csv(path).schema();
      rows = reader.schema(columns.add(MALFORMED, DataTypes.StringType, true))
          .option("columnNameOfCorruptRecord", MALFORMED).csv(path);
    } catch (Exception e) { // a missing path is an AnalysisException, a checked exception Scala does not declare
      throw TrainException.at(path, "cannot read: " + firstLine(e.getMessage()));
    }
    if (columns.fields().length == 0) {
      throw TrainException.at(path, "the data is empty");
    }
    return new InputData(rows, List.of(columns.fieldNames()), MALFORMED);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
