package dev.adjoint.cli;

import dev.adjoint.cli.plot.GradientNormPlot;
import dev.adjoint.cli.plot.HeldOutPlot;
import dev.adjoint.cli.plot.LossPlot;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.runtime.train.EpochReport;
import dev.adjoint.runtime.train.GradientHealth;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** The charts {@code adjoint train} writes, from what the run recorded. */
final class TrainCharts {
    private TrainCharts() {
    }

    /** {@code loss.png}: every step's loss, and each epoch's training and held-out loss. */
    static byte[] loss(String model, TrainReporter r) throws IOException {
        double[] loss = r.stepLosses();
        double[] steps = new double[loss.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = r.epochOf(i + 1);
        }
        List<EpochReport> epochs = r.epochs();
        double[] at = new double[epochs.size()];
        double[] train = new double[epochs.size()];
        double[] held = new double[epochs.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = r.epochOf(epochs.get(i).steps());
            train[i] = epochs.get(i).trainLoss();
            held[i] = epochs.get(i).heldOutLoss();
        }
        return LossPlot.png(model + ": loss", steps, loss, at, train, held);
    }

    /** {@code accuracy.png} or {@code rmse.png}: the held-out metric after each epoch. */
    static byte[] heldOut(String model, TrainReporter r, boolean accuracy, String output) throws IOException {
        List<EpochReport> epochs = r.epochs();
        double[] at = new double[epochs.size()];
        double[] value = new double[epochs.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = epochs.get(i).epoch();
            value[i] = accuracy ? 100 * epochs.get(i).heldOutAccuracy() : epochs.get(i).heldOutRmse();
        }
        return HeldOutPlot.png(model + ": held-out " + (accuracy ? "accuracy" : "RMSE") + " of " + output, at, value,
                accuracy);
    }

    /** The gradient-norm chart, its lines in {@code depth} order (so colour follows depth). */
    static byte[] gradientNorms(String model, GradientHealth h, List<String> depth, TrainReporter r)
            throws IOException {
        int n = h.samples();
        double[] steps = new double[n];
        double[][] norms = new double[depth.size()][n];
        for (int s = 0; s < n; s++) {
            steps[s] = r.epochOf(h.stepAt(s));
        }
        for (int d = 0; d < depth.size(); d++) {
            int p = h.parameters().indexOf(depth.get(d));
            for (int s = 0; s < n; s++) {
                norms[d][s] = h.norm(p, s);
            }
        }
        return GradientNormPlot.png(model + ": gradient norms per parameter", depth, steps, norms);
    }

    /**
     * The params in the order the forward pass first uses them — nearest the input first — so that a layer's
     * weight and bias sit together ({@code Win, bin, W[0], b[0], …}) even when declared apart. Params the loss does
     * not use come last, in declaration order.
     */
    static List<String> depthOrder(ModelGraph g) {
        Map<Node, String> params = new HashMap<>();
        g.params().forEach(p -> params.put(p.node(), p.name()));
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (Node n : g.nodes()) {
            for (Node in : n.inputs()) {
                String name = params.get(in);
                if (name != null) {
                    order.add(name);
                }
            }
        }
        g.params().forEach(p -> order.add(p.name()));
        return List.copyOf(order);
    }
}
