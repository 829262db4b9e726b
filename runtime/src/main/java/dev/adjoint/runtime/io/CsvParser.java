package dev.adjoint.runtime.io;

import dev.adjoint.runtime.ElementType;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Reads numeric CSV rows into growing flat arrays. Cells are separated by commas and trimmed of
 * spaces and tabs; quoting is not supported (a quoted cell is simply not a number). Blank lines
 * are skipped. Columns that are neither features nor targets are not looked at.
 */
final class CsvParser {
  private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf",
      "infinity", "+infinity", "-infinity");

  private final String source;
  private final CsvOptions options;
  private int columns;
  private int[] featureColumns;
  /** The target columns (one for labels), empty without targets. */
  private int[] targetColumns;

  private double[] features = new double[1024];
  private int[] labels = new int[64];
  private double[] values = new double[64];
  private int rows;

  private CsvParser(String source, CsvOptions options) {
    this.source = source;
    this.options = options;
    this.columns = options.columns();
  }

  /** Where the lines come from: {@code readLine} gives the next line, or null at the end. */
  interface LineSource {
    String readLine() throws IOException;
  }

  /**
   * The parsed rows: features row-major {@code [rows, featureCount]}; labels {@code [rows]} when the
   * targets are labels, else null; float targets row-major {@code [rows, targetCount]} when they are
   * values, else null.
   */
  record Parsed(double[] features, int[] labels, double[] values, int rows, int featureCount,
      int targetCount) {}

  static Parsed parse(LineSource reader, String source, CsvOptions options) throws IOException {
    CsvParser p = new CsvParser(source, options);
    int lineNumber = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1); // byte order mark
      }
      if ((lineNumber == 1 && options.header()) || line.isBlank()) {
        continue;
      }
      p.row(line, lineNumber);
    }
    if (p.rows == 0) {
      throw new CsvFormatException(source, Math.max(lineNumber, 1), 0,
          lineNumber == 0 ? "the file is empty" : "the file has no data rows");
    }
    int k = p.targetColumns.length;
    boolean labels = options.target() == CsvOptions.Target.LABEL;
    boolean values = options.target() == CsvOptions.Target.VALUE
        || options.target() == CsvOptions.Target.VALUES;
    return new Parsed(Arrays.copyOf(p.features, p.rows * p.featureColumns.length),
        labels ? Arrays.copyOf(p.labels, p.rows) : null,
        values ? Arrays.copyOf(p.values, p.rows * k) : null, p.rows, p.featureColumns.length, k);
  }

  private void row(String line, int lineNumber) throws IOException {
    String[] cells = split(line);
    if (featureColumns == null) {
      resolveColumns(cells.length);
    }
    if (cells.length != columns) {
      int column = Math.min(cells.length, columns) + 1; // first missing or first extra cell
      throw new CsvFormatException(source, lineNumber, column,
          "expected " + columns + " columns, found " + cells.length);
    }
    int f = featureColumns.length;
    if ((long) (rows + 1) * f > Integer.MAX_VALUE - 8) {
      throw new CsvFormatException(source, lineNumber, 0, "more than 2^31 feature values in one file");
    }
    if ((rows + 1) * f > features.length) {
      features = Arrays.copyOf(features, (int) Math.min(Integer.MAX_VALUE - 8,
          Math.max(2L * features.length, (long) (rows + 1) * f)));
    }
    for (int j = 0; j < f; j++) {
      int c = featureColumns[j];
      features[rows * f + j] = number(cells[c], lineNumber, c + 1);
    }
    readTargets(cells, lineNumber);
    rows++;
  }

  private void readTargets(String[] cells, int lineNumber) throws CsvFormatException {
    if (options.target() == CsvOptions.Target.LABEL) {
      if (rows == labels.length) {
        if (rows >= Integer.MAX_VALUE - 8) {
          throw new CsvFormatException(source, lineNumber, 0, "more than 2^31 rows in one file");
        }
        labels = Arrays.copyOf(labels, (int) Math.min(2L * labels.length, Integer.MAX_VALUE - 8));
      }
      int c = targetColumns[0];
      labels[rows] = label(cells[c], lineNumber, c + 1);
    } else if (targetColumns.length > 0) {
      int k = targetColumns.length;
      if ((long) (rows + 1) * k > Integer.MAX_VALUE - 8) {
        throw new CsvFormatException(source, lineNumber, 0, "more than 2^31 target values in one file");
      }
      if ((rows + 1) * k > values.length) {
        values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8,
            Math.max(2L * values.length, (long) (rows + 1) * k)));
      }
      for (int j = 0; j < k; j++) {
        int c = targetColumns[j];
        values[rows * k + j] = number(cells[c], lineNumber, c + 1);
      }
    }
  }

  /** Fixes the column layout from the options and, if not given, the first row's width. */
  private void resolveColumns(int firstRowWidth) {
    if (columns == 0) {
      columns = firstRowWidth;
    }
    int[] targets = options.targetColumns();
    targetColumns = targets == null ? new int[] {columns - 1} : targets;
    String what = options.target() == CsvOptions.Target.LABEL ? "label" : "target";
    for (int c : targetColumns) {
      if (c >= columns) {
        throw new IllegalArgumentException(source + ": " + what + " column index " + c
            + " is out of range for " + columns + " columns");
      }
    }
    int[] given = options.featureColumns();
    if (given == null) {
      featureColumns = java.util.stream.IntStream.range(0, columns)
          .filter(c -> !contains(targetColumns, c)).toArray();
    } else {
      for (int c : given) {
        if (c >= columns || contains(targetColumns, c)) {
          throw new IllegalArgumentException(source + ": feature column index " + c
              + (c < columns ? (what.equals("label") ? " is the label column" : " is a target column") : " is out of range for " + columns + " columns"));
        }
      }
      featureColumns = given;
    }
  }

  private static boolean contains(int[] columns, int c) {
    for (int x : columns) {
      if (x == c) {
        return true;
      }
    }
    return false;
  }

  private static String[] split(String line) {
    int count = 1;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        count++;
      }
    }
    String[] cells = new String[count];
    int start = 0;
    for (int k = 0; k < count; k++) {
      int end = line.indexOf(',', start);
      if (end < 0) {
        end = line.length();
      }
      cells[k] = trim(line, start, end);
      start = end + 1;
    }
    return cells;
  }

  private static String trim(String s, int from, int to) {
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }

  private double number(String cell, int line, int column) throws CsvFormatException {
    if (NON_FINITE.contains(cell.toLowerCase(Locale.ROOT))) {
      throw new CsvFormatException(source, line, column, quote(cell) + " is not a finite number");
    }
    if (!isDecimal(cell)) {
      throw new CsvFormatException(source, line, column, quote(cell) + " is not a number");
    }
    double v = Double.parseDouble(cell);
    boolean f32 = options.featureType() == ElementType.F32;
    if (Double.isInfinite(v) || (f32 && Float.isInfinite((float) v))) {
      throw new CsvFormatException(source, line, column,
          quote(cell) + " is out of range for " + options.featureType());
    }
    return v;
  }

  private int label(String cell, int line, int column) throws CsvFormatException {
    if (!isInteger(cell)) {
      throw new CsvFormatException(source, line, column, "label " + quote(cell) + " is not an integer");
    }
    long v;
    try {
      v = Long.parseLong(cell);
    } catch (NumberFormatException e) {
      v = Long.MAX_VALUE; // more digits than a long: certainly out of range
    }
    int classes = options.numClasses();
    if (v < 0 || v > Integer.MAX_VALUE || (classes > 0 && v >= classes)) {
      throw new CsvFormatException(source, line, column, "label " + cell + " is outside [0, "
          + (classes > 0 ? String.valueOf(classes) : "2^31") + ")");
    }
    return (int) v;
  }

  /** A cell in quotes for a message: escaped, and shortened to its first 40 characters. */
  private static String quote(String cell) {
    String shown = cell.length() <= 40 ? cell : cell.substring(0, 40) + "...";
    return "'" + Printable.escape(shown) + "'" + (cell.length() <= 40 ? ""
        : " (" + cell.length() + " characters)");
  }

  /** {@code [+-]? digits}. */
  static boolean isInteger(String s) {
    int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
    return i < s.length() && digitsEnd(s, i) == s.length();
  }

  /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?} — no hex, no suffixes. */
  static boolean isDecimal(String s) {
    int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
    int intEnd = digitsEnd(s, i);
    boolean hasDigits = intEnd > i;
    i = intEnd;
    if (i < s.length() && s.charAt(i) == '.') {
      int fracEnd = digitsEnd(s, i + 1);
      hasDigits |= fracEnd > i + 1;
      i = fracEnd;
    }
    if (!hasDigits) {
      return false;
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int expEnd = digitsEnd(s, i);
      if (expEnd == i) {
        return false;
      }
      i = expEnd;
    }
    return i == s.length();
  }

  private static int digitsEnd(String s, int i) {
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }
}
