package dev.adjoint.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that the target is either untouched or complete: the bytes go to a temporary
 * file beside the target ({@code .NAME.<random>.tmp}, created with the default permissions), are
 * forced to disk, and the temporary file is renamed over the target, atomically where the file
 * system can. A failed write deletes the temporary file and leaves the target as it was; an
 * interrupted process leaves at most a stray temporary file, never a truncated target.
 *
 * <p>Safetensors files, trained parameters, charts and generated sources are all written this way.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the file's contents to a stream; the stream is buffered and closed for it. */
  @FunctionalInterface
  public interface Contents {
    /** Writes everything to {@code out}. */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Atomically replaces {@code target} with {@code text} in UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Atomically replaces {@code target} with what {@code contents} writes. The parent directory must
   * exist.
   *
   * @throws IOException if writing, forcing or the rename fails; the target is then untouched
   */
  public static void write(Path target, Contents contents) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path temp = createTemp(absolute);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        contents.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // the original failure matters more; a stray temporary file is harmless
        }
      }
    }
  }

  /** An empty file beside {@code target}, with the default permissions (unlike {@code createTempFile}). */
  private static Path createTemp(Path target) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path temp = target.resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
      try {
        return Files.createFile(temp);
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 10) {
          throw e;
        }
      }
    }
  }
}
