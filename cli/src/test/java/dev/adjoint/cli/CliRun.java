package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** One run of the command line in-process: its exit code and both streams. */
record CliRun(int exit, String out, String err) {

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The path of a test model under {@code src/test/resources/models/}. */
    static String model(String name) {
        try {
            return Path.of(Objects.requireNonNull(CliRun.class.getResource("/models/" + name), name).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    void assertNoStackTrace() {
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }
}
