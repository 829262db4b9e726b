package dev.adjoint.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code adjoint show}: stages, formats, exit codes and streams. */
class ShowCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String model(String name) {
        try {
            return Path.of(Objects.requireNonNull(ShowCommandTest.class.getResource("/models/" + name)).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void gradientTextGoesToStdout() {
        Run r = run("show", model("digits.model"), "--stage", "gradient");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("model DigitsMlp: gradient graph, 33 nodes\n"), r.out());
        assertTrue(r.out().contains("gradient W1 = dW1\n"), r.out());
    }

    @Test
    void dotFormat() {
        Run r = run("show", model("deep.model"), "--stage", "forward", "--format", "dot");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("digraph \"Deep forward\" {"), r.out());
    }

    @Test
    void badModelPrintsDiagnosticsAndNothingOnStdout() {
        Run r = run("show", model("bad.model"), "--stage", "forward");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains(": error: "), r.err());
    }

    @Test
    void stagesAndFormatsNotBuiltYetSaySoWithExitTwo() {
        Run optimized = run("show", model("digits.model"), "--stage", "optimized");
        assertEquals(2, optimized.exit());
        assertTrue(optimized.err().contains("--stage optimized is not available yet"), optimized.err());
        Run java = run("show", model("digits.model"), "--stage", "forward", "--format", "java");
        assertEquals(2, java.exit());
        assertTrue(java.err().contains("--format java is not available yet"), java.err());
        assertEquals("", optimized.out() + java.out());
    }

    @Test
    void unknownStageOrFormatOrModel() {
        assertEquals(2, run("show", model("digits.model"), "--stage", "backward").exit());
        assertEquals(2, run("show", model("digits.model"), "--stage", "forward", "--format", "svg").exit());
        Run r = run("show", model("digits.model"), "--stage", "forward", "--model", "Nope");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no model named Nope; the file has DigitsMlp"), r.err());
    }

    @Test
    void modelWithoutLossHasNoGradientGraph(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("noloss.model");
        Files.writeString(file, "model NoLoss {\n  input x : f64[3]\n  output y = exp(x)\n}\n");
        assertEquals(0, run("show", file.toString(), "--stage", "forward").exit());
        Run r = run("show", file.toString(), "--stage", "gradient");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("model NoLoss has no loss, so it has no gradient graph"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void help() {
        Run r = run("show", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--stage"), r.out());
    }
}
