package dev.adjoint.cli;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
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
    static List<ModelGraph> select(
            List<ModelGraph> models, String name, PrintWriter err) {
        if (name == null) {
            return models;
        }
        for (ModelGraph m : models) {
            if (m.name().equals(name)) {
                return List.of(m);
            }
        }
        err.println("adjoint: no model named " + name + "; the file has "
                + String.join(", ", models.stream().map(ModelGraph::name).toList()));
        return null;
    }

    /**
     * The checked models of a file, or null after printing why to {@code err}: the file cannot be read, or
     * its diagnostics. Either way the command's exit status is then 1. {@code f64Twin} reads f32 as f64.
     */
    static List<ModelGraph> analyze(Path path, boolean f64Twin, PrintWriter err) {
        SourceFile source = read(path, err);
        if (source == null) {
            return null;
        }
        FrontEnd.Result result = FrontEnd.analyze(source, f64Twin);
        if (!result.ok()) {
            err.print(result.diagnostics().format());
            err.flush();
            return null;
        }
        return result.models();
    }
}
