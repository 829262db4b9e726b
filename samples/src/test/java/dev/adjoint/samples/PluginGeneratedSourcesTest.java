package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.GeneratedSource;
import dev.adjoint.compiler.diag.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What adjoint-maven-plugin generated in this build (samples/pom.xml) is exactly what the compiler makes of the
 * models as they are now: no model is missing, and no class is stale after a model was edited.
 */
class PluginGeneratedSourcesTest {
    private static final String PACKAGE = "dev.adjoint.samples.models";
    private static final Path MAIN = Path.of("target/generated-sources/adjoint");
    private static final Path TEST = Path.of("target/generated-test-sources/adjoint");

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("models"))) {
            return files.filter(p -> p.toString().endsWith(".model")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void generatedSourcesMatchTheModel(Path model) throws IOException {
        // The plugin names a model by its path relative to the module, as here.
        SourceFile source = new SourceFile("models/" + model.getFileName(),
                Files.readString(model, StandardCharsets.UTF_8));

        Compilation expected = Compiler.compile(source, Compiler.Options.of(PACKAGE).withGradientTests(true));

        assertTrue(expected.ok(), expected.diagnostics().format());
        for (GeneratedSource s : expected.sources()) {
            Path file = (s.test() ? TEST : MAIN).resolve(s.relativePath());
            assertTrue(Files.isRegularFile(file), file + " is missing");
            assertEquals(s.text(), Files.readString(file, StandardCharsets.UTF_8), file + " is stale");
        }
    }
}
