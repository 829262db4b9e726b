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
 *
 * <p>The targets (what a model learns to predict) are one of, by {@link Target}:
 *
 * <ul>
 *   <li>{@link #withLabelColumn}: integer class labels, {@code i32 [rows]} (the default, last
 *       column);
 *   <li>{@link #withTargetColumn}: one float value per row, {@code [rows]}, for a regression input
 *       declared {@code f32[B]};
 *   <li>{@link #withTargetColumns}: {@code k} float values per row, {@code [rows, k]}, for an input
 *       declared {@code f32[B, k]} (also {@code k = 1});
 *   <li>{@link #withoutTargets}: none, for data to predict from.
 * </ul>
 *
 * <p>Float targets have the features' element type ({@link #withFeatureType}).
 */
public final class CsvOptions {
  private static final CsvOptions DEFAULTS =
      new CsvOptions(0, null, Target.LABEL, null, 0, false, ElementType.F32);

  /** What the target columns hold, and the shape they are read into. */
  public enum Target {
    /** Integer class labels, {@code i32 [rows]}. */
    LABEL,
    /** One float value per row, {@code [rows]}. */
    VALUE,
    /** Float values, {@code [rows, k]}. */
    VALUES,
    /** No targets. */
    NONE
  }

  private final int columns;
  private final int[] featureColumns;
  private final Target target;
  /** The target columns; null for the last column (one label or value), empty for none. */
  private final int[] targetColumns;
  private final int numClasses;
  private final boolean header;
  private final ElementType featureType;

  private CsvOptions(int columns, int[] featureColumns, Target target, int[] targetColumns,
      int numClasses, boolean header, ElementType featureType) {
    this.columns = columns;
    this.featureColumns = featureColumns;
    this.target = target;
    this.targetColumns = targetColumns;
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
    return new CsvOptions(columns, featureColumns, target, targetColumns, numClasses, header,
        featureType);
  }

  /**
   * The feature columns, in the order they become features (instead of all but the target
   * columns).
   */
  public CsvOptions withFeatureColumns(int... columns) {
    int[] copy = checkColumns("feature", columns);
    return new CsvOptions(this.columns, copy, target, targetColumns, numClasses, header,
        featureType);
  }

  /** Integer class labels from {@code column} (instead of the last column). */
  public CsvOptions withLabelColumn(int column) {
    if (column < 0) {
      throw new IllegalArgumentException("label column index must be non-negative, got " + column);
    }
    return new CsvOptions(columns, featureColumns, Target.LABEL, new int[] {column}, numClasses,
        header, featureType);
  }

  /** One float target per row, {@code [rows]}, from {@code column}: regression to a scalar. */
  public CsvOptions withTargetColumn(int column) {
    if (column < 0) {
      throw new IllegalArgumentException("target column index must be non-negative, got " + column);
    }
    return new CsvOptions(columns, featureColumns, Target.VALUE, new int[] {column}, numClasses,
        header, featureType);
  }

  /** Float targets {@code [rows, k]} from {@code k >= 1} columns, in the order given. */
  public CsvOptions withTargetColumns(int... columns) {
    int[] copy = checkColumns("target", columns);
    if (copy.length == 0) {
      throw new IllegalArgumentException("give at least one target column");
    }
    return new CsvOptions(this.columns, featureColumns, Target.VALUES, copy, numClasses, header,
        featureType);
  }

  /** No targets: every column is a feature unless {@link #withFeatureColumns} says otherwise. */
  public CsvOptions withoutTargets() {
    return new CsvOptions(columns, featureColumns, Target.NONE, new int[0], numClasses, header,
        featureType);
  }

  /** Labels must lie in {@code [0, numClasses)}. */
  public CsvOptions withNumClasses(int numClasses) {
    if (numClasses <= 0) {
      throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
    }
    return new CsvOptions(columns, featureColumns, target, targetColumns, numClasses, header,
        featureType);
  }

  /** Whether the first line is a header to skip. */
  public CsvOptions withHeader(boolean header) {
    return new CsvOptions(columns, featureColumns, target, targetColumns, numClasses, header,
        featureType);
  }

  /**
   * {@link ElementType#F32} (a {@code FloatTensor}) or {@link ElementType#F64} (a
   * {@code DoubleTensor}), for the features and float targets.
   */
  public CsvOptions withFeatureType(ElementType type) {
    if (type != ElementType.F32 && type != ElementType.F64) {
      throw new IllegalArgumentException("features must be f32 or f64, got " + type);
    }
    return new CsvOptions(columns, featureColumns, target, targetColumns, numClasses, header, type);
  }

  private static int[] checkColumns(String what, int[] columns) {
    int[] copy = columns.clone();
    for (int c : copy) {
      if (c < 0) {
        throw new IllegalArgumentException(what + " column index must be non-negative, got " + c);
      }
    }
    if (Arrays.stream(copy).distinct().count() != copy.length) {
      throw new IllegalArgumentException(what + " columns repeat: " + Arrays.toString(copy));
    }
    return copy;
  }

  /** The expected column count, or 0 to infer it from the first data row. */
  public int columns() {
    return columns;
  }

  /** The feature columns, or {@code null} for all but the target columns. */
  public int[] featureColumns() {
    return featureColumns == null ? null : featureColumns.clone();
  }

  /** What the target columns hold. */
  public Target target() {
    return target;
  }

  /**
   * The target columns, or {@code null} for the last column (the default label, or a target set
   * to the last column); empty without targets.
   */
  public int[] targetColumns() {
    return targetColumns == null ? null : targetColumns.clone();
  }

  /** The label column, or -1 for the last; -1 also when the targets are not labels. */
  public int labelColumn() {
    return target == Target.LABEL && targetColumns != null ? targetColumns[0] : -1;
  }

  /** The number of classes, or 0 when labels are not range-checked. */
  public int numClasses() {
    return numClasses;
  }

  /** Whether the first line is skipped. */
  public boolean header() {
    return header;
  }

  /** The element type of the features (and of float targets). */
  public ElementType featureType() {
    return featureType;
  }
}
