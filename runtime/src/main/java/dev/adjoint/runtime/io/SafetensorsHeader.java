package dev.adjoint.runtime.io;

import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.Shapes;
import dev.adjoint.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file: encoding it for a set of tensors, and decoding plus
 * validating it against the size of the data buffer that follows.
 */
final class SafetensorsHeader {
  static final String METADATA_KEY = "__metadata__";
  /** Same limit as the reference implementation: larger headers are refused before being read. */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  /** Safetensors dtypes that are valid in the format but that Adjoint has no tensor type for. */
  private static final Set<String> UNSUPPORTED_DTYPES = Set.of("BOOL", "U8", "I8", "I16", "U16",
      "F16", "BF16", "U32", "I64", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2",
      "F4", "C64");

  /** One tensor's entry: its data lies at {@code [begin, end)} of the buffer. */
  record Entry(String name, ElementType type, int[] shape, long begin, long end) {}

  /** The decoded header. {@code entries} are in header order. */
  record Decoded(List<Entry> entries, Map<String, String> metadata) {}

  private SafetensorsHeader() {}

  static String dtype(ElementType type) {
    return type.name(); // F32, F64, I32 are spelled the same in both worlds
  }

  static int elementBytes(ElementType type) {
    return type == ElementType.F64 ? 8 : 4;
  }

  /**
   * The header bytes, padded with spaces to a multiple of 8, for tensors laid out contiguously in
   * iteration order.
   *
   * @throws IllegalArgumentException for a null or reserved name, a null tensor or metadata entry,
   *     or text that is not valid Unicode
   */
  static byte[] encode(Map<String, ? extends Tensor> tensors, Map<String, String> metadata) {
    StringBuilder json = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      Json.writeString(json, METADATA_KEY);
      json.append(":{");
      boolean first = true;
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          throw new IllegalArgumentException("safetensors metadata has a null key or value");
        }
        json.append(first ? "" : ",");
        first = false;
        Json.writeString(json, e.getKey());
        json.append(':');
        Json.writeString(json, e.getValue());
      }
      json.append('}');
    }
    long offset = 0;
    for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
      String name = e.getKey();
      Tensor t = e.getValue();
      if (name == null || t == null) {
        throw new IllegalArgumentException("safetensors: null tensor name or tensor");
      }
      if (name.equals(METADATA_KEY)) {
        throw new IllegalArgumentException("safetensors: '" + METADATA_KEY + "' is reserved, not a tensor name");
      }
      long bytes = (long) t.size() * elementBytes(t.elementType());
      json.append(json.length() > 1 ? "," : "");
      Json.writeString(json, name);
      json.append(":{\"dtype\":\"").append(dtype(t.elementType())).append("\",\"shape\":[");
      int[] shape = t.shape();
      for (int d = 0; d < shape.length; d++) {
        json.append(d > 0 ? "," : "").append(shape[d]);
      }
      json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
    }
    json.append('}');
    byte[] utf8 = utf8(json);
    byte[] padded = Arrays.copyOf(utf8, (utf8.length + 7) / 8 * 8);
    Arrays.fill(padded, utf8.length, padded.length, (byte) ' ');
    return padded;
  }

  private static byte[] utf8(CharSequence text) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(text));
      return Arrays.copyOf(b.array(), b.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("safetensors: a tensor name or metadata entry is not valid Unicode", e);
    }
  }

  /**
   * Decodes and validates a header whose data buffer holds {@code bufferSize} bytes.
   *
   * @param source names the file in error messages
   * @throws IOException if the header is not strict UTF-8 JSON of the safetensors shape, names an
   *     unsupported dtype, or its offsets do not tile the buffer exactly
   */
  static Decoded decode(byte[] header, long bufferSize, String source) throws IOException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(header)).toString();
    } catch (CharacterCodingException e) {
      throw new IOException(source + ": safetensors header is not valid UTF-8", e);
    }
    if (!text.startsWith("{")) {
      throw new IOException(source + ": safetensors header does not start with '{'");
    }
    Object root;
    try {
      root = Json.parse(text);
    } catch (Json.SyntaxException e) {
      throw new IOException(source + ": safetensors header is not valid JSON: " + e.getMessage(), e);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Object> e : asObject(root, "header", source).entrySet()) {
      if (e.getKey().equals(METADATA_KEY)) {
        for (Map.Entry<String, Object> m : asObject(e.getValue(), METADATA_KEY, source).entrySet()) {
          if (!(m.getValue() instanceof String s)) {
            throw new IOException(source + ": " + METADATA_KEY + " value for '" + m.getKey() + "' is not a string");
          }
          metadata.put(m.getKey(), s);
        }
      } else {
        entries.add(entry(e.getKey(), e.getValue(), source));
      }
    }
    checkTiling(entries, bufferSize, source);
    return new Decoded(entries, metadata);
  }

  private static Entry entry(String name, Object value, String source) throws IOException {
    String where = source + ": tensor '" + name + "'";
    Map<String, Object> info = asObject(value, "tensor '" + name + "'", source);
    for (String key : info.keySet()) {
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw new IOException(where + ": unexpected key \"" + key + "\"");
      }
    }
    if (!(info.get("dtype") instanceof String dtype)) {
      throw new IOException(where + ": missing or non-string \"dtype\"");
    }
    ElementType type = elementType(dtype, where);
    int[] shape = shape(info.get("shape"), where);
    List<Long> offsets = integers(info.get("data_offsets"), "data_offsets", where);
    if (offsets.size() != 2) {
      throw new IOException(where + ": \"data_offsets\" must be [begin, end], got " + offsets);
    }
    long begin = offsets.get(0);
    long end = offsets.get(1);
    if (begin > end) {
      throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    long expected = (long) Shapes.size(shape) * elementBytes(type);
    if (end - begin != expected) {
      throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin)
          + " bytes but " + dtype + Shapes.format(shape) + " needs " + expected);
    }
    return new Entry(name, type, shape, begin, end);
  }

  private static ElementType elementType(String dtype, String where) throws IOException {
    switch (dtype) {
      case "F32":
        return ElementType.F32;
      case "F64":
        return ElementType.F64;
      case "I32":
        return ElementType.I32;
      default:
        if (UNSUPPORTED_DTYPES.contains(dtype)) {
          throw new IOException(where + ": dtype " + dtype + " is not supported (Adjoint reads F32, F64 and I32)");
        }
        throw new IOException(where + ": unknown dtype \"" + dtype + "\"");
    }
  }

  private static int[] shape(Object value, String where) throws IOException {
    List<Long> dims = integers(value, "shape", where);
    int[] shape = new int[dims.size()];
    for (int d = 0; d < shape.length; d++) {
      if (dims.get(d) > Integer.MAX_VALUE) {
        throw new IOException(where + ": dimension " + dims.get(d) + " is too large");
      }
      shape[d] = (int) (long) dims.get(d);
    }
    try {
      Shapes.size(shape);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
    return shape;
  }

  /** A JSON array of non-negative integers. */
  private static List<Long> integers(Object value, String key, String where) throws IOException {
    if (!(value instanceof List<?> list)) {
      throw new IOException(where + ": missing or non-array \"" + key + "\"");
    }
    List<Long> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Long n) || n < 0) {
        throw new IOException(where + ": \"" + key + "\" must hold non-negative integers, got " + list);
      }
      out.add(n);
    }
    return out;
  }

  /** The data regions, sorted by offset, must cover {@code [0, bufferSize)} with no gap or overlap. */
  private static void checkTiling(List<Entry> entries, long bufferSize, String source) throws IOException {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long next = 0;
    for (Entry e : sorted) {
      if (e.end() > bufferSize) {
        throw new IOException(source + ": tensor '" + e.name() + "': data_offsets [" + e.begin() + ", "
            + e.end() + "] run past the end of the " + bufferSize + "-byte data buffer");
      }
      if (e.begin() < next) {
        throw new IOException(source + ": tensor '" + e.name() + "': data_offsets [" + e.begin() + ", "
            + e.end() + "] overlap another tensor's data");
      }
      if (e.begin() > next) {
        throw new IOException(source + ": data buffer has unused bytes [" + next + ", " + e.begin()
            + ") before tensor '" + e.name() + "'");
      }
      next = e.end();
    }
    if (next != bufferSize) {
      throw new IOException(source + ": data buffer has " + (bufferSize - next)
          + " trailing bytes that belong to no tensor");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asObject(Object value, String what, String source) throws IOException {
    if (!(value instanceof Map<?, ?>)) {
      throw new IOException(source + ": " + what + " is not a JSON object");
    }
    return (Map<String, Object>) value;
  }
}
