package dev.adjoint.compiler.emit;

import static dev.adjoint.compiler.emit.Harness.check;
import static dev.adjoint.compiler.emit.Harness.dims;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.opt.RandomModels;
import dev.adjoint.runtime.AdjointModel;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated code runs its plan correctly: on seeded random models (every kind of op, broadcasting, fan-out,
 * labels), where values share buffers, elementwise chains and reductions are fused into loops and workspaces are
 * reused, the outputs, the loss and every gradient are the reference interpreter's on the unoptimized graph, call
 * after call, for several bindings of the batch dim and back (a workspace found again must not keep stale
 * values: accumulators start from zero every call).
 */
class PlannedCodeTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 24);
    }

    @ParameterizedTest(name = "random model {0}")
    @MethodSource("seeds")
    void randomModelAgreesWithTheInterpreterAcrossCallsAndBindings(long seed) {
        ModelGraph m = Harness.model(RandomModels.model("Random" + seed, seed));
        AdjointModel model = Harness.compile(m, seed);
        check(model, m, dims("B", 3), 1, 0.1, 1, 3);
        check(model, m, dims("B", 5), 2, 0.1, 1, 3);
        check(model, m, dims("B", 3), 3, 0.1, 1, 3);      // the first workspace again, with new values
        check(model, m, dims("B", 1), 4, 0.1, 1, 3);
        for (int b = 6; b <= 9; b++) {                      // more bindings than the workspaces kept
            check(model, m, dims("B", b), 10 + b, 0.1, 1, 3);
        }
        check(model, m, dims("B", 3), 5, 0.1, 1, 3);      // made again after being dropped
    }
}
