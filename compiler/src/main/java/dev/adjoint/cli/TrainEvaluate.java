package dev.adjoint.cli;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.train.BatchSource;
import java.util.Map;

/**
 * {@code --epochs 0}: the held-out loss and accuracy of the params as they are (from {@code --init-from}), computed
 * as the trainer computes them after an epoch — batch losses weighted by their rows, argmax over the output's last
 * axis with ties to the first class.
 */
final class TrainEvaluate {
    private TrainEvaluate() {
    }

    /** {loss, accuracy}; accuracy is NaN when {@code output} is null. */
    static double[] run(AdjointModel model, BatchSource source, String output, String labelInput) {
        source.startEpoch(0);
        double lossSum = 0;
        long rows = 0;
        long correct = 0;
        for (int b = 0; b < source.batchesPerEpoch(); b++) {
            Map<String, Tensor> batch = source.next();
            int n = source.lastBatchRows();
            ForwardResult f = model.forward(batch);
            lossSum += f.loss().orElseThrow() * n;
            rows += n;
            if (output != null) {
                correct += correct(f.output(output), (IntTensor) batch.get(labelInput));
            }
        }
        return new double[] {lossSum / rows, output == null ? Double.NaN : (double) correct / rows};
    }

    private static long correct(Tensor out, IntTensor labels) {
        int classes = out.dim(out.rank() - 1);
        long correct = 0;
        for (int r = 0; r < labels.size(); r++) {
            int best = 0;
            double bestValue = out.getAsDouble(r * classes);
            for (int c = 1; c < classes; c++) {
                double v = out.getAsDouble(r * classes + c);
                if (v > bestValue || (Double.isNaN(bestValue) && !Double.isNaN(v))) {
                    best = c;
                    bestValue = v;
                }
            }
            if (best == labels.get(r)) {
                correct++;
            }
        }
        return correct;
    }
}
