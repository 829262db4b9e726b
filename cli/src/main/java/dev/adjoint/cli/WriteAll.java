package dev.adjoint.cli;

import dev.adjoint.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a command writes, all or nothing ({@link AtomicFiles#writeAll}): the directories they need are
 * created first, and removed again (those that did not exist and are still empty) when writing fails.
 */
final class WriteAll {
    private WriteAll() {
    }

    /** Writes every file, or none; throws with the first problem. */
    static void write(Map<Path, byte[]> files) throws IOException {
        List<Path> created = new ArrayList<>();
        try {
            for (Path file : files.keySet()) {
                createDirectories(file.toAbsolutePath().getParent(), created);
            }
            Map<Path, AtomicFiles.Contents> contents = new LinkedHashMap<>();
            files.forEach((path, bytes) -> contents.put(path, out -> out.write(bytes)));
            AtomicFiles.writeAll(contents);
        } catch (IOException | RuntimeException e) {
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(created.get(i));
                } catch (DirectoryNotEmptyException ignored) {
                    // something else was put there meanwhile: keep it
                } catch (IOException ignored) {
                    // the original failure matters more
                }
            }
            throw e;
        }
    }

    /** Creates {@code dir} and its missing parents, recording each one created (outermost first). */
    private static void createDirectories(Path dir, List<Path> created) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) {
            if (Files.exists(d)) {
                throw new java.nio.file.FileAlreadyExistsException(d.toString(), null,
                        "it exists and is not a directory");
            }
            missing.add(0, d);
        }
        for (Path d : missing) {
            Files.createDirectory(d);
            created.add(d);
        }
    }
}
