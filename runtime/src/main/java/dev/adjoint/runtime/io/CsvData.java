package dev.adjoint.runtime.io;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

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

  /**
   * Reads a CSV file, decompressing it first if its name ends in {@code .gz}.
   *
   * @throws CsvFormatException for bad content (wrong column count, a cell that is not a finite
   *     number, a label that is not an integer in range, no data rows)
   * @throws IOException if the file cannot be read or is not valid UTF-8 or gzip
   */
  public static CsvData read(Path path, CsvOptions options) throws IOException {
    boolean gzip = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
      Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));
      return read(reader, path.toString(), options);
    } catch (CsvFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new IOException(path + ": " + e, e);
    }
  }

  /** Reads CSV text; {@code source} names it in error messages. The reader is not closed. */
  public static CsvData read(Reader reader, String source, CsvOptions options) throws IOException {
    BufferedReader buffered = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    CsvParser.Parsed p = CsvParser.parse(buffered, source, options);
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
