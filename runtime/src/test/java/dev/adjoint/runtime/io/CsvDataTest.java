package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataTest {
  /** Relative to the runtime module, which is the working directory of its tests. */
  private static final Path DIGITS = Path.of("../samples/data/digits.csv.gz");

  @TempDir Path dir;

  private static CsvData csv(String text, CsvOptions options) throws IOException {
    return CsvData.read(new StringReader(text), "t.csv", options);
  }

  private static CsvFormatException bad(String text, CsvOptions options) {
    return assertThrows(CsvFormatException.class, () -> csv(text, options));
  }

  private static void assertBad(String text, CsvOptions options, int line, int column, String problem) {
    CsvFormatException e = bad(text, options);
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertEquals(problem, e.problem());
    assertEquals("t.csv:" + line + (column > 0 ? ":" + column : "") + ": " + problem, e.getMessage());
  }

  @Test
  void readsDigits() throws IOException {
    CsvData digits = CsvData.read(DIGITS, CsvOptions.defaults().withColumns(65).withNumClasses(10));
    assertEquals(1797, digits.rows());
    assertEquals(64, digits.featureCount());
    FloatTensor x = (FloatTensor) digits.features();
    assertArrayEquals(new int[] {1797, 64}, x.shape());
    assertArrayEquals(new int[] {1797}, digits.labels().shape());
    // First row of the file: 0,0,5,13,9,1,0,0,... label 0; the second row's label is 1.
    assertArrayEquals(new float[] {0, 0, 5, 13, 9, 1, 0, 0}, Arrays.copyOf(x.data(), 8));
    assertEquals(0, digits.labels().get(0));
    assertEquals(1, digits.labels().get(1));
    int[] counts = new int[10];
    for (int label : digits.labels().data()) {
      counts[label]++;
    }
    for (int c : counts) {
      assertTrue(c > 150, Arrays.toString(counts));
    }
    for (float v : x.data()) {
      assertTrue(v >= 0 && v <= 16);
    }

    CsvData.Split split = digits.split(360);
    assertEquals(1437, split.train().rows());
    assertEquals(360, split.heldOut().rows());
    assertEquals(digits.labels().get(1437), split.heldOut().labels().get(0));
    assertArrayEquals(Arrays.copyOfRange(x.data(), 1437 * 64, 1438 * 64),
        Arrays.copyOf(((FloatTensor) split.heldOut().features()).data(), 64));
  }

  @Test
  void defaultsInferColumnsAndUseTheLastAsLabel() throws IOException {
    CsvData d = csv("1, 2.5 ,3\n-4e1,.5,0\n", CsvOptions.defaults());
    assertEquals(FloatTensor.of(new float[] {1, 2.5f, -40, 0.5f}, 2, 2), d.features());
    assertEquals(IntTensor.of(new int[] {3, 0}, 2), d.labels());
  }

  @Test
  void optionsChooseColumnsHeaderAndPrecision() throws IOException {
    String text = "label,id,a,b\n2,row-one,0.1,0.2\r\n\n1,row-two,0.3,0.4\n";
    CsvOptions options = CsvOptions.defaults().withHeader(true).withLabelColumn(0)
        .withFeatureColumns(3, 2).withFeatureType(ElementType.F64).withNumClasses(3);
    CsvData d = csv(text, options);
    assertEquals(DoubleTensor.of(new double[] {0.2, 0.1, 0.4, 0.3}, 2, 2), d.features());
    assertEquals(IntTensor.of(new int[] {2, 1}, 2), d.labels());
  }

  @Test
  void readsGzipByFileNameAndPlainOtherwise() throws IOException {
    byte[] text = "1,2,0\n3,4,1\n".getBytes(StandardCharsets.UTF_8);
    Path gz = dir.resolve("d.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text);
    }
    Path plain = Files.write(dir.resolve("d.csv"), text);
    assertEquals(CsvData.read(plain, CsvOptions.defaults()).features(),
        CsvData.read(gz, CsvOptions.defaults()).features());
    Path fake = Files.write(dir.resolve("fake.csv.gz"), text);
    IOException e = assertThrows(IOException.class, () -> CsvData.read(fake, CsvOptions.defaults()));
    assertTrue(e.getMessage().startsWith(fake.toString()), e.getMessage());
  }

  private static byte[] gzip(String text) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private String gzipProblem(String name, byte[] bytes) throws IOException {
    Path p = Files.write(dir.resolve(name), bytes);
    IOException e = assertThrows(IOException.class, () -> CsvData.read(p, CsvOptions.defaults()));
    assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
    return e.getMessage().substring(p.toString().length() + 2);
  }

  @Test
  void badGzipFilesSayWhatIsWrongAndWhere() throws IOException {
    byte[] good = gzip("1,2,0\n3,4,1\n");
    assertEquals("the file is empty (0 bytes), not gzip data", gzipProblem("empty.csv.gz", new byte[0]));
    assertEquals("not gzip data: the file does not start with the gzip signature 1f 8b",
        gzipProblem("plain.csv.gz", "1,2,0\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals("the gzip data ends early, at byte 20: the file is truncated",
        gzipProblem("cut.csv.gz", Arrays.copyOf(good, 20)));
    byte[] garbage = Arrays.copyOf(good, good.length + 7);
    System.arraycopy("garbage".getBytes(StandardCharsets.UTF_8), 0, garbage, good.length, 7);
    assertEquals("trailing data after the gzip data, at byte " + good.length,
        gzipProblem("trailing.csv.gz", garbage));
    byte[] corrupt = good.clone();
    corrupt[good.length - 5] ^= 1; // the CRC-32 in the trailer
    assertTrue(gzipProblem("crc.csv.gz", corrupt).startsWith("corrupt gzip data: the CRC-32 check"));
  }

  @Test
  void concatenatedGzipMembersAreOneFile() throws IOException {
    byte[] a = gzip("1,2,0\n");
    byte[] b = gzip("3,4,1\n");
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    Path p = Files.write(dir.resolve("two.csv.gz"), both);
    assertEquals(2, CsvData.read(p, CsvOptions.defaults()).rows());
  }

  @Test
  void invalidUtf8IsAFormatErrorAtItsLine() throws IOException {
    byte[] text = "1,2,0\n3,x,1\n".getBytes(StandardCharsets.UTF_8);
    text[8] = (byte) 0xc3; // starts a two-byte sequence that ',' does not continue
    Path p = Files.write(dir.resolve("bad.csv"), text);
    CsvFormatException e = assertThrows(CsvFormatException.class, () -> CsvData.read(p, CsvOptions.defaults()));
    assertEquals(2, e.line());
    assertEquals("invalid UTF-8 (byte 0xc3) at character 3; the file must be UTF-8 text", e.problem());
    Path bom = Files.write(dir.resolve("bom.csv"), "\ufeff1,2,0\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(1, CsvData.read(bom, CsvOptions.defaults()).rows());
  }

  @Test
  void controlCharactersInCellsAreEscapedInMessages() {
    assertBad("1,\u001b[2J,0\n", CsvOptions.defaults(), 1, 2, "'\\u001b[2J' is not a number");
  }

  @Test
  void wrongColumnCount() {
    assertBad("1,2,0\n1,2\n", CsvOptions.defaults(), 2, 3, "expected 3 columns, found 2");
    assertBad("1,2,0\n1,2,0,9\n", CsvOptions.defaults(), 2, 4, "expected 3 columns, found 4");
    assertBad("1,2\n", CsvOptions.defaults().withColumns(3), 1, 3, "expected 3 columns, found 2");
  }

  @Test
  void nonNumericCellsAreQuoted() {
    assertBad("1,2,0\n1,abc,0\n", CsvOptions.defaults(), 2, 2, "'abc' is not a number");
    assertBad("1,\"2\",0\n", CsvOptions.defaults(), 1, 2, "'\"2\"' is not a number");
    assertBad("1,,0\n", CsvOptions.defaults(), 1, 2, "'' is not a number");
    assertBad("0x10,1,0\n", CsvOptions.defaults(), 1, 1, "'0x10' is not a number");
    assertBad("1f,1,0\n", CsvOptions.defaults(), 1, 1, "'1f' is not a number");
  }

  @Test
  void nonFiniteCells() {
    assertBad("NaN,1,0\n", CsvOptions.defaults(), 1, 1, "'NaN' is not a finite number");
    assertBad("1,-inf,0\n", CsvOptions.defaults(), 1, 2, "'-inf' is not a finite number");
    assertBad("1,Infinity,0\n", CsvOptions.defaults(), 1, 2, "'Infinity' is not a finite number");
    assertBad("1e999,1,0\n", CsvOptions.defaults(), 1, 1, "'1e999' is out of range for f32");
    assertBad("1e300,1,0\n", CsvOptions.defaults(), 1, 1, "'1e300' is out of range for f32");
  }

  @Test
  void badLabels() {
    CsvOptions ten = CsvOptions.defaults().withNumClasses(10);
    assertBad("1,2,3.5\n", ten, 1, 3, "label '3.5' is not an integer");
    assertBad("1,2,x\n", ten, 1, 3, "label 'x' is not an integer");
    assertBad("1,2,3\n1,2,10\n", ten, 2, 3, "label 10 is outside [0, 10)");
    assertBad("1,2,-1\n", ten, 1, 3, "label -1 is outside [0, 10)");
    assertBad("1,2,99999999999999999999\n", CsvOptions.defaults(), 1, 3,
        "label 99999999999999999999 is outside [0, 2^31)");
  }

  @Test
  void emptyFiles() {
    assertBad("", CsvOptions.defaults(), 1, 0, "the file is empty");
    assertBad("\n\n", CsvOptions.defaults(), 2, 0, "the file has no data rows");
    assertBad("a,b,label\n", CsvOptions.defaults().withHeader(true), 1, 0, "the file has no data rows");
  }

  @Test
  void optionsThatDoNotFitTheFile() {
    assertThrows(IllegalArgumentException.class,
        () -> csv("1,2,0\n", CsvOptions.defaults().withLabelColumn(3)));
    assertThrows(IllegalArgumentException.class,
        () -> csv("1,2,0\n", CsvOptions.defaults().withFeatureColumns(0, 2)));
    assertThrows(IllegalArgumentException.class, () -> CsvOptions.defaults().withFeatureColumns(1, 1));
    assertThrows(IllegalArgumentException.class, () -> CsvOptions.defaults().withNumClasses(0));
    assertThrows(IllegalArgumentException.class, () -> CsvOptions.defaults().withFeatureType(ElementType.I32));
  }

  @Test
  void splitBounds() throws IOException {
    CsvData d = csv("1,0\n2,1\n3,2\n", CsvOptions.defaults());
    assertEquals(3, d.split(0).train().rows());
    assertEquals(0, d.split(3).train().rows());
    assertEquals(IntTensor.of(new int[] {1, 2}, 2), d.split(2).heldOut().labels());
    assertThrows(IllegalArgumentException.class, () -> d.split(4));
    assertThrows(IllegalArgumentException.class, () -> d.split(-1));
  }
}
