package dev.adjoint.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one diagnostic type: its position, its three-line format, and how diagnostics are collected. */
class DiagnosticsTest {
    private static final SourceFile SOURCE =
            new SourceFile("m.model", "model M {\n\tinput x : f32[3]\r\n  y = x @ x\n}");

    @Test
    void linesAndColumnsAreOneBased() {
        assertEquals(4, SOURCE.lineCount());
        assertEquals("\tinput x : f32[3]", SOURCE.line(2), "the \\r of a CRLF line end is not part of the line");
        assertEquals("}", SOURCE.line(4));
        assertEquals("", SOURCE.line(5));
        Span at = SOURCE.spanAt(SOURCE.text().indexOf("@"), 1);
        assertEquals(3, at.line());
        assertEquals(9, at.column());
        assertEquals("m.model:3:9", at.where());
    }

    @Test
    void formatIsHeaderSourceLineAndCaret() {
        Diagnostic d = Diagnostic.error(SOURCE.spanAt(SOURCE.text().indexOf("@"), 1), "matmul: shapes differ");
        assertEquals("m.model:3:9: error: matmul: shapes differ", d.header());
        assertEquals("""
                m.model:3:9: error: matmul: shapes differ
                    y = x @ x
                          ^
                """, d.format());
    }

    @Test
    void caretKeepsTabsAndUnderlinesTheToken() {
        int f32 = SOURCE.text().indexOf("f32");
        Diagnostic d = Diagnostic.error(SOURCE.spanAt(f32, 6), "bad type");
        assertEquals("m.model:2:12: error: bad type\n  \tinput x : f32[3]\n  \t          ^~~~~~\n", d.format());
    }

    @Test
    void caretAtTheEndOfALineAndOfTheFile() {
        Diagnostic eol = Diagnostic.error(SOURCE.spanAt(SOURCE.text().indexOf("x\n}") + 1, 1), "expected more");
        assertEquals("m.model:3:12: error: expected more\n    y = x @ x\n             ^\n", eol.format());
        Diagnostic eof = Diagnostic.error(SOURCE.spanAt(SOURCE.text().length(), 0), "end");
        assertEquals("m.model:4:2: error: end\n  }\n   ^\n", eof.format());
    }

    @Test
    void runawayLinesAreNotEchoed() {
        SourceFile long1 = new SourceFile("l.model", "x".repeat(5000));
        Diagnostic d = Diagnostic.error(long1.spanAt(4000, 1), "too long");
        assertEquals("l.model:1:4001: error: too long\n", d.format());
    }

    @Test
    void diagnosticsAreSortedByPlaceAndCounted() {
        Diagnostics all = new Diagnostics();
        all.error(SOURCE.spanAt(SOURCE.text().indexOf("y"), 1), "second");
        all.error(SOURCE.spanAt(0, 5), "first");
        assertEquals(List.of("first", "second"), all.sorted().stream().map(Diagnostic::message).toList());
        assertEquals(2, all.errorCount());
        assertTrue(all.format().endsWith("\n2 errors\n"), all.format());
    }

    @Test
    void oneDiagnosticPerPlace() {
        Diagnostics all = new Diagnostics();
        Span at = SOURCE.spanAt(SOURCE.text().indexOf("@"), 1);
        all.error(at, "index 3 is out of range");
        all.error(at, "index 4 is out of range");
        all.error(SOURCE.spanAt(0, 1), "elsewhere");
        assertEquals(2, all.errorCount());
        assertEquals("index 3 is out of range", all.sorted().get(1).message());
    }

    @Test
    void errorsInsideAnInlinedCallNameTheCall() {
        Diagnostics all = new Diagnostics();
        all.enterCall("fn block called at line 9");
        all.enterCall("fn dense called at line 3");
        all.error(SOURCE.spanAt(0, 1), "shapes differ");
        all.exitCall();
        all.exitCall();
        all.error(SOURCE.spanAt(1, 1), "plain");
        assertEquals("shapes differ (in fn dense called at line 3, in fn block called at line 9)",
                all.sorted().get(0).message());
        assertEquals("plain", all.sorted().get(1).message());
    }

    @Test
    void tooManyErrorsAreCutOff() {
        SourceFile big = new SourceFile("b.model", "x".repeat(500));
        Diagnostics all = new Diagnostics();
        for (int i = 0; i < 300; i++) {
            all.error(big.spanAt(i, 1), "error " + i);
        }
        assertEquals(Diagnostics.MAX_ERRORS, all.errorCount());
        assertTrue(all.truncated());
        assertTrue(all.format().endsWith("too many errors; only the first 100 are shown\n100 errors\n"));
    }

    @Test
    void sourceBytesThatAreNotUtf8AreAnErrorAtTheirPlace() {
        Diagnostics d = new Diagnostics();
        byte[] bytes = "model M {\n  y = \u00e9x\n}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bytes[16] = (byte) 0x80; // the second byte of \u00e9 stays; its first becomes a lone continuation byte
        SourceFile s = SourceFile.decode("t.model", bytes, d);
        assertEquals(1, d.errorCount());
        assertEquals("t.model:2:7: error: invalid UTF-8 (byte 0x80); the file must be UTF-8 text",
                d.sorted().get(0).header());
        assertEquals("  y = \ufffd\ufffdx", s.line(2));
        Diagnostics none = new Diagnostics();
        SourceFile bom = SourceFile.decode("b.model", "\ufeffmodel M {}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                none);
        assertEquals("model M {}", bom.text());
        assertEquals(0, none.errorCount());
    }

    @Test
    void controlCharactersAreEscapedInTheHeaderAndHiddenInTheSourceLine() {
        SourceFile f = new SourceFile("t.model", "a \u001b[2J b\n");
        Diagnostic d = Diagnostic.error(f.spanAt(2, 1), "unexpected '\u001b'");
        assertEquals("t.model:1:3: error: unexpected '\\u001b'\n  a ?[2J b\n    ^\n", d.format());
    }
}
