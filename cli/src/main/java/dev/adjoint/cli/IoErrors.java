package dev.adjoint.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** Why a file operation failed, in words: Java's file exceptions often carry only the path as their message. */
final class IoErrors {
    private IoErrors() {
    }

    /**
     * {@code /out/M.java: permission denied}, {@code /x: no such file or directory}: the file and why; or the
     * exception's message when it is not about one file.
     */
    static String reason(IOException e) {
        String file = e instanceof FileSystemException f ? f.getFile() : null;
        return file == null ? why(e) : file + ": " + why(e);
    }

    /** Why, without the file: {@code permission denied}. */
    static String why(IOException e) {
        if (!(e instanceof FileSystemException f)) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
        String why;
        if (f.getReason() != null) {
            why = f.getReason().toLowerCase(Locale.ROOT);
        } else if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            why = "it exists already";
        } else if (e instanceof NotDirectoryException) {
            why = "not a directory";
        } else if (e instanceof DirectoryNotEmptyException) {
            why = "it is a directory that is not empty";
        } else {
            why = "failed";
        }
        return why;
    }
}
