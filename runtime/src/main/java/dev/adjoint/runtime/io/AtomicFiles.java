package dev.adjoint.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that the targets are either untouched or complete: the bytes go to a temporary
 * file beside each target ({@code .NAME.<random>.tmp}, created with the default permissions), are
 * forced to disk, and the temporary file is renamed over the target, atomically where the file
 * system can. A failed write deletes the temporary file and leaves the target as it was.
 *
 * <p>{@link #writeAll} does this for several files at once, all or nothing: every file is staged
 * first; only when all are staged are the targets replaced, and if a replacement fails, the
 * targets already replaced get their old contents back (or are removed, if they were new).
 *
 * <p>Temporary files are deleted when the JVM shuts down on SIGINT or SIGTERM (a shutdown hook,
 * installed on first use, deletes every file still staged; it waits for a replacement in progress
 * to finish or roll back first). Only a hard kill ({@code SIGKILL}) or a crash can leave a stray
 * temporary file, never a truncated target.
 *
 * <p>Safetensors files, trained parameters, charts and generated sources are all written this way.
 */
public final class AtomicFiles {
  /** Temporary and backup files that exist now; the shutdown hook deletes what is left. */
  private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
  /** Held while targets are being replaced, so that the shutdown hook never sees half a commit. */
  private static final Object COMMIT = new Object();

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
    writeAll(Map.of(target, contents));
  }

  /**
   * Replaces every target with what its {@link Contents} writes, all or nothing; see the class
   * comment. The parent directories must exist; the targets must be distinct.
   *
   * @throws IOException if a file cannot be staged or a target cannot be replaced; every target is
   *     then as it was, and no temporary file is left
   */
  public static void writeAll(Map<Path, Contents> files) throws IOException {
    installHook();
    Map<Path, Path> staged = new LinkedHashMap<>(); // target -> temporary file
    try {
      for (Map.Entry<Path, Contents> f : files.entrySet()) {
        Path target = f.getKey().toAbsolutePath();
        Path temp = createTemp(target, ".tmp");
        staged.put(target, temp);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
          f.getValue().writeTo(out);
          out.flush();
          channel.force(true);
        }
      }
      synchronized (COMMIT) {
        commit(staged);
      }
    } finally {
      for (Path temp : staged.values()) {
        deleteQuietly(temp); // after a commit, nothing is left to delete
      }
    }
  }

  /** Moves every staged file over its target; on a failure, puts back what was there. */
  private static void commit(Map<Path, Path> staged) throws IOException {
    if (staged.size() == 1) {
      // one file: a rename over the target replaces it at once (readers see the old or the new file, never
      // none), and a failed rename leaves it as it was, so it needs no backup
      Map.Entry<Path, Path> only = staged.entrySet().iterator().next();
      replace(only.getValue(), only.getKey());
      PENDING.remove(only.getValue());
      return;
    }
    Map<Path, Path> backups = new LinkedHashMap<>(); // target -> its old contents, moved aside
    List<Path> replaced = new ArrayList<>();
    try {
      for (Path target : staged.keySet()) {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
          Path backup = createTemp(target, ".bak");
          move(target, backup);
          PENDING.remove(backup); // it holds the old contents now: never delete it at shutdown
          backups.put(target, backup);
        }
      }
      for (Map.Entry<Path, Path> s : staged.entrySet()) {
        replace(s.getValue(), s.getKey());
        PENDING.remove(s.getValue());
        replaced.add(s.getKey());
      }
    } catch (IOException | RuntimeException e) {
      for (Path target : replaced) {
        if (!backups.containsKey(target)) {
          deleteQuietly(target); // it was new: remove it again
        }
      }
      for (Map.Entry<Path, Path> b : backups.entrySet()) {
        try {
          move(b.getValue(), b.getKey());
        } catch (IOException restore) {
          e.addSuppressed(restore); // the backup stays beside the target, named .NAME.<random>.bak
        }
      }
      throw e;
    }
    for (Path backup : backups.values()) {
      deleteQuietly(backup);
    }
  }

  /** Moves a staged file over its target; a failure names the target (not the temporary file) and why. */
  private static void replace(Path staged, Path target) throws IOException {
    try {
      move(staged, target);
    } catch (FileSystemException e) {
      String why = Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) ? "a directory is in the way"
          : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
      FileSystemException named = new FileSystemException(target.toString(), null, why);
      named.initCause(e);
      throw named;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * An empty file beside {@code target}, {@code .NAME.<random><suffix>}, with the default
   * permissions (unlike {@code createTempFile}); registered for the shutdown hook.
   */
  private static Path createTemp(Path target, String suffix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String random = Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path temp = target.resolveSibling("." + target.getFileName() + "." + random + suffix);
      PENDING.add(temp);
      try {
        return Files.createFile(temp);
      } catch (FileAlreadyExistsException e) {
        PENDING.remove(temp);
        if (attempt >= 10) {
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        PENDING.remove(temp);
        throw e;
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
      PENDING.remove(file);
    } catch (IOException e) {
      // the original failure matters more; the file stays registered for the shutdown hook
    }
  }

  private static volatile boolean hookInstalled;

  private static void installHook() {
    if (hookInstalled) {
      return;
    }
    synchronized (AtomicFiles.class) {
      if (!hookInstalled) {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deletePending,
            "adjoint-atomic-files-cleanup"));
        hookInstalled = true;
      }
    }
  }

  /** The shutdown hook: waits for a commit in progress, then deletes every file still staged. */
  private static void deletePending() {
    synchronized (COMMIT) {
      for (Path p : List.copyOf(PENDING)) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // nothing more can be done while the JVM shuts down
        }
      }
    }
  }
}
