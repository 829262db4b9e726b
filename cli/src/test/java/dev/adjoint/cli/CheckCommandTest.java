package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code adjoint check}: exit codes, what goes to standard output, what goes to standard error. */
class CheckCommandTest {




    @Test
    void goodModelPrintsEveryNamedValueAndExitsZero() {
        CliRun r = CliRun.run("check", CliRun.model("digits.model"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertEquals("""
                model DigitsMlp
                  dim    B
                  input  x      : f32[B, 64]
                  input  y      : i32[B]
                  param  W1     : f32[64, 32] = he_normal
                  param  b1     : f32[32] = zeros
                  param  W2     : f32[32, 10] = glorot_uniform
                  param  b2     : f32[10] = zeros
                  value  h      : f32[B, 32]
                  value  logits : f32[B, 10]
                  output probs  : f32[B, 10]
                  loss   nll    : f32[]
                """, r.out());
    }

    @Test
    void unrolledStatementsArePrintedOnceWithACount() {
        CliRun r = CliRun.run("check", CliRun.model("deep.model"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  param W[4] : f64[8, 8] = normal(0, 0.1)\n"), r.out());
        assertTrue(r.out().contains("  value h    : f64[2, 8]  (x4, line 10)\n"), r.out());
        assertTrue(r.out().endsWith("  loss  loss : f64[]\n"), r.out());
    }

    @Test
    void badModelPrintsEveryErrorOnStandardErrorAndNothingOnStandardOutput() {
        String path = CliRun.model("bad.model");
        CliRun r = CliRun.run("check", path);
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(path + ":6:9: error: matmul: [B, 64] @ [32, 10]: inner dimensions 64 and 32 differ\n"
                + "    h = x @ W\n"
                + "          ^\n"
                + path + ":7:11: error: unknown name 'y'\n"
                + "    g = exp(y)\n"
                + "            ^\n"
                + path + ":8:10: error: loss loss must be a scalar, got f32[64]; reduce it with mean(...) or sum(...)\n"
                + "    loss = sum(x, axis=0)\n"
                + "           ^~~~~~~~~~~~~~\n"
                + "3 errors\n", r.err());
        r.assertNoStackTrace();
    }

    @Test
    void syntaxErrorIsReportedLikeAnyOther() {
        String path = CliRun.model("syntax.model");
        CliRun r = CliRun.run("check", path);
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith(path + ":3:12: error: syntax error: "), r.err());
        assertTrue(r.err().endsWith("1 error\n"), r.err());
        r.assertNoStackTrace();
    }

    @Test
    void missingFile(@TempDir Path dir) {
        String path = dir.resolve("nope.model").toString();
        CliRun r = CliRun.run("check", path);
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals(path + ": error: no such file\n", r.err());
    }

    @Test
    void directoryOrNonUtf8File(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.run("check", dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("is a directory"), r.err());
        Path binary = Files.write(dir.resolve("binary.model"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        r = CliRun.run("check", binary.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith(binary + ":1:1: error: invalid UTF-8 (byte 0xff); the file must be UTF-8 text"),
                r.err());
    }

    @Test
    void invalidUtf8IsReportedAtItsLineAndColumn(@TempDir Path dir) throws IOException {
        byte[] before = "model M {\n  input x : f32[3]\n  y = x ".getBytes(StandardCharsets.UTF_8);
        byte[] after = "+ 1\n}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(before, before.length + 1 + after.length);
        bytes[before.length] = (byte) 0xff; // never a byte of UTF-8
        System.arraycopy(after, 0, bytes, before.length + 1, after.length);
        Path bad = Files.write(dir.resolve("bad.model"), bytes);
        CliRun r = CliRun.run("check", bad.toString());
        assertEquals(1, r.exit());
        assertEquals(bad + ":3:9: error: invalid UTF-8 (byte 0xff); the file must be UTF-8 text\n"
                + "    y = x \ufffd+ 1\n"
                + "          ^\n"
                + "1 error\n", r.err());
    }

    @Test
    void aByteOrderMarkBeforeTheModelIsSkipped(@TempDir Path dir) throws IOException {
        Path bom = Files.write(dir.resolve("bom.model"), ("\ufeffmodel M {\n  input x : f32[3]\n  output y = x\n}\n")
                .getBytes(StandardCharsets.UTF_8));
        CliRun r = CliRun.run("check", bom.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("model M\n"), r.out());
    }

    @Test
    void controlCharactersAreEscapedInMessagesAndHiddenInTheEchoedLine(@TempDir Path dir) throws IOException {
        Path ctl = Files.writeString(dir.resolve("ctl.model"), "model M {\n  input x : f32[3]\n  y = x \u001b[31m+ 1\n}\n");
        CliRun r = CliRun.run("check", ctl.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(ctl + ":3:9: error: syntax error: unexpected character '\\u001b'\n"
                + "    y = x ?[31m+ 1\n"
                + "          ^\n"), r.err());
        assertTrue(r.err().chars().noneMatch(c -> c < 0x20 && c != '\n'), r.err());
    }

    @Test
    void emptyFileHasNoModel(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.model"), "// nothing here\n");
        CliRun r = CliRun.run("check", empty.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(":1:1: error: no model in this file"), r.err());
    }

    @Test
    void helpForAdjointAndForCheck() {
        CliRun top = CliRun.run("--help");
        assertEquals(0, top.exit());
        assertTrue(top.out().startsWith("Usage: adjoint"), top.out());
        assertTrue(top.out().contains("check"), top.out());
        assertEquals("", top.err());
        CliRun check = CliRun.run("check", "--help");
        assertEquals(0, check.exit());
        assertTrue(check.out().startsWith("Usage: adjoint check"), check.out());
        assertTrue(check.out().contains("FILE.model"), check.out());
        assertEquals("", check.err());
        CliRun help = CliRun.run("help", "check");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("Usage: adjoint check"), help.out());
    }

    @Test
    void noArgumentsPrintsUsage() {
        CliRun r = CliRun.run();
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: adjoint"), r.out());
    }

    @Test
    void badUsageExitsTwo() {
        CliRun missing = CliRun.run("check");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("Missing required parameter: 'FILE.model'"), missing.err());
        assertEquals("", missing.out());
        CliRun unknown = CliRun.run("frobnicate");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("frobnicate"), unknown.err());
    }

    @Test
    void theDefaultEntryPointWritesToTheProcessStreams() {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run("check", CliRun.model("bad.model"));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals(1, exit);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("3 errors\n"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everythingACommandPrintsReachesTheProcessStreams(@TempDir Path dir) throws IOException {
        // Messages printed without a newline at the end (a formatted diagnostic) were lost: picocli's default
        // writers flush only on println, and Main flushed another writer than the one the command used.
        Path bad = Files.write(dir.resolve("bad.model"), new byte[] {'m', (byte) 0xff});
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, false, StandardCharsets.UTF_8));
            assertEquals(1, Main.run("check", bad.toString()));
        } finally {
            System.setErr(savedErr);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(bad + ":1:2: error: invalid UTF-8 (byte 0xff)"),
                err.toString(StandardCharsets.UTF_8));
    }
}
