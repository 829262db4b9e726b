package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.samples.models.DigitsMlp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo trains the plugin-generated DigitsMlp well past chance on data it never saw. */
class DigitsDemoTest {
    @Test
    void trainsTheGeneratedClassToAUsefulAccuracy() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        DigitsDemo.Result result = DigitsDemo.train(new DigitsMlp(42), Path.of("data/digits.csv.gz"), 5, 42, out);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(5, printed.lines().filter(l -> l.startsWith("epoch ")).count(), printed);
        assertTrue(printed.contains("held-out accuracy"), printed);
        assertTrue(printed.contains("verdict"), "the gradient health table follows\n" + printed);
        assertTrue(result.heldOutAccuracy() > 0.85, "accuracy " + result.heldOutAccuracy() + "\n" + printed);
        assertTrue(result.lastLoss() < 0.5, "loss " + result.lastLoss() + "\n" + printed);
    }
}
