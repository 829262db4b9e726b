package dev.adjoint.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
