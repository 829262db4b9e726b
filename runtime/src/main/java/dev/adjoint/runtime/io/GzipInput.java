package dev.adjoint.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The decompressed bytes of a gzip file (RFC 1952), read strictly: one or more members, each with
 * its CRC-32 and length checked, and nothing after the last. Unlike {@link
 * java.util.zip.GZIPInputStream}, which ignores bytes after a member that do not start another one,
 * trailing data is an error; and every error is a {@link ZipException} that says what is wrong and
 * at which byte of the compressed file, e.g. {@code the gzip data ends early, at byte 200: the file
 * is truncated}.
 */
final class GzipInput extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int pos;
  private int limit;
  /** Bytes of the compressed file consumed before {@code buffer[0]}. */
  private long consumedBefore;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private boolean inMember;
  private boolean done;
  private int members;

  GzipInput(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!done) {
      if (!inMember) {
        startMember();
        continue;
      }
      int n = inflate(b, off, len);
      if (n > 0) {
        return n;
      }
    }
    return -1;
  }

  /** Reads the next member's header, or ends the stream at the end of the file. */
  private void startMember() throws IOException {
    if (!fill()) {
      if (members == 0) {
        throw new ZipException("the file is empty (0 bytes), not gzip data");
      }
      done = true;
      return;
    }
    long at = offset();
    int id1 = next("the gzip header");
    int id2 = next("the gzip header");
    if (id1 != 0x1f || id2 != 0x8b) {
      throw new ZipException(members == 0
          ? "not gzip data: the file does not start with the gzip signature 1f 8b"
          : "trailing data after the gzip data, at byte " + at);
    }
    if (next("the gzip header") != 8) {
      throw new ZipException("unsupported gzip compression method at byte " + (at + 2));
    }
    int flags = next("the gzip header");
    skip(6, "the gzip header"); // modification time, extra flags, operating system
    if ((flags & FEXTRA) != 0) {
      int extra = next("the gzip header") | next("the gzip header") << 8;
      skip(extra, "the gzip header");
    }
    if ((flags & FNAME) != 0) {
      while (next("the gzip header") != 0) {
        // the original file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (next("the gzip header") != 0) {
        // a comment
      }
    }
    if ((flags & FHCRC) != 0) {
      skip(2, "the gzip header");
    }
    inflater.reset();
    crc.reset();
    inMember = true;
    members++;
  }

  /** Inflates into {@code b}; at the end of a member checks its trailer. Returns the bytes made. */
  private int inflate(byte[] b, int off, int len) throws IOException {
    try {
      if (inflater.needsInput()) {
        if (!fill()) {
          throw new ZipException("the gzip data ends early, at byte " + offset()
              + ": the file is truncated");
        }
        inflater.setInput(buffer, pos, limit - pos);
        pos = limit;
      }
      int n = inflater.inflate(b, off, len);
      crc.update(b, off, n);
      if (inflater.finished()) {
        pos -= inflater.getRemaining(); // unread what belongs to the trailer
        long at = offset();
        long storedCrc = uint32("the gzip trailer");
        long storedSize = uint32("the gzip trailer");
        if (storedCrc != crc.getValue()) {
          throw new ZipException("corrupt gzip data: the CRC-32 check at byte " + at + " fails");
        }
        if (storedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
          throw new ZipException("corrupt gzip data: the length check at byte " + (at + 4) + " fails");
        }
        inMember = false;
      } else if (n == 0 && inflater.needsDictionary()) {
        throw new ZipException("corrupt gzip data near byte " + offset());
      }
      return n;
    } catch (DataFormatException e) {
      throw new ZipException("corrupt gzip data near byte " + offset() + " (" + e.getMessage() + ")");
    }
  }

  /** The offset in the compressed file of the next byte not yet handed to the inflater or parsed. */
  private long offset() {
    return consumedBefore + pos;
  }

  /** Makes at least one byte available; false at the end of the file. */
  private boolean fill() throws IOException {
    while (pos == limit) {
      consumedBefore += limit;
      pos = 0;
      limit = 0;
      int n = in.read(buffer, 0, buffer.length);
      if (n < 0) {
        return false;
      }
      limit = n;
    }
    return true;
  }

  private int next(String where) throws IOException {
    if (!fill()) {
      throw new ZipException("the gzip data ends early, in " + where + " at byte " + offset()
          + ": the file is truncated");
    }
    return buffer[pos++] & 0xff;
  }

  private void skip(int n, String where) throws IOException {
    for (int i = 0; i < n; i++) {
      next(where);
    }
  }

  private long uint32(String where) throws IOException {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (long) next(where) << (8 * i);
    }
    return v;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }
}
