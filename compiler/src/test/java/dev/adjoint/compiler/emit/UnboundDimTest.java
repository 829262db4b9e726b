package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.FloatTensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A declared dim that no input uses (the 30-minute fuzz run found the generated workspace then failed to compile:
 * its field was set by a statement whose semicolon came after a comment).
 */
class UnboundDimTest {
    @Test
    void aDimNoInputUsesCompilesAndRuns() {
        AdjointModel model = Harness.compile(Harness.model("""
                model Unbound {
                  dim B
                  dim N
                  input x : f32[3, 2]
                  param p : f32[2] = ones
                  output y = relu(x) * p
                  loss l = sum(x * p)
                }
                """), 1);
        float[] x = {1, -2, 3, -4, 5, -6};
        float[] y = ((FloatTensor) model.forward(Map.of("x", FloatTensor.of(x, 3, 2))).outputs().get("y")).data();
        assertEquals(5f, y[4]);
        assertEquals(0f, y[5]);
    }
}
