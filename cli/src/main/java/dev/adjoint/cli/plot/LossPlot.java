package dev.adjoint.cli.plot;

import java.awt.Color;
import java.io.IOException;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss curve of a training run as a PNG: the loss of every step (thin grey), the mean training loss of
 * each epoch and the held-out loss after each epoch, against the epoch (a step counts as a fraction of its
 * epoch), ticked at round epochs. The loss axis is logarithmic, with readable decade labels, when every loss is
 * positive (the usual case), linear otherwise.
 */
public final class LossPlot {
    private LossPlot() {
    }

    /**
     * Renders the chart.
     *
     * @param title       the chart title, such as {@code DigitsMlp: loss}
     * @param steps       the position of each entry of {@code stepLoss} in epochs (step 9 of epochs of 10 steps
     *                    is 0.9)
     * @param stepLoss    the loss of each step
     * @param epochSteps  the end of each epoch in the same unit (1, 2, …)
     * @param epochTrain  the mean training loss of each epoch
     * @param epochHeldOut the held-out loss after each epoch; all NaN (or empty) without held-out data
     */
    public static byte[] png(String title, double[] steps, double[] stepLoss, double[] epochSteps,
            double[] epochTrain, double[] epochHeldOut) throws IOException {
        boolean heldOut = false;
        for (double v : epochHeldOut) {
            heldOut |= Double.isFinite(v);
        }
        boolean log = Charts.allPositive(Charts.finite(steps, stepLoss)[1])
                && Charts.allPositive(Charts.finite(epochSteps, epochTrain)[1])
                && (!heldOut || Charts.allPositive(Charts.finite(epochSteps, epochHeldOut)[1]));
        XYChart chart = Charts.chart(title, "epoch", log ? "loss (log scale)" : "loss", 900, 520);
        chart.getStyler().setYAxisLogarithmic(log);
        double last = 0;
        for (double[] x : new double[][] {steps, epochSteps}) {
            for (double v : x) {
                last = Double.isFinite(v) ? Math.max(last, v) : last;
            }
        }
        Charts.epochAxis(chart, last);
        if (log) {
            Charts.logTicks(chart, Charts.finite(steps, stepLoss)[1], Charts.finite(epochSteps, epochTrain)[1],
                    Charts.finite(epochSteps, epochHeldOut)[1]);
        }
        double[][] step = Charts.thin(Charts.finite(steps, stepLoss)[0], Charts.finite(steps, stepLoss)[1],
                Charts.MAX_POINTS);
        if (step[0].length > 0) {
            Charts.line(chart, "step loss", step[0], step[1], new Color(0xB0B0B0));
        }
        double[][] train = Charts.finite(epochSteps, epochTrain);
        if (train[0].length > 0) {
            epochSeries(chart, "train loss (epoch mean)", train, new Color(0x1F5FBF));
        }
        if (heldOut) {
            epochSeries(chart, "held-out loss", Charts.finite(epochSteps, epochHeldOut), new Color(0xD9480F));
        }
        if (chart.getSeriesCollection().isEmpty()) {
            Charts.line(chart, "no finite loss", new double[] {0}, new double[] {log ? 1 : 0}, Color.GRAY);
        }
        return Charts.png(chart);
    }

    private static void epochSeries(XYChart chart, String name, double[][] xy, Color color) {
        XYSeries s = Charts.line(chart, name, xy[0], xy[1], color);
        if (xy[0].length <= 60) {
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(color);
        }
    }
}
