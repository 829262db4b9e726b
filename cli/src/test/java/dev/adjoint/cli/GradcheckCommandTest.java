package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code adjoint gradcheck} prints exactly the known tables, with the achieved accuracy of the differences on
 * each line. The finite-difference errors depend on the last bits of the forward pass, so these numbers changed
 * once, when the matrix kernels moved to fused multiply-adds in ascending k; they are the same for both kernel
 * implementations.
 */
class GradcheckCommandTest {

    @Test
    void digitsAtSeedZeroPrintsTheKnownTable() {
        CliRun r = CliRun.run("gradcheck", CliRun.model("digits.model"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                gradcheck DigitsMlp (f64, seed 0, tolerance 1.0E-5)
                  W1  worst relative error 6.50e-09  (24 of 2048 elements; differences accurate to 2.5e-09)  ok
                  b1  worst relative error 6.16e-10  (24 of 32 elements; differences accurate to 1.9e-10)  ok
                  W2  worst relative error 1.24e-08  (24 of 320 elements; differences accurate to 6.1e-09)  ok
                  b2  worst relative error 2.75e-10  (10 of 10 elements; differences accurate to 1.3e-10)  ok
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
                  W1  worst relative error 1.05e-10  (5 of 2048 elements; differences accurate to 7.1e-11)  ok
                  b1  worst relative error 1.54e-10  (5 of 32 elements; differences accurate to 5.7e-11)  ok
                  W2  worst relative error 1.13e-08  (5 of 320 elements; differences accurate to 1.6e-10)  FAILED
                  b2  worst relative error 2.86e-10  (5 of 10 elements; differences accurate to 1.6e-10)  ok
                some gradients exceed the tolerance
                """, r.out());
    }

    /** New ops pass through gradcheck; stop_gradient differs from finite differences by design, and it says so. */
    @Test
    void issue14OpsAndStopGradient(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.model");
        Files.writeString(model, """
                const K = 2
                fn two(x) {
                  return min(x, axis=0), prod(x, axis=1)
                }
                model M {
                  dim B
                  input grad x : f64[B, 4]
                  a, p = two(x[:, 1:4:K] * 1.5)
                  loss l = sum(a) + sum(p) + var(x) + sum(std(x, axis=1, correction=0)) + sum(x @ eye(4, dtype=f64))
                      + sum(cast(argmax(x), f64)) + sum(concat([concat([x, x], axis=0), x * x], axis=0) ^ 2)
                }
                """);
        CliRun r = CliRun.run("gradcheck", model.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().endsWith("all gradients within tolerance\n"), r.out());
        Files.writeString(model, "model S {\n  input grad x : f64[3]\n  loss l = sum(stop_gradient(x) * x)\n}\n");
        CliRun s = CliRun.run("gradcheck", model.toString());
        assertEquals(1, s.exit(), s.err());
        assertTrue(s.out().contains("note: the model uses stop_gradient, whose derivative is 0"), s.out());
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
                  W  worst relative error 1.01e-09  (20 of 20 elements; differences accurate to 2.7e-10)  ok
                  x  worst relative error 1.02e-10  (12 of 12 elements; differences accurate to 3.1e-11)  ok
                all gradients within tolerance
                """, r.out());
    }

    @Test
    void aSteepLennardJonesEnergyPassesAtSeedTwo(@TempDir Path dir) throws IOException {
        // Particles 1 and 3 nearly touch: plain differences at one step failed here with 2.9e-4 (issue 15).
        CliRun r = CliRun.run("gradcheck", CliRun.model("lennard_jones.model"), "--seed", "2");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("""
                gradcheck LennardJones (f64, seed 2, tolerance 1.0E-5)
                  x  worst relative error 6.62e-07  (12 of 12 elements; differences accurate to 7.7e-07)  ok
                all gradients within tolerance
                """, r.out());
    }

    @Test
    void anElementTooSmallBesideTheLossIsCountedApart() {
        // Seed 11: the loss is 2e13 and particle 2's gradient 70; no f64 difference resolves it below 1e-2.
        CliRun r = CliRun.run("gradcheck", CliRun.model("lennard_jones.model"), "--seed", "11");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("gradcheck LennardJones (f64, seed 11, tolerance 1.0E-5)\n"
                + "  x  worst relative error 5.32e-07  (12 of 12 elements; differences accurate to 3.8e-03; 3 too small"
                + " beside the loss to resolve below 6.7e-02)  ok\n"
                + "all gradients within tolerance\n", r.out());
    }

    @Test
    void aModelWithManyGradientsIsCheckedInProportion(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("wide.model");
        Files.writeString(model, """
                model Wide {
                  param w[40] : f64[30] = uniform(-1, 1)
                  h = w[0]
                  for i in 1..40 { h = h + w[i] * w[i] }
                  loss l = sum(h * h)
                }
                """);
        CliRun r = CliRun.run("gradcheck", model.toString(), "--budget", "100");
        assertEquals(0, r.exit(), r.out() + r.err());
        String[] lines = r.out().split("\n");
        assertEquals("  a large model: up to 2 elements per gradient, 80 in all; --budget checks more", lines[1]);
        assertTrue(lines[2].startsWith("  w[0]   worst relative error "), lines[2]);
        assertTrue(lines[2].contains("(2 of 30 elements;"), lines[2]);
        CliRun sampled = CliRun.run("gradcheck", model.toString(), "--budget", "10");
        assertEquals(0, sampled.exit(), sampled.out() + sampled.err());
        lines = sampled.out().split("\n");
        assertEquals("  a large model: 10 of 40 gradients checked (a seeded sample), 1 element each; --budget checks"
                + " more", lines[1]);
        assertEquals(10 + 3, lines.length, sampled.out());
        assertTrue(lines[2].startsWith("  w[0]  "), "the first gradient is always checked: " + lines[2]);
        assertTrue(lines[11].startsWith("  w[39]  "), "and the last: " + lines[11]);
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        String digits = CliRun.model("digits.model");
        for (String[] bad : new String[][] {{"--elements", "0"}, {"--budget", "-1"}, {"--tolerance", "NaN"},
                {"--tolerance", "-1"}, {"--step", "0"}, {"--step", "0.5"}, {"--dims", "B=0"}, {"--dims", "Q=3"}}) {
            CliRun r = CliRun.run("gradcheck", digits, bad[0], bad[1]);
            assertEquals(2, r.exit(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().startsWith("adjoint gradcheck: " + bad[0] + " "), r.err());
            r.assertNoStackTrace();
        }
        assertEquals("adjoint gradcheck: --dims Q=3: model DigitsMlp has no dim Q (its dims: B)\n",
                CliRun.run("gradcheck", digits, "--dims", "Q=3").err());
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
