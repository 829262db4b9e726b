package dev.adjoint.runtime.io;

import dev.adjoint.runtime.ElementType;
import java.util.Arrays;

/**
 * How {@link CsvData#read} interprets a numeric CSV file. Immutable; each {@code with…} method
 * returns a changed copy. Column indices here are 0-based (error messages count columns from 1).
 *
 * <p>Defaults: the column count is inferred from the first data row; the last column is the
 * integer label; every other column is a feature; labels are not range-checked; there is no
 * header; features are {@code f32}.
 */
public final class CsvOptions {
  private static final CsvOptions DEFAULTS = new CsvOptions(0, null, -1, 0, false, ElementType.F32);

  private final int columns;
  private final int[] featureColumns;
  private final int labelColumn;
  private final int numClasses;
  private final boolean header;
  private final ElementType featureType;

  private CsvOptions(int columns, int[] featureColumns, int labelColumn, int numClasses, boolean header,
      ElementType featureType) {
    this.columns = columns;
    this.featureColumns = featureColumns;
    this.labelColumn = labelColumn;
    this.numClasses = numClasses;
    this.header = header;
    this.featureType = featureType;
  }

  /** The defaults described in the class comment. */
  public static CsvOptions defaults() {
    return DEFAULTS;
  }

  /** Every row must have exactly {@code columns} cells (instead of as many as the first row). */
  public CsvOptions withColumns(int columns) {
    if (columns <= 0) {
      throw new IllegalArgumentException("column count must be positive, got " + columns);
    }
    return new CsvOptions(columns, featureColumns, labelColumn, numClasses, header, featureType);
  }

  /** The feature columns, in the order they become features (instead of all but the label). */
  public CsvOptions withFeatureColumns(int... columns) {
    int[] copy = columns.clone();
    for (int c : copy) {
      if (c < 0) {
        throw new IllegalArgumentException("feature column index must be non-negative, got " + c);
      }
    }
    if (Arrays.stream(copy).distinct().count() != copy.length) {
      throw new IllegalArgumentException("feature columns repeat: " + Arrays.toString(copy));
    }
    return new CsvOptions(this.columns, copy, labelColumn, numClasses, header, featureType);
  }

  /** The label column (instead of the last). */
  public CsvOptions withLabelColumn(int column) {
    if (column < 0) {
      throw new IllegalArgumentException("label column index must be non-negative, got " + column);
    }
    return new CsvOptions(columns, featureColumns, column, numClasses, header, featureType);
  }

  /** Labels must lie in {@code [0, numClasses)}. */
  public CsvOptions withNumClasses(int numClasses) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
    }
    return new CsvOptions(columns, featureColumns, labelColumn, numClasses, header, featureType);
  }

  /** Whether the first line is a header to skip. */
  public CsvOptions withHeader(boolean header) {
    return new CsvOptions(columns, featureColumns, labelColumn, numClasses, header, featureType);
  }

  /** {@link ElementType#F32} (a {@code FloatTensor}) or {@link ElementType#F64} (a {@code DoubleTensor}). */
  public CsvOptions withFeatureType(ElementType type) {
    if (type != ElementType.F32 && type != ElementType.F64) {
      throw new IllegalArgumentException("features must be f32 or f64, got " + type);
    }
    return new CsvOptions(columns, featureColumns, labelColumn, numClasses, header, type);
  }

  /** The expected column count, or 0 to infer it from the first data row. */
  public int columns() {
    return columns;
  }

  /** The feature columns, or {@code null} for all but the label. */
  public int[] featureColumns() {
    return featureColumns == null ? null : featureColumns.clone();
  }

  /** The label column, or -1 for the last. */
  public int labelColumn() {
    return labelColumn;
  }

  /** The number of classes, or 0 when labels are not range-checked. */
  public int numClasses() {
    return numClasses;
  }

  /** Whether the first line is skipped. */
  public boolean header() {
    return header;
  }

  /** The element type of the features. */
  public ElementType featureType() {
    return featureType;
  }
}
