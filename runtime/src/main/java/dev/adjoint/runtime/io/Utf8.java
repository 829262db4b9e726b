package dev.adjoint.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Strict UTF-8 decoding that says where a file stops being UTF-8: the line and column (counted in
 * characters, from 1) of the first byte that is not, and that byte. A UTF-8 byte order mark at the
 * start is skipped, as editors on Windows write one.
 */
public final class Utf8 {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private Utf8() {}

  /** Bytes that are not UTF-8, at a place: the message reads {@code line L, column C: ...}. */
  public static final class MalformedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final String problem;

    MalformedException(int line, int column, String problem) {
      super("line " + line + ", column " + column + ": " + problem);
      this.line = line;
      this.column = column;
      this.problem = problem;
    }

    /** The 1-based line of the first bad byte. */
    public int line() {
      return line;
    }

    /** The 1-based column, in characters, of the first bad byte. */
    public int column() {
      return column;
    }

    /** The message without the place, e.g. {@code invalid UTF-8 (byte 0xff)}. */
    public String problem() {
      return problem;
    }
  }

  /**
   * The text of {@code bytes}, without a leading byte order mark.
   *
   * @throws MalformedException at the first byte sequence that is not UTF-8
   */
  public static String decode(byte[] bytes) throws MalformedException {
    int start = startsWithBom(bytes, bytes.length) ? BOM.length : 0;
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length - start);
    CharsetDecoder decoder = decoder();
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < out.position(); i++) {
        if (out.get(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new MalformedException(line, out.position() - lineStart + 1, problem(in, r));
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  /** The text of {@code bytes} with every malformed sequence replaced by U+FFFD (for showing it). */
  public static String decodeLeniently(byte[] bytes) {
    int start = startsWithBom(bytes, bytes.length) ? BOM.length : 0;
    return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
  }

  /** Reads lines of UTF-8 text from a stream, strictly; see {@link Lines#readLine()}. */
  static Lines lines(InputStream in, int maxLineBytes) {
    return new Lines(in, maxLineBytes);
  }

  /**
   * Lines of a UTF-8 stream, ended by {@code \n} or {@code \r\n}; a byte order mark before the
   * first line is skipped.
   */
  static final class Lines {
    private final InputStream in;
    private final int maxLineBytes;
    private final CharsetDecoder decoder = decoder();
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int lineNumber;

    private Lines(InputStream in, int maxLineBytes) {
      this.in = in;
      this.maxLineBytes = maxLineBytes;
    }

    /** The 1-based number of the line last returned. */
    int lineNumber() {
      return lineNumber;
    }

    /**
     * The next line without its end, or null at the end of the stream.
     *
     * @throws MalformedException for bytes that are not UTF-8, at their line and column
     * @throws LineTooLongException for a line longer than the limit, in bytes
     */
    String readLine() throws IOException {
      int n = 0;
      boolean any = false;
      while (true) {
        if (pos == limit) {
          limit = in.read(buffer, 0, buffer.length);
          pos = 0;
          if (limit <= 0) {
            limit = 0;
            if (!any) {
              return null;
            }
            break;
          }
        }
        any = true;
        byte b = buffer[pos++];
        if (b == '\n') {
          break;
        }
        if (n == maxLineBytes) {
          throw new LineTooLongException(lineNumber + 1, maxLineBytes);
        }
        if (n == line.length) {
          line = Arrays.copyOf(line, (int) Math.min((long) n * 2, maxLineBytes));
        }
        line[n++] = b;
      }
      lineNumber++;
      if (n > 0 && line[n - 1] == '\r') {
        n--;
      }
      int start = lineNumber == 1 && startsWithBom(line, n) ? BOM.length : 0;
      ByteBuffer bytes = ByteBuffer.wrap(line, start, n - start);
      CharBuffer out = CharBuffer.allocate(n - start);
      decoder.reset();
      CoderResult r = decoder.decode(bytes, out, true);
      if (r.isError()) {
        throw new MalformedException(lineNumber, out.position() + 1, problem(bytes, r));
      }
      decoder.flush(out);
      out.flip();
      return out.toString();
    }
  }

  /** A line longer than a reader accepts. */
  static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;
    final int line;

    LineTooLongException(int line, int maxBytes) {
      super("line " + line + " is longer than " + maxBytes + " bytes");
      this.line = line;
    }
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static boolean startsWithBom(byte[] bytes, int length) {
    return length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
  }

  /** {@code invalid UTF-8 (byte 0xff)}, or the bytes of a truncated sequence. */
  private static String problem(ByteBuffer in, CoderResult r) {
    StringBuilder hex = new StringBuilder();
    int length = Math.max(1, Math.min(r.length(), in.remaining()));
    for (int i = 0; i < length; i++) {
      hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02x",
          in.get(in.position() + i) & 0xff));
    }
    return "invalid UTF-8 (" + (length == 1 ? "byte " : "bytes ") + hex + "); the file must be UTF-8 text";
  }
}
