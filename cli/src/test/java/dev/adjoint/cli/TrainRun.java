package dev.adjoint.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One in-process run of {@code adjoint} for the training tests, and the small files they train on. */
record TrainRun(int exit, String out, String err) {

    /** A linear classifier of 4 features into 3 classes. */
    static final String TINY = """
            model Tiny {
              dim B
              input  x : f32[B, 4]
              input  y : i32[B]
              param  W : f32[4, 3] = glorot_uniform
              param  b : f32[3]    = zeros
              logits = x @ W + b
              output probs = softmax(logits, axis=-1)
              loss   nll   = mean(cross_entropy(logits, y))
            }
            """;

    static TrainRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new TrainRun(exit, out.toString(), err.toString());
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /**
     * {@code rows} rows of 4 features and a label 0..2: the label's feature is raised, so the classes separate
     * well; the rest is deterministic noise.
     */
    static String tinyCsv(int rows) {
        StringBuilder sb = new StringBuilder();
        long state = 12345;
        for (int r = 0; r < rows; r++) {
            int label = r % 3;
            for (int f = 0; f < 4; f++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                double noise = ((state >>> 40) / (double) (1L << 24)) * 0.6;
                sb.append(String.format(Locale.ROOT, "%.4f,", noise + (f == label ? 1.0 : 0.0)));
            }
            sb.append(label).append('\n');
        }
        return sb.toString();
    }

    /** The epoch lines printed. */
    long epochLines() {
        return out.lines().filter(l -> l.startsWith("epoch ")).count();
    }
}
