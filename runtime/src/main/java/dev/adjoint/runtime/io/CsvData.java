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
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A numeric data set loaded from CSV: features {@code [rows, features]} ({@code f32} or {@code f64})
 * and integer labels {@code [rows]}, in file order.
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
  private final IntTensor labels;

  private CsvData(Tensor features, IntTensor labels) {
    this.features = features;
    this.labels = labels;
  }

  /** A held-out split: the first rows for training, the last for evaluation. */
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
    Tensor features = options.featureType() == ElementType.F64
        ? DoubleTensor.wrap(p.features(), shape)
        : FloatTensor.wrap(toFloats(p.features()), shape);
    return new CsvData(features, IntTensor.wrap(p.labels(), p.rows()));
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
    return labels.size();
  }

  /** The number of features per row. */
  public int featureCount() {
    return features.dim(1);
  }

  /** The features, {@code [rows, featureCount]}: a {@link FloatTensor} or a {@link DoubleTensor}. */
  public Tensor features() {
    return features;
  }

  /** The labels, {@code [rows]}. */
  public IntTensor labels() {
    return labels;
  }

  /**
   * The first {@code rows() - heldOutLast} rows and the last {@code heldOutLast}, each a copy, in
   * file order.
   *
   * @throws IllegalArgumentException unless {@code 0 <= heldOutLast <= rows()}
   */
  public Split split(int heldOutLast) {
    if (heldOutLast < 0 || heldOutLast > rows()) {
      throw new IllegalArgumentException(
          "cannot hold out " + heldOutLast + " of " + rows() + " rows");
    }
    int cut = rows() - heldOutLast;
    return new Split(slice(0, cut), slice(cut, rows()));
  }

  private CsvData slice(int from, int to) {
    int f = featureCount();
    int[] shape = {to - from, f};
    Tensor x = features instanceof FloatTensor ft
        ? FloatTensor.wrap(Arrays.copyOfRange(ft.data(), from * f, to * f), shape)
        : DoubleTensor.wrap(Arrays.copyOfRange(((DoubleTensor) features).data(), from * f, to * f), shape);
    return new CsvData(x, IntTensor.wrap(Arrays.copyOfRange(labels.data(), from, to), to - from));
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
