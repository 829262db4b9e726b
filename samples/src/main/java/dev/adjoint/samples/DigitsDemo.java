package dev.adjoint.samples;

import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.io.Safetensors;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.train.CsvBatchSource;
import dev.adjoint.runtime.train.EpochReport;
import dev.adjoint.runtime.train.Trainer;
import dev.adjoint.runtime.train.TrainingListener;
import dev.adjoint.runtime.train.TrainingSummary;
import dev.adjoint.samples.models.DigitsMlp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Trains {@link DigitsMlp}, the class the Maven plugin generates from {@code samples/models/digits.model},
 * on the bundled UCI digits with the runtime's {@link Trainer}, printing the held-out accuracy after every
 * epoch and the gradient health at the end, and optionally saving the parameters as safetensors. Plain Java:
 * the generated class and adjoint-runtime, nothing else.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * java -cp samples/target/classes:runtime/target/classes dev.adjoint.samples.DigitsDemo [DATA.csv.gz] [EPOCHS] [OUT.safetensors]
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
        DigitsMlp model = new DigitsMlp(42);
        train(model, data, epochs, 42, System.out);
        if (args.length > 2) {
            Safetensors.write(Path.of(args[2]), model.parameters(), Map.of("model", model.name()));
            System.out.println("wrote " + args[2]);
        }
    }

    /** Trains {@code model} for {@code epochs} epochs, shuffling with {@code seed}, printing one line per epoch. */
    static Result train(DigitsMlp model, Path data, int epochs, long seed, PrintStream out) throws IOException {
        CsvData digits = CsvData.read(data, CsvOptions.defaults().withNumClasses(10));
        float[] pixels = ((FloatTensor) digits.features()).data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] /= 16f; // pixel counts 0..16 to 0..1
        }
        CsvData.Split split = digits.split(HELD_OUT);
        CsvBatchSource train = CsvBatchSource.shuffled(split.train(), "x", "y", BATCH, seed);

        TrainingSummary summary = Trainer.builder(model, Adam.builder(model.parameters()).build())
                .data(train)
                .heldOut(CsvBatchSource.inOrder(split.heldOut(), "x", "y", HELD_OUT))
                .accuracy("probs", "y")
                .epochs(epochs)
                .schedule(LearningRateSchedule.cosine(1e-2, epochs * train.batchesPerEpoch(), 0))
                .listener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochReport e) {
                        out.printf("epoch %d: mean training loss %.4f, held-out accuracy %.1f%% (%d rows)%n",
                                e.epoch(), e.trainLoss(), 100 * e.heldOutAccuracy(), HELD_OUT);
                    }
                })
                .build()
                .fit();
        out.print(summary.health().report());
        EpochReport last = summary.epochs().get(summary.epochs().size() - 1);
        return new Result(summary.epochs().size(), last.trainLoss(), last.heldOutAccuracy());
    }
}
