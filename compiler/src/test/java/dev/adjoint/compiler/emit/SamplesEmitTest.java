package dev.adjoint.compiler.emit;

import static dev.adjoint.compiler.emit.Harness.check;
import static dev.adjoint.compiler.emit.Harness.dims;
import static dev.adjoint.compiler.emit.Harness.sample;

import org.junit.jupiter.api.Test;

/** The sample models: generated code agrees with the reference interpreter on values and gradients. */
class SamplesEmitTest {
    @Test
    void digitsMlp() throws Exception {
        check(sample("digits.model"), dims("B", 5), -1, 1, 10);
    }

    @Test
    void deepResidual() throws Exception {
        check(sample("deep_residual.model"), dims("B", 3), -1, 1, 1);
    }

    @Test
    void rosenbrock() throws Exception {
        check(sample("rosenbrock.model"), dims(), -1, 1, 1);
    }

    @Test
    void projectile() throws Exception {
        check(sample("projectile.model"), dims(), 0.2, 1.2, 1);
    }
}
