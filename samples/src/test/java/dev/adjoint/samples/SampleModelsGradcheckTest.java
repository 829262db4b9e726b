package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code adjoint gradcheck} passes on every bundled sample: generated gradients against finite differences. */
class SampleModelsGradcheckTest {

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("models"))) {
            return files.filter(p -> p.toString().endsWith(".model")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void gradcheckPasses(Path model) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), "gradcheck", model.toString(), "--seed", "1");
        assertEquals(0, exit, out + "\n" + err);
        assertTrue(out.toString().endsWith("all gradients within tolerance\n"), out.toString());
    }
}
