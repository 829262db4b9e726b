package dev.adjoint.compiler.parse;

import static dev.adjoint.compiler.diag.Sources.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.diag.Sources;
import dev.adjoint.compiler.elab.Elaborator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runaway input ends in a clear error, quickly: never a hang, a stack overflow or an out-of-memory crash. */
class LimitsTest {
    /**
     * Fails a test that hangs instead of stopping at a limit. It is not a speed assertion: on a quiet
     * machine each case stops within a second, but CI machines are shared and noisy.
     */
    private static final Duration HANG_GUARD = Duration.ofMinutes(2);


    @Test
    void tenMegabyteLineIsRejectedBeforeParsing() {
        String text = "model M {\n  input x : f32[3]\n  y = x" + " + x".repeat(2_600_000) + "\n}\n";
        Diagnostic d = onlyError(text);
        assertError(d, 1, 1, "file is too large", Integer.toString(ModelParser.MAX_SOURCE_CHARS));
    }

    @Test
    void megabyteLineInASmallEnoughFileIsRejected() {
        String text = "model M {\n  input x : f32[3]\n  y = x" + " + x".repeat(250_000) + "\n}\n";
        Diagnostic d = onlyError(text);
        assertError(d, 3, ModelParser.MAX_LINE_CHARS + 1, "line is too long", "1000007 characters",
                Integer.toString(ModelParser.MAX_LINE_CHARS));
        assertTrue(d.format().length() < 500, "a runaway line is not echoed under the error");
    }

    @Test
    void bracketsNestedTenThousandDeep() {
        // Spread over lines so that only the nesting limit applies.
        String open = ("(".repeat(100) + "\n").repeat(100);
        String close = (")".repeat(100) + "\n").repeat(100);
        String text = "model M {\n  input x : f32[3]\n  y = " + open + "x" + close + "}\n";
        Diagnostic d = onlyError(text);
        // The model's '{' and 100 '(' on line 3 make 101 levels: the 100th '(' of line 4 is one too many.
        assertError(d, 4, ModelParser.MAX_NESTING - 100, "nested too deeply",
                Integer.toString(ModelParser.MAX_NESTING));
    }

    @Test
    void operatorChainsWithoutBracketsAreLimitedToo() {
        String minus = ("-".repeat(100) + "\n").repeat(10_000);
        String text = "model M {\n  input x : f32[3]\n  y = " + minus + "x\n}\n";
        Diagnostic d = onlyError(text);
        assertTrue(d.message().contains("nested too deeply"), d::header);
        String powers = (" ^ x".repeat(1000) + "\n").repeat(100);
        d = onlyError("model M {\n  input x : f32[3]\n  y = x" + powers + "}\n");
        assertTrue(d.message().contains("nested too deeply"), d::header);
    }

    @Test
    void longButLegalExpressionsStillCompile() {
        String sum = (" + x".repeat(100) + "\n").repeat(50);
        String nested = "(".repeat(150) + "x" + ")".repeat(150);
        Sources.model("model M {\n  input x : f32[3]\n  y = x" + sum + "  z = " + nested + "\n  w = "
                + "-".repeat(500) + "x\n}\n");
    }

    @Test
    void unrollIntoMillionsOfNodesStopsAtTheNodeLimit() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  h = x
                  for i in 0..4000000 { h = h * 2 }   // under the iteration limit: the nodes stop it
                  output o = h
                }
                """);
        assertError(d, 4, 3, "model M is too large", "more than " + Elaborator.MAX_NODES + " graph nodes");
    }

    @Test
    void hugeLoopThatBuildsNothingStopsAtTheIterationLimit() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  h = x
                  for i in 0..100000000 { h = h }
                  output o = h
                }
                """);
        assertError(d, 4, 3, "model M is too large", "more than " + Elaborator.MAX_ITERATIONS + " iterations");
    }

    @Test
    void nestedRunawayLoopsBlameTheOutermostLoop() {
        List<Diagnostic> all = errors("""
                model M {
                  input x : f32[3]
                  h = x
                  for i in 0..100000 {
                    for j in 0..100000 { h = h }
                  }
                  output o = h
                }
                model Fine { input x : f32[3]; output o = x + x }
                model Bad { input x : f32[3]; output o = x @ x @ x }
                """);
        assertEquals(2, all.size(), all::toString);
        assertError(all.get(0), 4, 3, "iterations");
        assertError(all.get(1), 10, 48, "matmul", "[] @ [3]");
    }

    @Test
    void aLoopWhoseKnownBoundsPassTheLimitIsRefusedBeforeItsBodyRuns() {
        // The body's unknown name would be reported if the body ran even once.
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  h = x
                  for i in 0..100000000 { h = zz }
                  output o = h
                }
                """);
        assertError(d, 4, 3, "model M is too large", "more than " + Elaborator.MAX_ITERATIONS + " iterations");
    }

    @Test
    void nestedLoopsWhoseProductPassesTheLimitAreRefusedBeforeTheInnerBodyRuns() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[3]
                  h = x
                  const n = 3000
                  for i in 0..n {
                    k = i
                    for j in 0..n { h = zz }
                  }
                  output o = h
                }
                """);
        assertError(d, 5, 3, "model M is too large", "iterations");
    }

    @Test
    void anInnerLoopWhoseBoundsChangeWithTheOuterLoopIsNotProjected() {
        // 0 + 1 + ... + 2999 = 4,498,500 iterations: under the limit, though 3000 x 3000 is not.
        Sources.model("""
                model M {
                  input x : f32[3]
                  h = x
                  for i in 0..3000 {
                    for j in i..3000 { h = h }
                  }
                  output o = h
                }
                """);
    }

    @Test
    void fnsThatDoubleTheirCallsThirtyDeepStopAtTheCallLimit() {
        StringBuilder src = new StringBuilder("fn f0(x) = x\n");
        for (int i = 1; i <= 30; i++) {
            src.append("fn f").append(i).append("(x) = f").append(i - 1).append("(x) + f").append(i - 1)
                    .append("(x)\n");
        }
        src.append("model M {\n  input x : f32[3]\n  output o = f30(x)\n}\n");
        Diagnostic d = onlyError(src.toString());
        assertError(d, 34, 14, "model M is too large", "more than " + Elaborator.MAX_CALLS + " fn calls");
    }

    private static Diagnostic onlyError(String text) {
        List<Diagnostic> all = errors(text);
        assertEquals(1, all.size(), all::toString);
        return all.get(0);
    }

    private static List<Diagnostic> errors(String text) {
        FrontEnd.Result r = assertTimeoutPreemptively(HANG_GUARD, () -> Sources.analyze(text));
        assertTrue(r.models().isEmpty());
        return r.diagnostics().sorted();
    }
}
