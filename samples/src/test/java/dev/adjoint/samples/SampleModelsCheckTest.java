package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CheckReport;
import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bundled sample model checks cleanly, and {@code adjoint check} prints exactly its golden report
 * ({@code src/test/resources/golden/NAME.check}). To accept a deliberate change, run the tests with
 * {@code -Dadjoint.updateGolden=true} and review the diff.
 */
class SampleModelsCheckTest {
    private static final Path MODELS = Path.of("models");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(MODELS)) {
            return files.filter(p -> p.toString().endsWith(".model")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void checksCleanlyAndMatchesGolden(Path model) throws IOException {
        String text = Files.readString(model, StandardCharsets.UTF_8);
        FrontEnd.Result result = FrontEnd.analyze(new SourceFile(model.toString(), text));
        assertTrue(result.ok(), () -> result.diagnostics().format());
        String report = CheckReport.format(result.models());
        Path golden = GOLDEN.resolve(model.getFileName().toString().replace(".model", ".check"));
        if (Boolean.getBoolean("adjoint.updateGolden")) {
            Files.writeString(golden, report, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(golden), "missing golden file " + golden);
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), report);
    }
}
