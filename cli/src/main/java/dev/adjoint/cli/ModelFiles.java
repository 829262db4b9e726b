package dev.adjoint.cli;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads model files for the commands, with clear errors for a missing or unreadable file. */
final class ModelFiles {
    private ModelFiles() {
    }

    /** The source, or null after printing {@code file: error: ...} to {@code err}. */
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
            byte[] bytes = Files.readAllBytes(path);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return new SourceFile(name, text);
        } catch (CharacterCodingException e) {
            err.println(name + ": error: not a UTF-8 text file");
            return null;
        } catch (IOException | OutOfMemoryError e) {
            err.println(name + ": error: cannot read: " + e.getMessage());
            return null;
        }
    }

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
