package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static Map<String, Tensor> sample() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("W1", FloatTensor.of(new float[] {1.5f, -2f, 0f, Float.MIN_VALUE, Float.MAX_VALUE, -0f}, 2, 3));
    m.put("b1", DoubleTensor.of(new double[] {Math.PI, -1e300, Double.MIN_VALUE, 4}, 4));
    m.put("steps", IntTensor.of(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, 3));
    m.put("scale", FloatTensor.scalar(0.25f));
    m.put("lr", DoubleTensor.scalar(1e-3));
    m.put("epoch", IntTensor.scalar(7));
    m.put("empty", FloatTensor.zeros(0, 5));
    return m;
  }

  /**
   * A file written by tools/safetensors_fixture.py from a PyTorch {@code nn.Linear} state dict plus
   * extra tensors, laid out by the reference serializer's rules (dtype-sorted, compact header,
   * space padding). See the script for how to regenerate it.
   */
  @Test
  void readsAFileWrittenByPyTorchsFormatRulesAndWritesTheSameBytes() throws IOException {
    byte[] bytes;
    try (var in = SafetensorsTest.class.getResourceAsStream("/safetensors/torch.safetensors")) {
      bytes = in.readAllBytes();
    }
    Safetensors.Contents contents = Safetensors.readContents(bytes);

    Map<String, Tensor> expected = new LinkedHashMap<>();
    expected.put("history", DoubleTensor.of(new double[] {1e-300, -0.0, Double.POSITIVE_INFINITY, 2.0}, 2, 2));
    expected.put("scale", DoubleTensor.scalar(3.141592653589793));
    expected.put("bias", FloatTensor.of(new float[] {0.1f, -2.5e-3f}, 2));
    expected.put("empty", FloatTensor.zeros(0, 3));
    float[] weight = new float[6];
    for (int i = 0; i < 6; i++) {
      weight[i] = i * 0.25f - 0.5f;
    }
    expected.put("weight", FloatTensor.of(weight, 2, 3));
    expected.put("labels", IntTensor.of(new int[] {0, 9, -1, Integer.MAX_VALUE}, 4));

    assertEquals(expected, contents.tensors());
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(contents.tensors().keySet()), "header order");
    assertEquals(Map.of("format", "pt"), contents.metadata());
    assertArrayEquals(bytes, Safetensors.toBytes(contents.tensors(), contents.metadata()),
        "the writer lays out the same tensors exactly as PyTorch's serializer did");
  }

  @Test
  void roundTripKeepsTensorsOrderAndEmptyMetadata() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Safetensors.write(file, sample(), Map.of());
    Safetensors.Contents back = Safetensors.readContents(file);
    assertEquals(sample(), back.tensors());
    assertEquals(List.copyOf(sample().keySet()), List.copyOf(back.tensors().keySet()));
    assertEquals(Map.of(), back.metadata());
    long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "header padded to a multiple of 8");
  }

  @Test
  void roundTripWithMetadataThroughBytesAndStreams() throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "adjoint");
    meta.put("quote \" back\\slash \n newline", "ünïcödé ✓");
    byte[] bytes = Safetensors.toBytes(sample(), meta);
    Safetensors.Contents back = Safetensors.readContents(bytes);
    assertEquals(sample(), back.tensors());
    assertEquals(meta, back.metadata());
    assertEquals(sample(), Safetensors.read(new ByteArrayInputStream(bytes)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Safetensors.write(out, sample(), meta);
    assertArrayEquals(bytes, out.toByteArray());
    assertArrayEquals(bytes, Safetensors.toBytes(sample(), meta), "deterministic bytes");
  }

  @Test
  void largeTensorCrossesChunkBoundaries() throws IOException {
    double[] d = new double[20_001];
    for (int i = 0; i < d.length; i++) {
      d[i] = i * 0.5 - 3;
    }
    Map<String, Tensor> m = Map.of("big", DoubleTensor.of(d, d.length));
    Path file = dir.resolve("big.safetensors");
    Safetensors.write(file, m, Map.of());
    assertEquals(m, Safetensors.read(file));
  }

  /**
   * Tensors of every element type, several 64 KiB chunks long and following one another at offsets that
   * are not multiples of 8, with NaN payloads and signed zeros: the data bytes are each element's raw
   * bits, little-endian, as an element-by-element encoding here gives them.
   */
  @Test
  void dataBytesAreEachElementsRawBitsAcrossChunkBoundaries() throws IOException {
    java.util.SplittableRandom random = new java.util.SplittableRandom(14);
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("odd", FloatTensor.of(new float[] {1f, Float.intBitsToFloat(0x7fc01234), -0f}, 3));
    float[] f = new float[40_003];
    for (int i = 0; i < f.length; i++) {
      f[i] = i % 97 == 0 ? Float.intBitsToFloat(0x7f800000 | (1 + random.nextInt(0x7fffff)))
          : (float) random.nextGaussian();
    }
    m.put("f", FloatTensor.of(f, f.length));
    double[] d = new double[17_001];
    for (int i = 0; i < d.length; i++) {
      d[i] = i % 89 == 0 ? Double.longBitsToDouble(0xfff0000000000000L | (1 + random.nextLong(1L << 51)))
          : random.nextDouble() - 0.5;
    }
    m.put("d", DoubleTensor.of(d, d.length));
    int[] n = new int[33_333];
    for (int i = 0; i < n.length; i++) {
      n[i] = random.nextInt();
    }
    m.put("n", IntTensor.of(n, n.length));
    m.put("tail", DoubleTensor.of(new double[] {-0d, Double.longBitsToDouble(0x7ff8000000000abcL)}, 2));

    byte[] bytes = Safetensors.toBytes(m, Map.of());
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ByteBuffer expected = ByteBuffer.allocate(bytes.length - 8 - (int) headerLength)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (Tensor t : m.values()) {
      if (t instanceof FloatTensor ft) {
        for (float v : ft.data()) {
          expected.putInt(Float.floatToRawIntBits(v));
        }
      } else if (t instanceof DoubleTensor dt) {
        for (double v : dt.data()) {
          expected.putLong(Double.doubleToRawLongBits(v));
        }
      } else {
        for (int v : ((IntTensor) t).data()) {
          expected.putInt(v);
        }
      }
    }
    assertArrayEquals(expected.array(),
        java.util.Arrays.copyOfRange(bytes, 8 + (int) headerLength, bytes.length));
    Path file = dir.resolve("mixed.safetensors");
    Safetensors.write(file, m, Map.of());
    assertArrayEquals(bytes, Files.readAllBytes(file), "the file has the same bytes");
    Map<String, Tensor> back = Safetensors.read(file);
    assertEquals(Float.floatToRawIntBits(f[97]),
        Float.floatToRawIntBits(((FloatTensor) back.get("f")).data()[97]), "a NaN payload read back");
  }

  /** The bytes of a tiny file built by hand from the format description, not by our writer. */
  private static byte[] goldenFile() {
    String json = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[8,12]}}";
    assertEquals(138, json.length());
    String header = json + "      "; // padded with 6 spaces to 144, a multiple of 8
    ByteBuffer b = ByteBuffer.allocate(8 + 144 + 12).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 144, 0, 0, 0, 0, 0, 0, 0}); // u64 little-endian header length
    b.put(header.getBytes(StandardCharsets.UTF_8));
    b.put(new byte[] {0, 0, (byte) 0x80, 0x3F}); // 1.0f
    b.put(new byte[] {0, 0, 0, (byte) 0xC0}); // -2.0f
    b.put(new byte[] {7, 0, 0, 0}); // 7
    return b.array();
  }

  @Test
  void writerProducesGoldenBytes() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a", FloatTensor.of(new float[] {1f, -2f}, 2));
    m.put("b", IntTensor.scalar(7));
    assertArrayEquals(goldenFile(), Safetensors.toBytes(m, Map.of("format", "pt")));
  }

  @Test
  void readerReadsGoldenBytes() throws IOException {
    Safetensors.Contents c = Safetensors.readContents(goldenFile());
    assertEquals(FloatTensor.of(new float[] {1f, -2f}, 2), c.tensors().get("a"));
    assertEquals(IntTensor.scalar(7), c.tensors().get("b"));
    assertEquals(Map.of("format", "pt"), c.metadata());
  }

  @Test
  void readerAcceptsOtherKeyOrdersWhitespaceAndOffsetOrder() throws IOException {
    // Written the way other tools may: spaces, keys in another order, data not in header order.
    String json = "{ \"second\" : { \"data_offsets\" : [4, 8], \"shape\" : [1], \"dtype\" : \"F32\" },\n"
        + "  \"first\" : { \"shape\" : [1], \"dtype\" : \"I32\", \"data_offsets\" : [0, 4] } }";
    byte[] data = {3, 0, 0, 0, 0, 0, (byte) 0x80, 0x3F};
    Map<String, Tensor> m = Safetensors.read(file(json, data));
    assertEquals(List.of("second", "first"), List.copyOf(m.keySet()));
    assertEquals(IntTensor.of(new int[] {3}, 1), m.get("first"));
    assertEquals(FloatTensor.of(new float[] {1f}, 1), m.get("second"));
  }

  @Test
  void writeIsAtomicAndReplaces() throws IOException {
    Path file = dir.resolve("p.safetensors");
    Safetensors.write(file, Map.of("x", IntTensor.scalar(1)), Map.of());
    Safetensors.write(file, Map.of("x", IntTensor.scalar(2)), Map.of());
    assertEquals(Map.of("x", IntTensor.scalar(2)), Safetensors.read(file));
    assertEquals(List.of(file.getFileName()), listDir());
  }

  @Test
  void failedWriteLeavesTargetAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("p.safetensors");
    Safetensors.write(file, Map.of("x", IntTensor.scalar(1)), Map.of());
    byte[] before = Files.readAllBytes(file);

    assertThrows(IllegalArgumentException.class,
        () -> Safetensors.write(file, Map.of("__metadata__", IntTensor.scalar(2)), Map.of()));
    // A failure after the temporary file exists: the map breaks while its data is being written.
    Map<String, Tensor> breaking = new LinkedHashMap<>(Map.of("x", IntTensor.scalar(3))) {
      @Override
      public Collection<Tensor> values() {
        throw new IllegalStateException("boom");
      }
    };
    assertThrows(IllegalStateException.class, () -> Safetensors.write(file, breaking, Map.of()));

    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(List.of(file.getFileName()), listDir());
  }

  private List<Path> listDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> names = new ArrayList<>();
      s.forEach(p -> names.add(p.getFileName()));
      return names;
    }
  }

  // ---- validation ----

  /** A file with this header JSON (padded) and data buffer. */
  private Path file(String json, byte[] data) throws IOException {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    return rawFile(header.length, header, data);
  }

  private Path rawFile(long declaredLength, byte[] header, byte[] data) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(declaredLength).put(header).put(data);
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, b.array());
    return file;
  }

  private static String entry(String name, String dtype, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
        + ",\"data_offsets\":[" + begin + "," + end + "]}";
  }

  private static void assertBad(Path file, String... fragments) {
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
    }
  }

  @Test
  void rejectsTruncatedFilesAndBadHeaderLengths() throws IOException {
    Path tiny = dir.resolve("bad.safetensors");
    Files.write(tiny, new byte[] {1, 2, 3});
    assertBad(tiny, "too short");
    byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
    assertBad(rawFile(1000, header, new byte[0]), "header length 1000", "file of 10 bytes");
    assertBad(rawFile(-1, header, new byte[0]), "header length 18446744073709551615");
  }

  @Test
  void rejectsBadJson() throws IOException {
    assertBad(file("{\"a\":1,}", new byte[0]), "not valid JSON");
    assertBad(file("[]", new byte[0]), "does not start with '{'");
    assertBad(file("{} x", new byte[0]), "not valid JSON");
    assertBad(file("{\"a\":{\"dtype\":\"F32\"", new byte[0]), "not valid JSON");
    assertBad(rawFile(3, new byte[] {'{', (byte) 0xFF, '}'}, new byte[0]), "not valid UTF-8");
    assertBad(file("{\"a\":[1]}", new byte[0]), "tensor 'a' is not a JSON object");
    assertBad(file("{\"__metadata__\":{\"k\":1}}", new byte[0]), "value for 'k' is not a string");
  }

  @Test
  void rejectsUnsupportedAndUnknownDtypesNamingTheTensor() throws IOException {
    assertBad(file("{" + entry("half", "F16", "[2]", 0, 4) + "}", new byte[4]),
        "tensor 'half'", "dtype F16 is not supported");
    assertBad(file("{" + entry("h", "BF16", "[2]", 0, 4) + "}", new byte[4]), "dtype BF16 is not supported");
    assertBad(file("{" + entry("q", "Q4", "[2]", 0, 1) + "}", new byte[1]), "tensor 'q'", "unknown dtype \"Q4\"");
  }

  @Test
  void rejectsBadOffsets() throws IOException {
    assertBad(file("{" + entry("a", "F32", "[2]", 0, 8) + "}", new byte[4]), "tensor 'a'", "run past the end");
    assertBad(file("{" + entry("a", "F32", "[2]", 0, 4) + "}", new byte[4]), "span 4 bytes but F32[2] needs 8");
    assertBad(file("{" + entry("a", "F32", "[1]", 4, 0) + "}", new byte[4]), "end before they begin");
    assertBad(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}",
        new byte[8]), "overlap");
    assertBad(file("{" + entry("a", "F32", "[1]", 4, 8) + "}", new byte[8]), "unused bytes [0, 4)");
    assertBad(file("{" + entry("a", "F32", "[1]", 0, 4) + "}", new byte[8]), "4 trailing bytes");
    assertBad(file("{" + entry("a", "F32", "[-1]", 0, 4) + "}", new byte[4]), "non-negative integers");
    assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]),
        "must be [begin, end]");
    assertBad(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", new byte[4]),
        "unexpected key \"x\"");
  }

  @Test
  void rejectsDuplicateNames() throws IOException {
    assertBad(file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}",
        new byte[8]), "duplicate key \"a\"");
  }

  @Test
  void writeRejectsNullsAndReservedNames() {
    Map<String, Tensor> withNull = new LinkedHashMap<>();
    withNull.put("x", null);
    assertThrows(IllegalArgumentException.class, () -> Safetensors.toBytes(withNull, Map.of()));
    Map<String, String> nullMeta = new LinkedHashMap<>();
    nullMeta.put("k", null);
    assertThrows(IllegalArgumentException.class, () -> Safetensors.toBytes(Map.of(), nullMeta));
    assertFalse(Files.exists(dir.resolve("never.safetensors")));
  }
}
