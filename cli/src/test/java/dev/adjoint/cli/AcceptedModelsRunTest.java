package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models that {@code check} accepts compile and run; models the later stages cannot take are refused with a
 * positioned error or a message that says what does not fit, never an internal error (issue 15).
 */
class AcceptedModelsRunTest {
    @TempDir
    Path dir;

    private CliRun grad(String model, String values) throws IOException {
        Path m = dir.resolve("m.model");
        Files.writeString(m, model);
        Path v = dir.resolve("v.json");
        Files.writeString(v, values);
        CliRun r = CliRun.run("grad", m.toString(), "--values", v.toString());
        r.assertNoStackTrace();
        assertFalse(r.err().contains("internal error"), r.err());
        return r;
    }

    @Test
    void aBoolOutputIsRefusedByCheckWithItsPosition() throws IOException {
        CliRun r = grad("model M {\n  input x : f32[3]\n  output m = x > 0\n}\n", "{\"inputs\": {\"x\": [1, -2, 3]}}");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(dir.resolve("m.model") + ":3:14: error: output m is a comparison mask"), r.err());
    }

    @Test
    void anInputWithAMultipleOfADimBindsTheDimThroughGrad() throws IOException {
        String model = """
                model M {
                  dim B
                  input grad x : f64[2*B]
                  input y : f64[B]
                  loss l = sum(reshape(x, [B, 2]) * reshape(y, [B, 1]))
                }
                """;
        CliRun ok = grad(model, "{\"inputs\": {\"x\": [1, 2, 3, 4], \"y\": [10, 100]}}");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("{ \"loss\": 730.0,\n  \"outputs\": {},\n  \"gradients\": {\"x\": [10.0, 10.0, 100.0, 100.0]} }",
                ok.out().strip());
        CliRun odd = grad(model, "{\"inputs\": {\"x\": [1, 2, 3], \"y\": [10, 100]}}");
        assertEquals(1, odd.exit());
        assertEquals("adjoint grad: input x: expected f64[2*B], got f64[3] (dimension 1 is 3, declared 2*B): 3 is not"
                + " a multiple of 2, so no size of dim B fits\n", odd.err());
        CliRun other = grad(model, "{\"inputs\": {\"x\": [1, 2, 3, 4, 5, 6], \"y\": [10, 100]}}");
        assertEquals(1, other.exit());
        assertEquals("adjoint grad: input y: expected f64[B], got f64[2]: dim B is 3 (bound by input x)\n",
                other.err());
    }

    @Test
    void aParamWithMoreElementsThanAnArrayIsAPositionedError() throws IOException {
        CliRun r = grad("model M {\n  param w : f32[65536, 65536] = zeros\n  loss l = sum(w)\n}\n", "{}");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(dir.resolve("m.model") + ":2:13: error: param w: f32[65536, 65536] has"
                + " 4,294,967,296 elements"), r.err());
    }

    @Test
    void aParamLargerThanTheHeapNamesTheParamAndTheBytes() throws IOException {
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 17_179_164_800L, "the heap holds 17 GB");
        CliRun r = grad("model M {\n  param small : f64[3] = zeros\n  param w : f64[46340, 46340] = zeros\n"
                + "  loss l = sum(w) + sum(small)\n}\n", "{}");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(dir.resolve("m.model") + ": error: model M does not fit in memory: its params"
                + " need 17,179,164,824 bytes (16.0 GiB) (the largest, param w : f64[46340, 46340], needs"
                + " 17,179,164,800 bytes (16.0 GiB)), and the Java heap holds at most "), r.err());
    }

    @Test
    void aGradientPastTheNodeLimitIsAPositionedErrorInEveryCommand() throws IOException {
        Path m = dir.resolve("deep.model");
        Files.writeString(m, """
                model Deep {
                  input grad x : f64[3]
                  h = x
                  for i in 0..100000 { h = tanh(h) }
                  loss l = sum(h)
                }
                """);
        Path v = dir.resolve("v.json");
        Files.writeString(v, "{\"inputs\": {\"x\": [1, 2, 3]}}");
        String expected = m + ":5:8: error: model Deep is too large: with its gradient it would need more than 250000"
                + " graph nodes (the forward pass alone fits)\n";
        for (String[] args : new String[][] {{"grad", m.toString(), "--values", v.toString()},
                {"compile", m.toString(), "-d", dir.resolve("out").toString()},
                {"show", m.toString(), "--stage", "gradient"}}) {
            CliRun r = CliRun.run(args);
            assertEquals(1, r.exit(), args[0] + ": " + r.err());
            assertTrue(r.err().startsWith(expected), args[0] + ": " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void gradcheckOfAnInputLargerThanTheHeapSaysWhatDoesNotFit() throws IOException {
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 9_600_000_000L, "the heap holds 9.6 GB");
        Path m = dir.resolve("big.model");
        Files.writeString(m, "model Big {\n  input x : f32[1200000000]\n  param w : f32[] = ones\n"
                + "  loss l = sum(x * w)\n}\n");
        CliRun r = CliRun.run("gradcheck", m.toString());
        r.assertNoStackTrace();
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("adjoint gradcheck: model Big does not fit in memory: its params and inputs need"
                + " 9,600,000,008 bytes (8.9 GiB) (the largest, input x : f64[1200000000], needs 9,600,000,000 bytes"
                + " (8.9 GiB)), and the Java heap holds at most "), r.err());
    }

    @Test
    void aValuesFileThatIsNotUtf8IsAnErrorAtItsLineAndColumn() throws IOException {
        Path m = dir.resolve("m.model");
        Files.writeString(m, "model M {\n  input x : f32[3]\n  output y = x * 2\n}\n");
        byte[] json = "{\"inputs\":\n {\"x\": [1, 2, 3]}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        json[json.length - 4] = (byte) 0xc0; // the 3 becomes a byte that is never UTF-8
        Path v = Files.write(dir.resolve("v.json"), json);
        CliRun r = CliRun.run("grad", m.toString(), "--values", v.toString());
        assertEquals(1, r.exit());
        assertEquals(v + ":2:15: error: invalid UTF-8 (byte 0xc0); the file must be UTF-8 text\n", r.err());
    }
}
