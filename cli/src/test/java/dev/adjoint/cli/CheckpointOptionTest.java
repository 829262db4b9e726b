package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --checkpoint} and {@code --plan-dims}: the same gradients, the memory report, clear errors. */
class CheckpointOptionTest {
    private static final String DEEP = Path.of("../samples/models/deep_residual.model").toString();

    @Test
    void gradPrintsTheSameResultUnderEveryPolicy(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("V.json");
        Files.writeString(values, "{\"inputs\": {\"x\": [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],"
                + " [1, -2, 3, -4, 5, -6, 7, -8]], \"y\": [[0.5], [-1]]}}");
        CliRun none = CliRun.run("grad", DEEP, "--values", values.toString(), "--seed", "3");
        assertEquals(0, none.exit(), none.err());
        for (String policy : new String[] {"sqrt", "budget:1GB"}) {
            CliRun r = CliRun.run("grad", DEEP, "--values", values.toString(), "--seed", "3", "--checkpoint", policy,
                    "--plan-dims", "B=2");
            assertEquals(0, r.exit(), r.err());
            assertEquals(none.out(), r.out(), policy);
        }
    }

    @Test
    void benchTakesThePolicyAndPlansABudgetForItsDims() {
        CliRun r = CliRun.run("bench", DEEP, "--dims", "B=4", "--seconds", "0.1", "--max-warmup", "0",
                "--checkpoint", "budget:20KB");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{\"model\": \"DeepResidual\""), r.out());
        CliRun tight = CliRun.run("bench", DEEP, "--dims", "B=4", "--seconds", "0.1", "--checkpoint", "budget:1KB");
        assertEquals(2, tight.exit());
        assertTrue(tight.err().contains("the smallest feasible peak is"), tight.err());
    }

    @Test
    void showMemoryListsStoredAndRecomputedValuesAndTheHeldBytes() {
        CliRun none = CliRun.run("show", DEEP, "--stage", "memory", "--plan-dims", "B=64");
        assertEquals(0, none.exit(), none.err());
        assertTrue(none.out().contains("checkpoint none: every forward value the backward pass reads is kept"),
                none.out());
        CliRun sqrt = CliRun.run("show", DEEP, "--stage", "memory", "--checkpoint", "sqrt", "--plan-dims", "B=64");
        assertEquals(0, sqrt.exit(), sqrt.err());
        for (String s : new String[] {"checkpoint sqrt: ", "values recomputed in the backward pass; extra FLOPs = ",
            "  stored for the backward pass (", "  recomputed (", "held = ",
            "params, their gradients, inputs and kernel scratch not counted"}) {
            assertTrue(sqrt.out().contains(s), s + " in\n" + sqrt.out());
        }
        CliRun noDims = CliRun.run("show", DEEP, "--stage", "memory", "--checkpoint", "sqrt");
        assertTrue(noDims.out().contains("held: give --plan-dims B=64"), noDims.out());
    }

    @Test
    void badPoliciesAndUnmeetableBudgetsAreClearErrors() {
        CliRun bad = CliRun.run("show", DEEP, "--stage", "memory", "--checkpoint", "half");
        assertEquals(2, bad.exit());
        assertEquals("adjoint show: --checkpoint half: expected none, sqrt or budget:SIZE (SIZE such as 64MB)\n",
                bad.err());
        CliRun dims = CliRun.run("compile", DEEP, "--checkpoint", "sqrt", "--plan-dims", "B=x");
        assertEquals(2, dims.exit());
        assertTrue(dims.err().startsWith("adjoint compile: --plan-dims B=x: expected NAME=N pairs"), dims.err());
        CliRun small = CliRun.run("show", DEEP, "--stage", "memory", "--checkpoint", "budget:1KB", "--plan-dims",
                "B=64");
        assertEquals(2, small.exit());
        assertTrue(small.err().contains("the smallest feasible peak is 163,840 bytes"), small.err());
        CliRun noDims = CliRun.run("show", DEEP, "--stage", "memory", "--checkpoint", "budget:1MB");
        assertEquals(2, noDims.exit());
        assertTrue(noDims.err().contains("give --plan-dims B=64"), noDims.err());
    }
}
