package dev.adjoint.cli;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.train.Evaluation;
import java.util.List;

/**
 * The held-out metric of {@code adjoint train}, chosen and checked from the model's declared output shapes before
 * training starts: accuracy for class labels ({@code --accuracy}), RMSE for regression targets ({@code --rmse}).
 */
final class TrainMetric {
    private TrainMetric() {
    }

    /**
     * The metric for {@code --accuracy} / {@code --rmse} (null when not given), or the default: with labels, the
     * accuracy of the first output {@code [B, classes]} (the labels' class count, when the model gives one), else of
     * the first {@code [B]} or {@code [B, 1]} output (a probability); with float targets, the RMSE of the first output
     * of the targets' shape. Null when no output fits a default.
     */
    static Evaluation.Metric choose(ModelGraph g, TrainData td, String accuracy, String rmse) throws TrainException {
        if (accuracy != null && rmse != null) {
            throw TrainException.usage("give --accuracy or --rmse, not both");
        }
        String y = td.labelInput();
        boolean labels = td.target() == CsvOptions.Target.LABEL;
        Shape targets = input(g, y).node().shape();
        if (accuracy != null) {
            Shape s = output(g, accuracy, "--accuracy").node().shape();
            if (labels ? !(isClasses(s) || isProbability(s)) : !isProbability(s) || !isProbability(targets)) {
                throw TrainException.usage("--accuracy " + accuracy + ": output " + accuracy + " is " + type(g, accuracy)
                        + "; accuracy compares " + (labels ? "the argmax over the last axis of an output [B, classes],"
                        + " or a probability [B] (at least 0.5 is class 1), with the labels " + y
                        : "a probability [B] (at least 0.5 is 1) with targets of 0 and 1 in " + y + " [B]"
                        + (isProbability(targets) ? "" : ", but " + y + " is " + targets + "; for regression use"
                        + " --rmse")));
            }
            return Evaluation.Metric.accuracy(accuracy, y);
        }
        if (rmse != null) {
            Shape s = output(g, rmse, "--rmse").node().shape();
            if (labels || !sameShape(s, targets)) {
                throw TrainException.usage("--rmse " + rmse + ": " + (labels ? "the targets " + y + " are class labels;"
                        + " RMSE compares an output with regression targets (use --accuracy)"
                        : "output " + rmse + " is " + type(g, rmse) + " but the targets " + y + " are " + targets
                        + "; RMSE compares them element by element"));
            }
            return Evaluation.Metric.rmse(rmse, y);
        }
        if (!labels) {
            for (Graph.Output o : g.outputs()) {
                if (sameShape(o.node().shape(), targets)) {
                    return Evaluation.Metric.rmse(o.name(), y);
                }
            }
            return null;
        }
        Integer classes = g.labelClassCounts().get(y);
        for (Graph.Output o : g.outputs()) {
            Shape s = o.node().shape();
            if (s.rank() == 2 && isClasses(s) && s.dim(1).isFixed() && (classes == null || s.dim(1).size() == classes)) {
                return Evaluation.Metric.accuracy(o.name(), y);
            }
        }
        for (Graph.Output o : g.outputs()) {
            if (isProbability(o.node().shape()) && (classes == null || classes == 2)) {
                return Evaluation.Metric.accuracy(o.name(), y);
            }
        }
        return null;
    }

    /** {@code [B, …, classes]}: a rank of 2 or more, a fixed last axis of 2 or more. */
    private static boolean isClasses(Shape s) {
        Dim last = s.rank() >= 2 ? s.dim(s.rank() - 1) : null;
        return last != null && last.isFixed() && last.size() >= 2 && !s.dim(0).isFixed();
    }

    /** {@code [B]} or {@code [B, 1]}. */
    private static boolean isProbability(Shape s) {
        return (s.rank() == 1 || (s.rank() == 2 && s.dim(1).isFixed() && s.dim(1).size() == 1)) && !s.dim(0).isFixed();
    }

    private static boolean sameShape(Shape a, Shape b) {
        return a.equals(b);
    }

    private static String type(ModelGraph g, String output) {
        for (Graph.Output o : g.outputs()) {
            if (o.name().equals(output)) {
                return o.node().type().toString();
            }
        }
        return "?";
    }

    private static Graph.Input input(ModelGraph g, String name) {
        return g.inputs().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    private static Graph.Output output(ModelGraph g, String name, String option) throws TrainException {
        for (Graph.Output o : g.outputs()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        List<String> names = g.outputs().stream().map(Graph.Output::name).toList();
        throw TrainException.usage(option + " " + name + ": model " + g.name() + " has no output " + name
                + (names.isEmpty() ? " (it has no outputs)" : " (its outputs: " + String.join(", ", names) + ")"));
    }
}
