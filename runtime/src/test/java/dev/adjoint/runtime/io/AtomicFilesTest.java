package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesAndReplacesLeavingNoTemporaryFile() throws IOException {
    Path target = dir.resolve("out.txt");
    AtomicFiles.writeString(target, "first ü");
    AtomicFiles.writeString(target, "second");
    assertEquals("second", Files.readString(target));
    assertEquals(List.of("out.txt"), names());
  }

  @Test
  void aFailingWriterLeavesTheTargetAsItWas() throws IOException {
    Path target = dir.resolve("params.safetensors");
    AtomicFiles.write(target, new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write(new byte[100_000]);   // more than the buffer: part of it reaches the temporary file
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals(3, Files.size(target));
    assertEquals(List.of("params.safetensors"), names());
  }

  @Test
  void writeAllReplacesEveryTarget() throws IOException {
    Path a = dir.resolve("a.txt");
    Path b = dir.resolve("b.txt");
    AtomicFiles.writeString(a, "old a");
    Map<Path, AtomicFiles.Contents> files = new LinkedHashMap<>();
    files.put(a, out -> out.write("new a".getBytes(StandardCharsets.UTF_8)));
    files.put(b, out -> out.write("new b".getBytes(StandardCharsets.UTF_8)));
    AtomicFiles.writeAll(files);
    assertEquals("new a", Files.readString(a));
    assertEquals("new b", Files.readString(b));
    assertEquals(List.of("a.txt", "b.txt"), names());
  }

  @Test
  void writeAllIsAllOrNothingWhenAReplacementFails() throws IOException {
    Path a = dir.resolve("a.txt");
    Path fresh = dir.resolve("fresh.txt");
    Path blocked = dir.resolve("z.txt");
    AtomicFiles.writeString(a, "old a");
    Files.createDirectory(blocked);
    Files.writeString(blocked.resolve("inside"), "a non-empty directory is in the way of z.txt");
    Map<Path, AtomicFiles.Contents> files = new LinkedHashMap<>();
    files.put(a, out -> out.write("new a".getBytes(StandardCharsets.UTF_8)));
    files.put(fresh, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
    files.put(blocked, out -> out.write("new z".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IOException.class, () -> AtomicFiles.writeAll(files));
    assertEquals("old a", Files.readString(a), "a replaced target gets its old contents back");
    assertEquals(List.of("a.txt", "z.txt"), names(), "the new file is removed again, no temporary file is left");
  }

  @Test
  void writeAllWritesNothingWhenStagingFails() throws IOException {
    Path a = dir.resolve("a.txt");
    Map<Path, AtomicFiles.Contents> files = new LinkedHashMap<>();
    files.put(a, out -> out.write("new a".getBytes(StandardCharsets.UTF_8)));
    files.put(dir.resolve("b.txt"), out -> {
      throw new IOException("disk full");
    });
    assertEquals("disk full", assertThrows(IOException.class, () -> AtomicFiles.writeAll(files)).getMessage());
    assertEquals(List.of(), names());
  }

  /** Whether {@code signal} is ignored in this process (Linux: the SigIgn mask of /proc/self/status). */
  private static boolean ignored(String signal) throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    int number = signal.equals("INT") ? 2 : 15;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return new java.math.BigInteger(line.substring(7).trim(), 16).testBit(number - 1);
      }
    }
    return false;
  }

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "INT"})
  void aSignalWhileStagingLeavesNoTemporaryFile(String signal) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/kill")), "needs /bin/kill");
    Assumptions.assumeFalse(ignored(signal), "SIG" + signal + " is ignored in this process (a background job),"
        + " and so in the child JVM, which then keeps the signal ignored");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), StagingProcess.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("staged", out.readLine());
      assertEquals(2, names().size(), "a.txt and b.txt are staged: " + names());
      assertEquals(0, new ProcessBuilder("/bin/kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends on SIG" + signal);
    } finally {
      p.destroyForcibly();
    }
    assertEquals(List.of(), names(), "no temporary file, no target");
  }
}
