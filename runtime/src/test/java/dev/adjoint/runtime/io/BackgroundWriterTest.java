package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundWriterTest {
  @TempDir Path dir;

  private static byte[] version(int v) {
    byte[] b = new byte[100_000 + v];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theLastBytesHandedOverAreOnDiskAfterAwaitAndNoTemporaryFileIsLeft() throws IOException {
    Path target = dir.resolve("run.ckpt");
    try (BackgroundWriter w = new BackgroundWriter(target)) {
      for (int v = 1; v <= 40; v++) {
        w.submit(version(v));
      }
      w.await();
      assertArrayEquals(version(40), Files.readAllBytes(target));
      int written = w.written();
      assertTrue(written >= 1 && written <= 40, "writes: " + written);
      w.submit(version(41));
      w.await();
      assertEquals(written + 1, w.written(), "one more write");
      assertArrayEquals(version(41), Files.readAllBytes(target));
    }
    assertEquals(List.of("run.ckpt"), files());
  }

  @Test
  void whileWritesRunTheFileIsAlwaysAWholeVersion() throws IOException {
    Path target = dir.resolve("run.ckpt");
    try (BackgroundWriter w = new BackgroundWriter(target)) {
      w.submit(version(1));
      w.await();
      for (int v = 2; v <= 30; v++) {
        w.submit(version(v));
        byte[] seen = Files.readAllBytes(target);
        int of = seen.length - 100_000;
        assertTrue(of >= 1 && of <= v, "a version handed over: " + of);
        assertArrayEquals(version(of), seen);
      }
    }
  }

  @Test
  void aFailedWriteIsThrownByAwaitAndByEverySubmitAfterIt() throws IOException {
    Path target = dir.resolve("missing/run.ckpt");
    BackgroundWriter w = new BackgroundWriter(target);
    w.submit(version(1));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, w::await);
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
    assertThrows(NoSuchFileException.class, () -> w.submit(version(2)));
    Files.createDirectories(dir.resolve("missing"));
    assertThrows(NoSuchFileException.class, w::close, "nothing is written after a failure");
    assertEquals(0, w.written());
    assertEquals(List.of("missing"), files());
    assertEquals(List.of(), Files.list(dir.resolve("missing")).toList());
  }

  @Test
  void aDirectoryInTheWayIsNamed() throws IOException {
    Path target = dir.resolve("run.ckpt");
    Files.createDirectories(target.resolve("in-the-way"));
    try (BackgroundWriter w = new BackgroundWriter(target)) {
      w.submit(version(1));
      FileSystemException e = assertThrows(FileSystemException.class, w::await);
      assertEquals(target.toAbsolutePath() + ": a directory is in the way", e.getMessage());
    } catch (FileSystemException expected) {
      // close() throws the same failure again
    }
  }

  @Test
  void submitAfterCloseIsRefusedAndCloseWithoutWritesStartsNoThread() throws IOException {
    BackgroundWriter w = new BackgroundWriter(dir.resolve("run.ckpt"));
    w.close();
    assertThrows(IllegalStateException.class, () -> w.submit(version(1)));
    assertEquals(0, w.written());
    assertEquals(List.of(), files());
  }
}
