package dev.adjoint.runtime.io;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A numeric data set loaded from CSV: features {@code [rows, features]} ({@code f32} or {@code f64})
 * and targets, in file order. The targets are integer labels {@code [rows]} by default, or float
 * values {@code [rows]} or {@code [rows, k]} for regression, or absent (see {@link CsvOptions}).
 *
 * <pre>{@code
 * CsvData digits = CsvData.read(Path.of("digits.csv.gz"), CsvOptions.defaults().withNumClasses(10));
 * CsvData.Split split = digits.split(360);
 * Batches batches = split.train().batches(32, 42);
 * while (batches.next()) {
 *   model.step((FloatTensor) batches.features(), batches.labels());
 * }
 * }</pre>
 *
 * <p>Problems with the file's content are {@link CsvFormatException}s naming file, line and column;
 * options that do not fit the file (a column index past its width) are
 * {@link IllegalArgumentException}s.
 */
public final class CsvData {
  private final Tensor features;
  /** Labels ({@link IntTensor}), float values ({@code [rows]} or {@code [rows, k]}), or null. */
  private final Tensor targets;
  private final int rows;

  CsvData(Tensor features, Tensor targets) {
    this.features = features;
    this.targets = targets;
    this.rows = features.dim(0);
  }

  /** A held-out split: rows for training and rows for evaluation, each in file order. */
  public record Split(CsvData train, CsvData heldOut) {}

  /** The longest line read, in bytes (a row of 100,000 features fits several times). */
  static final int MAX_LINE_BYTES = 16 << 20;

  /**
   * Reads a CSV file, decompressing it first if its name ends in {@code .gz}.
   *
   * @throws CsvFormatException for bad content (wrong column count, a cell that is not a finite
   *     number, a label that is not an integer in range, no data rows, bytes that are not UTF-8, a
   *     line longer than 16 MB)
   * @throws IOException if the file cannot be read or is not valid gzip (empty, truncated, corrupt,
   *     or with data after the gzip stream); the message starts with the path
   */
  public static CsvData read(Path path, CsvOptions options) throws IOException {
    try (InputStream in = open(path)) {
      Utf8.Lines lines = Utf8.lines(in, MAX_LINE_BYTES);
      return build(CsvParser.parse(() -> readLine(lines, path.toString()), path.toString(), options),
          options);
    } catch (CsvFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(path + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }
  }

  /**
   * The number of cells in the first data row of a CSV file (after the header line, if {@code
   * header}), or 0 if it has no data row; read as {@link #read(Path, CsvOptions)} reads it.
   *
   * @throws CsvFormatException for bytes that are not UTF-8 before that row
   * @throws IOException if the file cannot be read or is not valid gzip
   */
  public static int firstRowWidth(Path path, boolean header) throws IOException {
    try (InputStream in = open(path)) {
      Utf8.Lines lines = Utf8.lines(in, MAX_LINE_BYTES);
      String line;
      while ((line = readLine(lines, path.toString())) != null) {
        if (!(header && lines.lineNumber() == 1) && !line.isBlank()) {
          return line.split(",", -1).length;
        }
      }
      return 0;
    } catch (CsvFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(path + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }
  }

  private static InputStream open(Path path) throws IOException {
    boolean gzip = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    InputStream raw = Files.newInputStream(path);
    return gzip ? new GzipInput(raw) : raw;
  }

  /** A line, with bad bytes and overlong lines as {@link CsvFormatException}s at their line. */
  private static String readLine(Utf8.Lines lines, String source) throws IOException {
    try {
      return lines.readLine();
    } catch (Utf8.MalformedException e) {
      throw new CsvFormatException(source, e.line(), 0, e.problem().replace("); the file must be UTF-8 text",
          ") at character " + e.column() + "; the file must be UTF-8 text"));
    } catch (Utf8.LineTooLongException e) {
      throw new CsvFormatException(source, e.line, 0, "the line is longer than " + (MAX_LINE_BYTES >> 20)
          + " MB");
    }
  }

  /** Reads CSV text; {@code source} names it in error messages. The reader is not closed. */
  public static CsvData read(Reader reader, String source, CsvOptions options) throws IOException {
    BufferedReader buffered = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    return build(CsvParser.parse(buffered::readLine, source, options), options);
  }

  private static CsvData build(CsvParser.Parsed p, CsvOptions options) {
    int[] shape = {p.rows(), p.featureCount()};
    Tensor features = floats(p.features(), options.featureType(), shape);
    Tensor targets = null;
    if (p.labels() != null) {
      targets = IntTensor.wrap(p.labels(), p.rows());
    } else if (p.values() != null) {
      int[] targetShape = options.target() == CsvOptions.Target.VALUE
          ? new int[] {p.rows()}
          : new int[] {p.rows(), p.targetCount()};
      targets = floats(p.values(), options.featureType(), targetShape);
    }
    return new CsvData(features, targets);
  }

  private static Tensor floats(double[] values, ElementType type, int[] shape) {
    return type == ElementType.F64
        ? DoubleTensor.wrap(values, shape)
        : FloatTensor.wrap(toFloats(values), shape);
  }

  private static float[] toFloats(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  /** The number of rows. */
  public int rows() {
    return rows;
  }

  /** The number of features per row. */
  public int featureCount() {
    return features.dim(1);
  }

  /** The features, {@code [rows, featureCount]}: a {@link FloatTensor} or a {@link DoubleTensor}. */
  public Tensor features() {
    return features;
  }

  /** Whether the data has targets (labels or values). */
  public boolean hasTargets() {
    return targets != null;
  }

  /**
   * The targets: an {@link IntTensor} {@code [rows]} of labels, or float values ({@code [rows]} or
   * {@code [rows, k]}, the features' element type).
   *
   * @throws IllegalStateException if the data was read {@link CsvOptions#withoutTargets()}
   */
  public Tensor targets() {
    if (targets == null) {
      throw new IllegalStateException("the data has no targets (read withoutTargets())");
    }
    return targets;
  }

  /**
   * The labels, {@code [rows]}.
   *
   * @throws IllegalStateException if the targets are float values, or there are none
   */
  public IntTensor labels() {
    if (!(targets instanceof IntTensor labels)) {
      throw new IllegalStateException("the data has " + (targets == null ? "no targets"
          : "float targets " + targets.typeString() + ", not integer labels"));
    }
    return labels;
  }

  /** The number of target values per row: 1 for labels or {@code [rows]} values, 0 for none. */
  int targetWidth() {
    return targets == null ? 0 : targets.rank() == 1 ? 1 : targets.dim(1);
  }

  /**
   * The first {@code rows() - heldOutLast} rows and the last {@code heldOutLast}, each a copy, in
   * file order: {@code split(heldOutLast, SplitMethod.LAST, 0)}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= heldOutLast <= rows()}
   */
  public Split split(int heldOutLast) {
    return split(heldOutLast, SplitMethod.LAST, 0);
  }

  /**
   * {@code heldOut} rows for evaluation, chosen by {@code method} (seeded by {@code seed} where it
   * draws rows), and the others for training; both parts are copies and keep file order.
   *
   * @throws IllegalArgumentException unless {@code 0 <= heldOut <= rows()}, or for
   *     {@link SplitMethod#STRATIFIED} on data without integer labels
   */
  public Split split(int heldOut, SplitMethod method, long seed) {
    if (heldOut < 0 || heldOut > rows()) {
      throw new IllegalArgumentException("cannot hold out " + heldOut + " of " + rows() + " rows");
    }
    if (method == SplitMethod.STRATIFIED && !(targets instanceof IntTensor)) {
      throw new IllegalArgumentException("a stratified split needs integer labels; the data has "
          + (targets == null ? "no targets" : "float targets " + targets.typeString()));
    }
    boolean[] held = method.heldOutRows(this, heldOut, seed);
    int[] trainRows = new int[rows() - heldOut];
    int[] heldRows = new int[heldOut];
    for (int r = 0, t = 0, h = 0; r < rows(); r++) {
      if (held[r]) {
        heldRows[h++] = r;
      } else {
        trainRows[t++] = r;
      }
    }
    return new Split(select(trainRows), select(heldRows));
  }

  /** A copy of the given rows, in the order given. */
  CsvData select(int[] rowIndices) {
    return new CsvData(rowsOf(features, rowIndices),
        targets == null ? null : rowsOf(targets, rowIndices));
  }

  /** {@code features} with other values, same shape and type: for standardization. */
  CsvData withFeatures(Tensor newFeatures) {
    return new CsvData(newFeatures, targets);
  }

  /** The rows of a {@code [rows]} or {@code [rows, k]} tensor, copied. */
  private static Tensor rowsOf(Tensor t, int[] rowIndices) {
    int w = t.rank() == 1 ? 1 : t.dim(1);
    int n = rowIndices.length;
    int[] shape = t.rank() == 1 ? new int[] {n} : new int[] {n, w};
    if (t instanceof FloatTensor f) {
      float[] out = new float[n * w];
      for (int i = 0; i < n; i++) {
        System.arraycopy(f.data(), rowIndices[i] * w, out, i * w, w);
      }
      return FloatTensor.wrap(out, shape);
    } else if (t instanceof DoubleTensor d) {
      double[] out = new double[n * w];
      for (int i = 0; i < n; i++) {
        System.arraycopy(d.data(), rowIndices[i] * w, out, i * w, w);
      }
      return DoubleTensor.wrap(out, shape);
    }
    int[] src = ((IntTensor) t).data();
    int[] out = new int[n * w];
    for (int i = 0; i < n; i++) {
      System.arraycopy(src, rowIndices[i] * w, out, i * w, w);
    }
    return IntTensor.wrap(out, shape);
  }

  /**
   * Mini-batches in an order reshuffled every epoch by a {@link dev.adjoint.runtime.SeededRandom}
   * started at {@code seed}: the same seed gives the same batches on every machine.
   */
  public Batches batches(int batchSize, long seed) {
    return new Batches(this, batchSize, seed, true);
  }

  /** Mini-batches in file order, every epoch the same. */
  public Batches batchesInOrder(int batchSize) {
    return new Batches(this, batchSize, 0, false);
  }
}
