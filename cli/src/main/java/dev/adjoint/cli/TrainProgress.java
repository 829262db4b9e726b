package dev.adjoint.cli;

import dev.adjoint.runtime.train.EpochReport;
import dev.adjoint.runtime.train.StepReport;
import dev.adjoint.runtime.train.TrainingListener;
import dev.adjoint.runtime.train.TrainingPlan;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of {@code adjoint train} on standard error: one bar per epoch, showing the steps done, the
 * speed and the latest loss, erased when the epoch ends so that the epoch's line (on standard output) takes its
 * place. Only on a terminal: {@link #forTerminal} gives null otherwise, and logs stay free of bar updates.
 */
final class TrainProgress implements TrainingListener, AutoCloseable {
    private int epochs;
    private long stepsInEpoch;
    private ProgressBar bar;

    private TrainProgress() {
    }

    /** A progress bar when standard input and output are a terminal ({@link System#console()}), else null. */
    static TrainProgress forTerminal() {
        return System.console() == null ? null : new TrainProgress();
    }

    @Override
    public void onStart(TrainingPlan plan) {
        epochs = plan.epochs();
        stepsInEpoch = plan.stepsPerEpoch();
    }

    @Override
    public void onStep(StepReport step) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", step.epoch(), epochs))
                    .setInitialMax(stepsInEpoch)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new SameLine(System.err))
                    .setUpdateIntervalMillis(200)
                    .setUnit(" steps", 1)
                    .showSpeed()
                    .clearDisplayOnFinish()
                    .build();
        }
        bar.step();
        bar.setExtraMessage(" loss " + TrainReporter.number(step.loss()));
    }

    @Override
    public void onEpoch(EpochReport epoch) {
        close();
    }

    /**
     * The console consumer, except that closing does not end the line: the bar has been erased
     * ({@code clearDisplayOnFinish}), so the epoch's line is printed where it was, without a blank line.
     */
    private static final class SameLine extends ConsoleProgressBarConsumer {
        private final PrintStream err;

        SameLine(PrintStream err) {
            super(err);
            this.err = err;
        }

        @Override
        public void close() {
            err.flush();
        }
    }

    /** Erases the bar (also when training stops with an error). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
