package dev.adjoint.runtime.io;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process for {@link AtomicFilesTest}: stages {@code DIR/a.txt}, then, while staging {@code DIR/b.txt}, prints
 * {@code staged} and waits to be killed by a signal.
 */
final class StagingProcess {
  private StagingProcess() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Map<Path, AtomicFiles.Contents> files = new LinkedHashMap<>();
    files.put(dir.resolve("a.txt"), out -> out.write(new byte[100_000]));
    files.put(dir.resolve("b.txt"), out -> {
      out.write(new byte[100_000]);
      out.flush();
      System.out.println("staged");
      System.out.flush();
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    AtomicFiles.writeAll(files);
  }
}
