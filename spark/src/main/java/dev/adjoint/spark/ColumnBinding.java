package dev.adjoint.spark;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.InputSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How the columns of a {@code Dataset<Row>} feed a model, as {@code adjoint train} binds CSV
 * columns: the feature columns (numbers or numeric strings, or one array column) to one float input
 * {@code [B, F]}, the label column to one {@code i32} input {@code [B]}. Resolved on the driver
 * against the schema and the model; used on the executors to read each row, with a
 * {@link BadRowException} for a row that does not fit.
 */
final class ColumnBinding implements Serializable {
  private static final long serialVersionUID = 1L;

  final String featureInput;
  final String labelInput;
  /** The feature columns' positions in the row; one position for an array column. */
  private final int[] featureColumns;
  private final String[] featureNames;
  private final boolean arrayColumn;
  private final int labelColumn;
  private final String labelName;
  final int featureCount;
  final boolean f64;
  /** Labels must lie in [0, classes); 0 when the class count is unknown. */
  private final int classes;
  /** The column where Spark's CSV reader puts a malformed record's text, or -1. */
  private final int malformedColumn;

  private ColumnBinding(String featureInput, String labelInput, int[] featureColumns, String[] featureNames,
      boolean arrayColumn, int labelColumn, String labelName, int featureCount, boolean f64, int classes,
      int malformedColumn) {
    this.featureInput = featureInput;
    this.labelInput = labelInput;
    this.featureColumns = featureColumns;
    this.featureNames = featureNames;
    this.arrayColumn = arrayColumn;
    this.labelColumn = labelColumn;
    this.labelName = labelName;
    this.featureCount = featureCount;
    this.f64 = f64;
    this.classes = classes;
    this.malformedColumn = malformedColumn;
  }

  /**
   * Binds the columns of {@code schema} to the model's inputs.
   *
   * @param featureInput the float input, or null for the model's only f32/f64 input
   * @param featureColumns the feature columns (one array column, or scalar columns), or null for every
   *     column but the label
   * @param labelInput the i32 input, or null for the model's only i32 input
   * @param labelColumn the label column, or null for the last column
   * @param classes the label input's class count, 0 if unknown
   * @param malformedColumn the column that holds the text of a malformed record (Spark's
   *     {@code columnNameOfCorruptRecord}), or null; it is neither a feature nor the label
   * @param firstArrayLength the length of an array column's first value, asked only for an array column
   *     bound to an input whose width is a symbol
   * @throws IllegalArgumentException naming the input or column and what does not fit
   */
  static ColumnBinding resolve(AdjointModel model, StructType schema, String featureInput,
      List<String> featureColumns, String labelInput, String labelColumn, int classes, String malformedColumn,
      ToIntFunction<String> firstArrayLength) {
    InputSpec y = pick(model, labelInput, false);
    InputSpec x = pick(model, featureInput, true);
    for (InputSpec s : model.inputs()) {
      if (s != x && s != y) {
        throw new IllegalArgumentException("model " + model.name() + " has an input " + s.name() + " : "
            + s.declared() + " that a Dataset's columns cannot feed: the feature columns go to one f32/f64"
            + " input [B, F], the label column to one i32 input [B]");
      }
    }
    if (x == y) {
      throw new IllegalArgumentException("the features and the label both go to input " + x.name());
    }
    if (x.rank() != 2 || !(x.dims().get(0) instanceof Dim.Named batch)) {
      throw new IllegalArgumentException("input " + x.name() + " : " + x.declared() + " cannot take feature"
          + " columns: it must be f32[B, F] or f64[B, F] with a dim B for the rows");
    }
    if (y.rank() != 1 || !y.dims().get(0).equals(batch)) {
      throw new IllegalArgumentException("input " + y.name() + " : " + y.declared() + " cannot take the label"
          + " column: it must be i32[" + batch.name() + "], one label per row of " + x.name());
    }
    String[] names = schema.fieldNames();
    if (names.length == 0) {
      throw new IllegalArgumentException("the data has no columns");
    }
    int malformed = malformedColumn == null ? -1 : column(schema, malformedColumn, "malformed-record");
    int last = malformed == names.length - 1 ? names.length - 2 : names.length - 1;
    if (last < 0) {
      throw new IllegalArgumentException("the data has no columns");
    }
    int label = labelColumn == null ? last : column(schema, labelColumn, "label");
    if (label == malformed) {
      throw new IllegalArgumentException("column " + names[label] + " holds malformed records, not labels");
    }
    checkScalar(schema.fields()[label], "label");
    List<Integer> features = new ArrayList<>();
    if (featureColumns == null) {
      for (int c = 0; c < names.length; c++) {
        if (c != label && c != malformed) {
          features.add(c);
        }
      }
    } else {
      for (String name : featureColumns) {
        int c = column(schema, name, "feature");
        if (c == label) {
          throw new IllegalArgumentException("column " + name + " is both a feature and the label");
        }
        if (c == malformed) {
          throw new IllegalArgumentException("column " + name + " holds malformed records, not features");
        }
        if (features.contains(c)) {
          throw new IllegalArgumentException("feature column " + name + " is given twice");
        }
        features.add(c);
      }
    }
    if (features.isEmpty()) {
      throw new IllegalArgumentException("no feature columns: the data has only the label column "
          + names[label]);
    }
    boolean array = features.size() == 1 && schema.fields()[features.get(0)].dataType() instanceof ArrayType;
    Integer fixed = x.dims().get(1) instanceof Dim.Fixed f ? f.size() : null;
    int count;
    if (array) {
      StructField f = schema.fields()[features.get(0)];
      if (!isNumberType(((ArrayType) f.dataType()).elementType())) {
        throw new IllegalArgumentException("column " + f.name() + " is " + f.dataType().simpleString()
            + ": an array feature column must hold numbers");
      }
      count = fixed != null ? fixed : firstArrayLength.applyAsInt(f.name());
    } else {
      for (int c : features) {
        checkScalar(schema.fields()[c], "feature");
      }
      count = features.size();
      if (fixed != null && fixed != count) {
        throw new IllegalArgumentException("the data has " + count + " feature columns, but input " + x.name()
            + " : " + x.declared() + " takes " + fixed + " per row; choose the feature columns");
      }
    }
    String[] featureNames = new String[features.size()];
    for (int i = 0; i < featureNames.length; i++) {
      featureNames[i] = names[features.get(i)];
    }
    return new ColumnBinding(x.name(), y.name(), features.stream().mapToInt(Integer::intValue).toArray(),
        featureNames, array, label, names[label], count, x.elementType() == ElementType.F64, classes, malformed);
  }

  private static InputSpec pick(AdjointModel model, String name, boolean features) {
    List<String> all = new ArrayList<>();
    List<InputSpec> kind = new ArrayList<>();
    for (InputSpec s : model.inputs()) {
      if (name != null && s.name().equals(name)) {
        if ((s.elementType() == ElementType.I32) == features) {
          throw new IllegalArgumentException("input " + name + " of model " + model.name() + " is "
              + s.declared() + "; " + (features ? "features go to an f32 or f64 input" : "labels go to an i32"
              + " input"));
        }
        return s;
      }
      all.add(s.name());
      if ((s.elementType() == ElementType.I32) != features) {
        kind.add(s);
      }
    }
    String what = features ? "f32/f64 input for the features" : "i32 input for the labels";
    if (name != null) {
      throw new IllegalArgumentException("model " + model.name() + " has no input " + name + " (its inputs: "
          + (all.isEmpty() ? "none" : String.join(", ", all)) + ")");
    }
    if (kind.size() == 1) {
      return kind.get(0);
    }
    throw new IllegalArgumentException("model " + model.name() + (kind.isEmpty() ? " has no " + what
        : " has several candidates for the " + what + " (" + String.join(", ",
            kind.stream().map(InputSpec::name).toList()) + "): name one"));
  }

  private static int column(StructType schema, String name, String role) {
    String[] names = schema.fieldNames();
    for (int c = 0; c < names.length; c++) {
      if (names[c].equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("the data has no " + role + " column " + name + " (its columns: "
        + String.join(", ", names) + ")");
  }

  private static void checkScalar(StructField f, String role) {
    if (!isNumberType(f.dataType()) && !f.dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException("the " + role + " column " + f.name() + " is "
          + f.dataType().simpleString() + ": it must hold numbers (or numbers as text)");
    }
  }

  private static boolean isNumberType(DataType t) {
    return t instanceof NumericType || t instanceof DecimalType;
  }

  /** Which columns feed which input, for the plan: {@code x <- columns c1..c64, y <- column label}. */
  String describe() {
    String cols = arrayColumn ? "array column " + featureNames[0] + " (" + featureCount + " values)"
        : featureNames.length == 1 ? "column " + featureNames[0]
        : "columns " + featureNames[0] + ".." + featureNames[featureNames.length - 1] + " ("
            + featureNames.length + ")";
    return featureInput + " <- " + cols + ", " + labelInput + " <- column " + labelName;
  }

  /**
   * Reads one row: its features into {@code into} at {@code offset * featureCount}, and returns its label.
   *
   * @param partition the partition of the input Dataset, for messages
   * @param row the row within the partition, from 1, for messages
   * @param dataRow the row within the data set, from 1, for messages
   * @throws BadRowException if a cell is missing, not a finite number, or the label is not an integer in
   *     range
   */
  int read(Row r, double[] into, int offset, int partition, long row, long dataRow) {
    if (malformedColumn >= 0 && !r.isNullAt(malformedColumn)) {
      String text = r.getString(malformedColumn);
      throw new BadRowException(partition, row, dataRow, "malformed record '"
          + (text.length() > 80 ? text.substring(0, 77) + "..." : text) + "' (not as many cells as the"
          + " columns, or unbalanced quotes)");
    }
    int base = offset * featureCount;
    if (arrayColumn) {
      Object v = r.isNullAt(featureColumns[0]) ? null : r.getList(featureColumns[0]);
      if (v == null) {
        throw new BadRowException(partition, row, dataRow, "column " + featureNames[0] + " is empty (null)");
      }
      List<?> values = (List<?>) v;
      if (values.size() != featureCount) {
        throw new BadRowException(partition, row, dataRow, "column " + featureNames[0] + " has "
            + values.size() + " values, but input " + featureInput + " takes " + featureCount);
      }
      for (int i = 0; i < featureCount; i++) {
        into[base + i] = number(values.get(i), featureNames[0] + "[" + i + "]", partition, row, dataRow);
      }
    } else {
      for (int i = 0; i < featureCount; i++) {
        into[base + i] = number(r.get(featureColumns[i]), featureNames[i], partition, row, dataRow);
      }
    }
    double label = number(r.get(labelColumn), labelName, partition, row, dataRow);
    if (label != Math.rint(label) || Math.abs(label) > Integer.MAX_VALUE) {
      throw new BadRowException(partition, row, dataRow, "column " + labelName + ": label " + text(label)
          + " is not an integer");
    }
    if (label < 0 || (classes > 0 && label >= classes)) {
      throw new BadRowException(partition, row, dataRow, "column " + labelName + ": label " + text(label)
          + " is outside [0, " + (classes > 0 ? classes : "classes") + ")"
          + (classes > 0 ? " (model input " + labelInput + " has " + classes + " classes)" : ""));
    }
    return (int) label;
  }

  private static double number(Object v, String column, int partition, long row, long dataRow) {
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw new BadRowException(partition, row, dataRow, "column " + column + ": '" + s + "' is not a number");
      }
    } else if (v == null) {
      throw new BadRowException(partition, row, dataRow, "column " + column + " is empty (null)");
    } else {
      throw new BadRowException(partition, row, dataRow, "column " + column + ": " + v + " is not a number");
    }
    if (!Double.isFinite(d)) {
      throw new BadRowException(partition, row, dataRow, "column " + column + ": " + d
          + " is not a finite number");
    }
    return d;
  }

  private static String text(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  @Override
  public String toString() {
    return describe() + (f64 ? " (f64)" : " (f32)") + Arrays.toString(featureColumns);
  }
}
