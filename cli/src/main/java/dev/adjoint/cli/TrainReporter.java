package dev.adjoint.cli;

import dev.adjoint.runtime.train.EpochReport;
import dev.adjoint.runtime.train.HealthWarning;
import dev.adjoint.runtime.train.StepReport;
import dev.adjoint.runtime.train.TrainingListener;
import dev.adjoint.runtime.train.TrainingPlan;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code adjoint train} prints while training — one line per epoch on standard output, gradient-health
 * warnings on standard error — and what it keeps for the loss plot: every step's loss and every epoch's report.
 */
public final class TrainReporter implements TrainingListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean heldOut;
    private final List<EpochReport> epochs = new ArrayList<>();
    private double[] stepLoss = new double[1024];
    private int steps;
    private final int totalEpochs;
    /** The time a resumed run had taken before it stopped, added to the times of its new epochs. */
    private Duration before = Duration.ZERO;

    /** @param totalEpochs the epochs the run plans, for {@code epoch  3/30} */
    public TrainReporter(PrintWriter out, PrintWriter err, boolean quiet, boolean heldOut, int totalEpochs) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
        this.heldOut = heldOut;
        this.totalEpochs = totalEpochs;
    }

    /** Starts from what a resumed run had recorded: the loss of every step and every epoch's report. */
    void restore(double[] stepLosses, List<EpochReport> earlier) {
        stepLoss = Arrays.copyOf(stepLosses, Math.max(1024, stepLosses.length * 2));
        steps = stepLosses.length;
        epochs.addAll(earlier);
        before = earlier.isEmpty() ? Duration.ZERO : earlier.get(earlier.size() - 1).elapsed();
    }

    private int stepsPerEpoch = 1;

    @Override
    public void onStart(TrainingPlan plan) {
        stepsPerEpoch = plan.stepsPerEpoch();
    }

    /** The position of global step {@code step} (from 1) in epochs: the last step of epoch 3 is 3.0. */
    double epochOf(long step) {
        return (double) step / stepsPerEpoch;
    }

    @Override
    public void onStep(StepReport step) {
        if (steps == stepLoss.length) {
            stepLoss = Arrays.copyOf(stepLoss, steps * 2);
        }
        stepLoss[steps++] = step.loss();
    }

    @Override
    public void onEpoch(EpochReport report) {
        EpochReport e = new EpochReport(report.epoch(), report.trainLoss(), report.heldOutLoss(),
                report.heldOutAccuracy(), report.heldOutRmse(), report.steps(), before.plus(report.elapsed()));
        epochs.add(e);
        if (!quiet) {
            out.println(epochLine(e, totalEpochs, heldOut));
            out.flush();
        }
    }

    @Override
    public void onWarning(HealthWarning warning) {
        err.println("adjoint train: warning: " + warning.message());
        err.flush();
    }

    /**
     * {@code epoch  3/20  train loss 0.2314  held-out loss 0.2511  accuracy 93.61 %  (1.2 s)}; without held-out
     * data only the training loss, without labels no accuracy; {@code rmse 1.0321} instead of the accuracy for
     * regression.
     */
    static String epochLine(EpochReport e, int total, boolean heldOut) {
        int w = String.valueOf(total).length();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %" + w + "d/%d  train loss %s",
                e.epoch(), total, number(e.trainLoss())));
        if (heldOut) {
            sb.append("  held-out loss ").append(number(e.heldOutLoss()));
        }
        if (!Double.isNaN(e.heldOutAccuracy())) {
            sb.append(String.format(Locale.ROOT, "  accuracy %.2f %%", 100 * e.heldOutAccuracy()));
        }
        if (!Double.isNaN(e.heldOutRmse())) {
            sb.append("  rmse ").append(number(e.heldOutRmse()));
        }
        sb.append(String.format(Locale.ROOT, "  (%.1f s)", e.elapsed().toMillis() / 1000.0));
        return sb.toString();
    }

    /** Four decimals in the usual range, scientific notation for very small or large values. */
    public static String number(double v) {
        double a = Math.abs(v);
        if (v == 0 || (a >= 1e-3 && a < 1e5)) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    List<EpochReport> epochs() {
        return epochs;
    }

    /** The loss of every step so far, in order. */
    double[] stepLosses() {
        return Arrays.copyOf(stepLoss, steps);
    }
}
