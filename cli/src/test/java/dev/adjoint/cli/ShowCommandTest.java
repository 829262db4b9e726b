package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code adjoint show}: stages, formats, exit codes and streams. */
class ShowCommandTest {



    @Test
    void gradientTextGoesToStdout() {
        CliRun r = CliRun.run("show", CliRun.model("digits.model"), "--stage", "gradient");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("model DigitsMlp: gradient graph, 33 nodes\n"), r.out());
        assertTrue(r.out().contains("gradient W1 = dW1\n"), r.out());
    }

    @Test
    void dotFormat() {
        CliRun r = CliRun.run("show", CliRun.model("deep.model"), "--stage", "forward", "--format", "dot");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("digraph \"Deep forward\" {"), r.out());
    }

    @Test
    void badModelPrintsDiagnosticsAndNothingOnStdout() {
        CliRun r = CliRun.run("show", CliRun.model("bad.model"), "--stage", "forward");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains(": error: "), r.err());
    }

    @Test
    void optimizedStageHasNoTransposeLeft() {
        CliRun optimized = CliRun.run("show", CliRun.model("digits.model"), "--stage", "optimized");
        assertEquals(0, optimized.exit(), optimized.err());
        assertTrue(optimized.out().startsWith("model DigitsMlp: optimized graph, "), optimized.out());
        assertTrue(optimized.out().contains("= matmul(dlogits, W2, transB)   // adjoint of h"), optimized.out());
        assertTrue(!optimized.out().contains("transpose("), optimized.out());
    }

    @Test
    void statsListEveryPassWithFormulasOfTheDimsAndTheRewrites() {
        CliRun stats = CliRun.run("show", CliRun.model("digits.model"), "--stage", "optimized", "--stats");
        assertEquals(0, stats.exit(), stats.err());
        String[] lines = stats.out().split("\n");
        assertEquals("model DigitsMlp: statistics per pass (FLOPs and bytes as formulas of the dims)", lines[0]);
        assertTrue(lines[1].matches("  stage +nodes +FLOPs +intermediate bytes"), lines[1]);
        assertTrue(lines[2].matches("  forward +8  4,911·B +508·B \\+ 4"), lines[2]);
        assertTrue(stats.out().contains("  layout "), stats.out());
        assertTrue(stats.out().contains("rewrites: ") && stats.out().contains("transpose-into-matmul ×3"), stats.out());
        CliRun gradientOnly = CliRun.run("show", CliRun.model("digits.model"), "--stage", "gradient", "--stats");
        assertTrue(!gradientOnly.out().contains("layout") && gradientOnly.out().contains("differentiate"),
                gradientOnly.out());
        CliRun timed = CliRun.run("show", CliRun.model("digits.model"), "--stage", "optimized", "--stats",
                "--timings");
        assertTrue(timed.out().contains("timings (ms, this run"), timed.out());
    }

    @Test
    void javaNeedsNoStageButTheGraphFormatsDo() {
        CliRun java = CliRun.run("show", CliRun.model("digits.model"), "--format", "java");
        assertEquals(0, java.exit(), java.err());
        assertTrue(java.out().contains("public final class DigitsMlp"), java.out());
        CliRun text = CliRun.run("show", CliRun.model("digits.model"));
        assertEquals(2, text.exit());
        assertTrue(text.err().contains("give --stage forward, gradient, optimized or memory"), text.err());
    }

    @Test
    void memoryStagePrintsThePeakFormulaTheBuffersAndTheSteps() {
        CliRun r = CliRun.run("show", CliRun.model("digits.model"), "--stage", "memory");
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("model DigitsMlp: memory plan, "), out);
        assertTrue(out.contains("\npeak = 468·B + 9,692 bytes"), out);    // 117 floats per row, 2,423 fixed
        assertTrue(out.contains("buf0    f32[32*B]  128·B  t6 1..2, h 3..16, dt7 17..19"), out);
        assertTrue(out.contains("probs 6..end"), out);                      // an output lives past the call
        assertTrue(out.contains("dlogits = mul(t22, t16)") && out.contains("t18, t20, t21, t22"), out);
        CliRun java = CliRun.run("show", CliRun.model("digits.model"), "--format", "java");
        assertTrue(java.out().contains("new MemoryReport(\"468·B + 9,692\""), java.out());
        CliRun dot = CliRun.run("show", CliRun.model("digits.model"), "--stage", "memory", "--format", "dot");
        assertEquals(2, dot.exit());
        assertTrue(dot.err().contains("the memory plan prints as text only"), dot.err());
    }

    @Test
    void memoryStageOfAModelWithoutLoss(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("noloss.model");
        Files.writeString(file, "model NoLoss {\n  dim N\n  input x : f64[N]\n  output y = exp(x) * 2\n}\n");
        CliRun r = CliRun.run("show", file.toString(), "--stage", "memory");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("0 backward") && r.out().contains("peak = 8·N bytes"), r.out());
    }

    @Test
    void javaFormatPrintsTheGeneratedClass() {
        CliRun java = CliRun.run("show", CliRun.model("digits.model"), "--stage", "gradient", "--format", "java");
        assertEquals(0, java.exit(), java.err());
        assertTrue(java.out().contains("public final class DigitsMlp implements AdjointModel"), java.out());
        assertTrue(java.out().contains("dlogits"), java.out());
    }

    @Test
    void unknownStageOrFormatOrModel() {
        assertEquals(2, CliRun.run("show", CliRun.model("digits.model"), "--stage", "backward").exit());
        assertEquals(2,
                CliRun.run("show", CliRun.model("digits.model"), "--stage", "forward", "--format", "svg").exit());
        CliRun r = CliRun.run("show", CliRun.model("digits.model"), "--stage", "forward", "--model", "Nope");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no model named Nope; the file has DigitsMlp"), r.err());
    }

    @Test
    void modelWithoutLossHasNoGradientGraph(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("noloss.model");
        Files.writeString(file, "model NoLoss {\n  input x : f64[3]\n  output y = exp(x)\n}\n");
        assertEquals(0, CliRun.run("show", file.toString(), "--stage", "forward").exit());
        CliRun r = CliRun.run("show", file.toString(), "--stage", "gradient");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("model NoLoss has no loss, so it has no gradient graph"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void help() {
        CliRun r = CliRun.run("show", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--stage"), r.out());
    }
}
