package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code adjoint bench}: the JSON line of the contract, and errors that name what is wrong. No timings are checked. */
class BenchCommandTest {

    @AfterEach
    void oneThread() {
        Kernels.setThreads(1);
    }

    @Test
    void printsOneJsonLineWithEveryFieldOfTheContract() {
        CliRun r = CliRun.run("bench", CliRun.model("digits.model"), "--dims", "B=4", "--threads", "2",
                "--seconds", "0.2", "--max-warmup", "1");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r.out());
        String json = lines.get(0);
        assertTrue(json.startsWith("{\"model\": \"DigitsMlp\", \"dims\": {\"B\": 4}, \"threads\": 2, \"steps\": "),
                json);
        List<String> keys = Pattern.compile("\"([a-z_]+)\": ").matcher(json).results().map(m -> m.group(1))
                .filter(k -> !k.equals("B")).toList();
        assertEquals(List.of("model", "dims", "threads", "steps", "forward_ms", "step_ms", "steps_per_s",
                "alloc_bytes_per_step", "kernels", "update_ms", "time_to_steady_s", "warmup_steps", "steady"), keys);
        assertTrue(json.contains("\"kernels\": \"" + Kernels.implementation() + "\""), json);
        Matcher steps = Pattern.compile("\"steps\": (\\d+)").matcher(json);
        assertTrue(steps.find() && Integer.parseInt(steps.group(1)) >= BenchRun.MIN_STEPS, json);
        assertTrue(json.matches(
                ".*\"step_ms\": [0-9.]+, \"steps_per_s\": [0-9.]+, \"alloc_bytes_per_step\": -?\\d+,.*"), json);
    }

    @Test
    void fixedShapesNeedNoDims() {
        CliRun r = CliRun.run("bench", CliRun.model("deep.model"), "--seconds", "0.1", "--max-warmup", "0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{\"model\": \"Deep\", \"dims\": {}, \"threads\": 1, "), r.out());
    }

    @Test
    void aNamedDimWithoutSizeIsAnErrorThatSaysHowToGiveIt() {
        CliRun r = CliRun.run("bench", CliRun.model("digits.model"), "--seconds", "0.1");
        assertEquals(1, r.exit());
        assertEquals("adjoint bench: error: give the size of B with --dims (for example --dims B=32)\n", r.err());
    }

    @Test
    void aDimNoInputHasIsAnError() {
        CliRun r = CliRun.run("bench", CliRun.model("digits.model"), "--dims", "B=2,H=3", "--seconds", "0.1");
        assertEquals(1, r.exit());
        assertEquals("adjoint bench: error: --dims H: no input has a dim H (dims: B)\n", r.err());
    }

    @Test
    void malformedDimsAndOptionsAreUsageErrors() {
        CliRun r = CliRun.run("bench", CliRun.model("digits.model"), "--dims", "B32");
        assertEquals(2, r.exit());
        assertEquals("adjoint bench: error: --dims B32: 'B32' is not NAME=SIZE (e.g. B=32)\n", r.err());
        r = CliRun.run("bench", CliRun.model("digits.model"), "--dims", "B=2", "--threads", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("adjoint bench: error: --threads must be at least 1"), r.err());
    }

    @Test
    void aModelWithoutLossHasNothingToTime(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("f.model");
        Files.writeString(model, """
                model F {
                  input x : f32[3]
                  output y = x * 2
                }
                """);
        CliRun r = CliRun.run("bench", model.toString());
        assertEquals(1, r.exit());
        assertEquals(model + ": error: model F has no loss: there is no training step to time\n", r.err());
    }
}
