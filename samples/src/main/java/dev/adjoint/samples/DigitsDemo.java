package dev.adjoint.samples;

import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Batches;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.samples.models.DigitsMlp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Trains {@link DigitsMlp}, the class the Maven plugin generates from {@code samples/models/digits.model},
 * on the bundled UCI digits and prints the held-out accuracy after every epoch. Plain Java: the generated
 * class, the runtime's CSV reader and its Adam optimizer.
 *
 * <pre>
 * mvn -B -q -pl samples -am package -DskipTests
 * java -cp samples/target/classes:runtime/target/classes dev.adjoint.samples.DigitsDemo [DATA.csv.gz] [EPOCHS]
 * </pre>
 */
public final class DigitsDemo {
    /** The last rows of the file, held out for reporting accuracy (see samples/data/README.md). */
    static final int HELD_OUT = 360;
    static final int BATCH = 32;

    private DigitsDemo() {
    }

    /** What a run ends with. */
    record Result(int epochs, double lastLoss, double heldOutAccuracy) {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "samples/data/digits.csv.gz");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        train(data, epochs, 42, System.out);
    }

    /** Trains for {@code epochs} epochs from model seed {@code seed}, printing one line per epoch. */
    static Result train(Path data, int epochs, long seed, PrintStream out) throws IOException {
        CsvData digits = CsvData.read(data, CsvOptions.defaults().withNumClasses(10));
        float[] pixels = ((FloatTensor) digits.features()).data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] /= 16f; // pixel counts 0..16 to 0..1
        }
        CsvData.Split split = digits.split(HELD_OUT);

        DigitsMlp model = new DigitsMlp(seed);
        Optimizer adam = Adam.builder(model.parameters()).learningRate(1e-2).build();
        Batches batches = split.train().batches(BATCH, seed);
        double loss = Double.NaN;
        double accuracy = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double sum = 0;
            int steps = 0;
            while (batches.next()) {
                var r = model.gradient(Map.of("x", batches.features(), "y", batches.labels()));
                adam.step(r.gradients());
                sum += r.loss();
                steps++;
            }
            loss = sum / steps;
            accuracy = accuracy(model, split.heldOut());
            out.printf("epoch %d: mean training loss %.4f, held-out accuracy %.1f%% (%d rows)%n", epoch, loss,
                    100 * accuracy, HELD_OUT);
        }
        return new Result(epochs, loss, accuracy);
    }

    /** The fraction of rows whose most probable class is the label. */
    static double accuracy(DigitsMlp model, CsvData data) {
        Tensor probs = model.forward(Map.of("x", data.features(), "y", data.labels())).output("probs");
        IntTensor labels = data.labels();
        int classes = probs.dim(1);
        int correct = 0;
        for (int row = 0; row < data.rows(); row++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (probs.getAsDouble(row * classes + c) > probs.getAsDouble(row * classes + best)) {
                    best = c;
                }
            }
            if (best == labels.get(row)) {
                correct++;
            }
        }
        return (double) correct / data.rows();
    }
}
