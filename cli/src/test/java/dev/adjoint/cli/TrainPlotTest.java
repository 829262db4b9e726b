package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.cli.plot.GradientNormPlot;
import dev.adjoint.cli.plot.LossPlot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The charts render headless to valid PNGs from synthetic series, including awkward values. */
class TrainPlotTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static void assertPng(Path file) throws IOException {
        assertPng(Files.readAllBytes(file));
    }

    static void assertPng(byte[] bytes) throws IOException {
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8), "PNG signature");
        assertTrue(bytes.length > 5_000, "a chart, not an empty image: " + bytes.length + " bytes");
        var image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 500, image.toString());
    }

    @Test
    void lossCurveOfALongRunWithHeldOutLoss() throws IOException {
        int n = 20_000;
        double[] steps = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i + 1;
            loss[i] = 2.0 / Math.sqrt(i + 1) * (1 + 0.3 * Math.sin(i));
        }
        double[] epochs = {5_000, 10_000, 15_000, 20_000};
        assertPng(LossPlot.png("m: loss", steps, loss, epochs, new double[] {0.1, 0.05, 0.03, 0.02},
                new double[] {0.12, 0.08, 0.07, 0.07}));
    }

    @Test
    void lossCurveWithNegativeAndNonFiniteLossesFallsBackToALinearAxis() throws IOException {
        double[] steps = {1, 2, 3, 4};
        assertPng(LossPlot.png("projectile: loss", steps, new double[] {-1, -2, Double.NaN, -3}, new double[] {4},
                new double[] {-2}, new double[] {Double.NaN}));
        assertPng(LossPlot.png("empty", new double[0], new double[0], new double[0], new double[0], new double[0]));
    }

    @Test
    void gradientNormsOfManyParametersOnALogAxisSkippingZeros() throws IOException {
        int params = 42;
        int samples = 500;
        double[] steps = new double[samples];
        double[][] norms = new double[params][samples];
        for (int s = 0; s < samples; s++) {
            steps[s] = 1 + 3 * s;
            for (int p = 0; p < params; p++) {
                norms[p][s] = p == 0 ? 0 : Math.pow(4, p - params) * (1 + 0.1 * Math.cos(s + p));
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (int p = 0; p < params; p++) {
            names.add("W[" + p + "]");
        }
        assertPng(GradientNormPlot.png("deep: gradient norms", names, steps, norms));
    }
}
