package dev.adjoint.compiler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.RecomputeFromOp;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.MemoryReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Budgets are respected on graphs with branches and residual connections; an unmeetable budget names the smallest
 * feasible peak, which is then met; the copies read only kept values, inputs, params and constants.
 */
class CheckpointsTest {
    private static final Map<String, Integer> DIMS = Map.of("B", 16);

    private static ModelGraph sample(String file) throws IOException {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile(file, Files.readString(Path.of("../samples/models", file))));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        return r.models().get(0);
    }

    private static CompiledModel compile(ModelGraph m, CheckpointPolicy p) {
        return CompiledModel.of(m, Compiler.Options.of("gen").withCheckpoint(p).withPlanDims(DIMS));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deep_residual.model", "digits_deep_residual.model", "digits_deep_sigmoid.model"})
    void everyBudgetIsMetOrRefusedWithTheSmallestFeasiblePeak(String file) throws IOException {
        ModelGraph m = sample(file);
        long none = compile(m, CheckpointPolicy.NONE).heldBytes(DIMS).peak();
        long smallest = -1;
        for (int tenth = 1; tenth <= 10; tenth++) {
            long budget = none * tenth / 10;
            CompiledModel c = compile(m, CheckpointPolicy.budget(budget));
            try {
                HeldBytes held = c.heldBytes(DIMS);
                assertTrue(held.peak() <= budget, file + ": " + held.peak() + " > " + budget);
                Checkpoints.Result r = c.checkpointing();
                for (Node copy : r.recomputed().values()) {
                    for (Node in : copy.inputs()) {
                        assertTrue(r.copies().contains(in) || in.op() instanceof RecomputeFromOp
                                || !r.recomputed().containsKey(in), file + ": a copy reads a dropped value");
                    }
                }
            } catch (CheckpointException e) {
                Matcher mm = Pattern.compile("smallest feasible peak is ([\\d,]+) bytes").matcher(e.getMessage());
                assertTrue(mm.find(), e.getMessage());
                smallest = Long.parseLong(mm.group(1).replace(",", ""));
                assertTrue(smallest > budget, e.getMessage());
            }
        }
        if (smallest > 0) {
            assertTrue(compile(m, CheckpointPolicy.budget(smallest)).heldBytes(DIMS).peak() <= smallest);
        }
        assertEquals(none, compile(m, CheckpointPolicy.budget(none)).heldBytes(DIMS).peak(),
                file + ": a budget of everything recomputes nothing");
        assertTrue(compile(m, CheckpointPolicy.budget(none)).checkpointing().recomputed().isEmpty());
    }

    @Test
    void theGeneratedArenaHoldsWhatThePlanSaysUnderSqrt() throws IOException {
        CompiledModel c = compile(sample("digits_deep_residual.model"), CheckpointPolicy.SQRT);
        AdjointModel live = c.load(1);
        MemoryReport r = live.memory();
        long planned = c.plan().peakBytes().eval(DIMS);
        assertEquals(planned, r.planned(DIMS));
        assertTrue(c.heldBytes(DIMS).peak() <= planned);
        assertTrue(c.plan().peakBytes().eval(DIMS) < compile(sample("digits_deep_residual.model"),
                CheckpointPolicy.NONE).plan().peakBytes().eval(DIMS), "sqrt plans a smaller arena");
    }

    @Test
    void theF64TwinOfAGradientTestFitsTwiceTheBudget() throws IOException {
        String file = "digits_deep_sigmoid.model";
        long none = compile(sample(file), CheckpointPolicy.NONE).heldBytes(DIMS).peak();
        var c = Compiler.compile(new SourceFile(file, Files.readString(Path.of("../samples/models", file))),
                Compiler.Options.of("gen").withGradientTests(true).withPlanDims(DIMS)
                        .withCheckpoint(CheckpointPolicy.budget(none / 2)));
        assertTrue(c.ok(), () -> c.diagnostics().format());
        assertEquals(3, c.sources().size(), "the class, its f64 twin and the gradient test");
        assertTrue(c.sources().get(1).text().contains("recompute_from"), "the twin recomputes too");
    }

    @Test
    void aBudgetNeedsTheDims() throws IOException {
        ModelGraph m = sample("deep_residual.model");
        CompiledModel c = CompiledModel.of(m, Compiler.Options.of("gen").withCheckpoint(CheckpointPolicy.budget(1000)));
        CheckpointException e = assertThrows(CheckpointException.class, c::stages);
        assertTrue(e.getMessage().contains("--plan-dims B=64"), e.getMessage());
    }

    @Test
    void policiesParse() {
        assertEquals(CheckpointPolicy.NONE, CheckpointPolicy.parse("none"));
        assertEquals(CheckpointPolicy.SQRT, CheckpointPolicy.parse("SQRT"));
        assertEquals(64L << 20, CheckpointPolicy.parse("budget:64MB").budgetBytes());
        assertEquals(1536, CheckpointPolicy.parse("budget:1.5KiB").budgetBytes());
        assertEquals(1000, CheckpointPolicy.parse("budget:1000").budgetBytes());
        for (String bad : new String[] {"budget:", "budget:-1", "budget:0", "budget:12XB", "half"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CheckpointPolicy.parse(bad));
            assertTrue(e.getMessage().startsWith("--checkpoint " + bad), e.getMessage());
        }
    }
}
