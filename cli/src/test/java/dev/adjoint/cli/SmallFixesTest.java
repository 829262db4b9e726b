package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code -V} (version, Java and kernels), {@code show --format java} without a stage, unknown {@code --dims}. */
class SmallFixesTest {

    @Test
    void dashCapitalVPrintsTheProjectVersionBeforeOrAfterACommand() {
        for (String[] args : new String[][] {{"-V"}, {"--version"}, {"train", "-V"}, {"show", "--version"}}) {
            CliRun r = CliRun.run(args);
            assertEquals(0, r.exit(), String.join(" ", args));
            assertTrue(r.out().matches("adjoint \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"
                    + "java \\S+, kernels: (scalar|vector-api \\(\\d+-bit\\))\\R"), String.join(" ", args) + ": " + r.out());
        }
    }

    @Test
    void theGeneratedClassNeedsNoStage() {
        CliRun java = CliRun.run("show", CliRun.model("digits.model"), "--format", "java");
        assertEquals(0, java.exit(), java.err());
        assertTrue(java.out().contains("public final class DigitsMlp"), java.out());
        CliRun text = CliRun.run("show", CliRun.model("digits.model"));
        assertEquals(2, text.exit());
        assertEquals("adjoint show: give --stage forward, gradient, optimized or memory (only --format java needs"
                + " none)\n", text.err());
    }

    /** picocli reads a description as a format string: a bare {@code %} made it print a warning instead of help. */
    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            for (String command : new picocli.CommandLine(new Main()).getSubcommands().keySet()) {
                CliRun r = CliRun.run(command, "--help");
                assertEquals(0, r.exit(), command);
                assertTrue(r.out().contains("Usage: adjoint " + command), command + ": " + r.out());
                assertTrue(!r.out().contains("%n"), command + ": " + r.out());
            }
            CliRun.run("--help");
        } finally {
            System.setErr(saved);
        }
        String err = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!err.contains("picocli WARN"), err);
    }

    @Test
    void anUnknownDimIsAnError() {
        CliRun r = CliRun.run("gradcheck", CliRun.model("digits.model"), "--dims", "N=2");
        assertEquals(2, r.exit());
        assertEquals("adjoint gradcheck: --dims N=2: model DigitsMlp has no dim N (its dims: B)\n", r.err());
        assertEquals("", r.out());
    }
}
