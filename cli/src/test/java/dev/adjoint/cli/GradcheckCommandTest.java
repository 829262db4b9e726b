package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code adjoint gradcheck} prints exactly the known tables. The finite-difference errors depend on the
 * last bits of the forward pass, so these numbers changed once, when the matrix kernels moved to fused
 * multiply-adds in ascending k; they are the same for both kernel implementations.
 */
class GradcheckCommandTest {

    @Test
    void digitsAtSeedZeroPrintsTheKnownTable() {
        CliRun r = CliRun.run("gradcheck", CliRun.model("digits.model"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                gradcheck DigitsMlp (f64, seed 0, tolerance 1.0E-5)
                  W1  worst relative error 6.50e-09  (24 of 2048 elements)  ok
                  b1  worst relative error 6.16e-10  (24 of 32 elements)  ok
                  W2  worst relative error 1.24e-08  (24 of 320 elements)  ok
                  b2  worst relative error 2.75e-10  (10 of 10 elements)  ok
                all gradients within tolerance
                """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void optionsReachTheCheck() {
        CliRun r = CliRun.run("gradcheck", CliRun.model("digits.model"), "--seed", "3", "--elements", "5",
                "--dims", "B=2", "--tolerance", "1e-9");
        assertEquals(1, r.exit(), r.err());
        assertEquals("""
                gradcheck DigitsMlp (f64, seed 3, tolerance 1.0E-9)
                  W1  worst relative error 1.05e-10  (5 of 2048 elements)  ok
                  b1  worst relative error 1.54e-10  (5 of 32 elements)  ok
                  W2  worst relative error 1.13e-08  (5 of 320 elements)  FAILED
                  b2  worst relative error 2.86e-10  (5 of 10 elements)  ok
                some gradients exceed the tolerance
                """, r.out());
    }

    @Test
    void labelsAndInputGradsAreChecked(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("g.model");
        Files.writeString(model, """
                model G {
                  dim B
                  input grad x : f32[B, 4]
                  input y : i32[B]
                  param W : f32[4, 5] = glorot_uniform
                  loss l = mean(cross_entropy(x @ W, y)) + sum(x * x)
                }
                """);
        CliRun r = CliRun.run("gradcheck", model.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                gradcheck G (f64, seed 0, tolerance 1.0E-5)
                  W  worst relative error 1.01e-09  (20 of 20 elements)  ok
                  x  worst relative error 1.02e-10  (12 of 12 elements)  ok
                all gradients within tolerance
                """, r.out());
    }

    @Test
    void aLossThatIsNotFiniteAtThePointIsReported(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("nan.model");
        Files.writeString(model, "model N {\n  input x : f32[3]\n  loss l = sum(log(x - 2))\n}\n");
        CliRun r = CliRun.run("gradcheck", model.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("adjoint gradcheck: the loss is NaN at the random point of seed 0; the model is not finite"
                + " there (try another --seed)\n", r.err());
    }
}
