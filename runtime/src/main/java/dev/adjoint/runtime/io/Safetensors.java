package dev.adjoint.runtime.io;

import dev.adjoint.runtime.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format.
 *
 * <p>Layout: an 8-byte little-endian header length {@code N}; {@code N} bytes of UTF-8 JSON mapping
 * each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} plus an optional
 * {@code "__metadata__"} object of strings; then the little-endian data buffer, which the offsets
 * (relative to its start) tile exactly.
 *
 * <p>Writing lays tensors out in the map's iteration order and pads the header with spaces to a
 * multiple of 8, so the same input always gives the same bytes; empty metadata is omitted. Writing
 * to a path is atomic: a temporary file in the same directory is renamed over the target, so a
 * failure never leaves a partial file. Reading supports {@code F32}, {@code F64} and {@code I32},
 * validates the whole header before reading data, and reports every problem as an
 * {@link IOException} whose message starts with the file.
 */
public final class Safetensors {
  /** Stream name used in messages when reading bytes or a stream. */
  private static final String NO_FILE = "<safetensors bytes>";

  private Safetensors() {}

  /** What a file holds: tensors in header order and the {@code __metadata__} strings. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** Copies both maps, keeping their order. */
    public Contents {
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
  }

  // ---- writing ----

  /**
   * Atomically writes {@code tensors} (in iteration order) and {@code metadata} to {@code path},
   * replacing any existing file.
   *
   * @throws IllegalArgumentException for a null or reserved ({@code __metadata__}) name or a null
   *     tensor or metadata entry; nothing is written then
   * @throws IOException if writing or the atomic rename fails; the target is then untouched
   */
  public static void write(Path path, Map<String, ? extends Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    byte[] header = SafetensorsHeader.encode(tensors, metadata);
    AtomicFiles.write(path, out -> writeBody(out, header, tensors));
  }

  /** Writes the file's bytes to {@code out} (not closed). */
  public static void write(OutputStream out, Map<String, ? extends Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    writeBody(out, SafetensorsHeader.encode(tensors, metadata), tensors);
  }

  /** The file's bytes. */
  public static byte[] toBytes(Map<String, ? extends Tensor> tensors, Map<String, String> metadata) {
    byte[] header = SafetensorsHeader.encode(tensors, metadata);
    long size = 8L + header.length;
    for (Tensor t : tensors.values()) {
      size += (long) t.size() * SafetensorsHeader.elementBytes(t.elementType());
    }
    // sized once: a checkpoint is written after every epoch, and growing the buffer by doubling copied each
    // tensor's bytes several times (5 % of the convolutional sample's training in a profile)
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
    try {
      writeBody(out, header, tensors);
    } catch (IOException e) {
      throw new AssertionError("ByteArrayOutputStream does not throw", e);
    }
    return out.toByteArray();
  }

  private static void writeBody(OutputStream out, byte[] header, Map<String, ? extends Tensor> tensors)
      throws IOException {
    ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
    out.write(length.array());
    out.write(header);
    TensorBytes.Writer writer = new TensorBytes.Writer(out);
    for (Tensor t : tensors.values()) {
      writer.write(t);
    }
    writer.flush();
  }

  // ---- reading ----

  /** The tensors of a file, in header order. */
  public static Map<String, Tensor> read(Path path) throws IOException {
    return readContents(path).tensors();
  }

  /** The tensors and metadata of a file. */
  public static Contents readContents(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return decode(new TensorBytes.ChannelSource(channel), path.toString());
    }
  }

  /** The tensors of a file held in memory. */
  public static Map<String, Tensor> read(byte[] bytes) throws IOException {
    return readContents(bytes).tensors();
  }

  /** The tensors and metadata of a file held in memory. */
  public static Contents readContents(byte[] bytes) throws IOException {
    return decode(new TensorBytes.ArraySource(bytes), NO_FILE);
  }

  /** The tensors of a file read from {@code in} to its end (not closed). */
  public static Map<String, Tensor> read(InputStream in) throws IOException {
    return readContents(in.readAllBytes()).tensors();
  }

  private static Contents decode(TensorBytes.Source source, String name) throws IOException {
    long size = source.size();
    if (size < 8) {
      throw new IOException(name + ": " + size + " bytes is too short for a safetensors file");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    source.readFully(0, lengthBytes);
    long headerLength = lengthBytes.flip().getLong();
    if (headerLength < 0 || headerLength > size - 8) {
      throw new IOException(name + ": header length " + Long.toUnsignedString(headerLength)
          + " does not fit in a file of " + size + " bytes");
    }
    if (headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
      throw new IOException(name + ": header length " + headerLength + " exceeds the "
          + SafetensorsHeader.MAX_HEADER_BYTES + "-byte limit");
    }
    ByteBuffer header = ByteBuffer.allocate((int) headerLength);
    source.readFully(8, header);
    long bufferStart = 8 + headerLength;
    SafetensorsHeader.Decoded decoded =
        SafetensorsHeader.decode(header.array(), size - bufferStart, name);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (SafetensorsHeader.Entry e : decoded.entries()) {
      tensors.put(e.name(), TensorBytes.read(source, bufferStart + e.begin(), e.type(), e.shape()));
    }
    return new Contents(tensors, decoded.metadata());
  }
}
