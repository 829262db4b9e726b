package dev.adjoint.maven;

import dev.adjoint.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writing and deleting generated files: never a half-written file, never a rewrite of unchanged text. */
final class OutputFiles {
    private OutputFiles() {
    }

    /** Deletes a generated file and the directories below root it leaves empty; false if it did not exist. */
    static boolean delete(Path file, Path root) throws IOException {
        if (!Files.deleteIfExists(file)) {
            return false;
        }
        deleteEmptyParents(file, root);
        return true;
    }

    private static void deleteEmptyParents(Path file, Path root) throws IOException {
        for (Path dir = file.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root);
                dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }

    /** Writes text unless the file already holds it (javac then has nothing new to compile). */
    static boolean writeIfChanged(Path file, String text) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return false;
        }
        writeAtomically(file, text);
        return true;
    }

    /** Writes through a temporary file in the same directory and a rename: never a half-written file. */
    static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeString(file, text);
    }
}
