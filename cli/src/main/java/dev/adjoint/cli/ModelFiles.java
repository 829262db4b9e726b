package dev.adjoint.cli;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.parse.ModelParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads model files for the commands, with clear errors for a missing or unreadable file. */
final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * The source, or null after printing why not to {@code err}: {@code file: error: ...} for a file that cannot
     * be read or is too large, {@code file:line:col: error: ...} at the first byte that is not UTF-8. A UTF-8 byte
     * order mark at the start is skipped.
     */
    static SourceFile read(Path path, PrintWriter err) {
        String name = path.toString();
        if (!Files.exists(path)) {
            err.println(name + ": error: no such file");
            return null;
        }
        if (Files.isDirectory(path)) {
            err.println(name + ": error: is a directory, not a .model file");
            return null;
        }
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                err.println(name + ": error: the file is too large: " + size + " bytes (a model file has at most "
                        + ModelParser.MAX_SOURCE_CHARS + " characters)");
                return null;
            }
            Diagnostics d = new Diagnostics();
            SourceFile source = SourceFile.decode(name, Files.readAllBytes(path), d);
            if (d.hasErrors()) {
                err.print(d.format());
                return null;
            }
            return source;
        } catch (IOException e) {
            err.println(name + ": error: cannot read: " + IoErrors.why(e));
            return null;
        }
    }

    /** Bytes a model file may have: its character limit, at most 4 bytes each in UTF-8. */
    private static final long MAX_BYTES = 4L * ModelParser.MAX_SOURCE_CHARS;

    /** The model named {@code name}, or every model when name is null; null after printing an error. */
    static List<CompiledModel> select(List<CompiledModel> models, String name, PrintWriter err) {
        if (name == null) {
            return models;
        }
        for (CompiledModel m : models) {
            if (m.name().equals(name)) {
                return List.of(m);
            }
        }
        err.println("adjoint: no model named " + name + "; the file has "
                + String.join(", ", models.stream().map(CompiledModel::name).toList()));
        return null;
    }

    /**
     * The checked models of a file, through the compiler facade, or null after printing why to {@code err}: the
     * file cannot be read, or its diagnostics. Either way the command's exit status is then 1.
     */
    static Compilation compile(Path path, Compiler.Options options, PrintWriter err) {
        SourceFile source = read(path, err);
        if (source == null) {
            return null;
        }
        Compilation result = Compiler.compile(source, options);
        if (!result.ok()) {
            err.print(result.diagnostics().format());
            err.flush();
            return null;
        }
        return result;
    }
}
