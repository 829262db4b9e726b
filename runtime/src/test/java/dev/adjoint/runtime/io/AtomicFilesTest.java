package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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
}
