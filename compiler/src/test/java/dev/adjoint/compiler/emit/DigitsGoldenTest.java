package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The generated class of the digits model, byte for byte. The golden file was reviewed for readability:
 * its backward pass follows the hand derivation (dlogits = softmax - one_hot scaled by 1/B, dh = dlogits @
 * W2^T, dW2 = h^T @ dlogits, the relu mask, dW1 = x^T @ dt7). A deliberate change to the emitter updates
 * it: regenerate with {@code ./adjoint compile digits.model -d DIR --package adjoint.samples} run in
 * {@code src/test/resources/models}, and review the diff.
 */
class DigitsGoldenTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = Objects.requireNonNull(DigitsGoldenTest.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void digitsClassMatchesTheReviewedGolden() throws IOException {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile("digits.model", resource("/models/digits.model")));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        String source = CompiledModel.of(r.models().get(0), Compiler.Options.of("adjoint.samples")).javaSource();
        assertEquals(resource("/golden/DigitsMlp.java.txt"), source);
    }
}
