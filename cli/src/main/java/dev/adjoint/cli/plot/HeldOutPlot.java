package dev.adjoint.cli.plot;

import java.awt.Color;
import java.io.IOException;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The held-out metric after each epoch as a PNG: accuracy in percent (linear axis), or the RMSE of a regression
 * (logarithmic axis when every value is positive), against the epoch.
 */
public final class HeldOutPlot {
    private HeldOutPlot() {
    }

    /**
     * Renders the chart.
     *
     * @param title    the chart title
     * @param epochs   the epoch (from 1) of each value
     * @param values   accuracy in percent, or RMSE; NaN values are left out
     * @param accuracy whether the values are an accuracy
     */
    public static byte[] png(String title, double[] epochs, double[] values, boolean accuracy) throws IOException {
        double[][] xy = Charts.finite(epochs, values);
        boolean log = !accuracy && Charts.allPositive(xy[1]);
        XYChart chart = Charts.chart(title, "epoch", accuracy ? "held-out accuracy (%)"
                : log ? "held-out RMSE (log scale)" : "held-out RMSE", 900, 520);
        chart.getStyler().setYAxisLogarithmic(log);
        Charts.epochAxis(chart, epochs.length == 0 ? 1 : epochs[epochs.length - 1]);
        if (log) {
            Charts.logTicks(chart, xy[1]);
        }
        if (xy[0].length > 0) {
            Color color = new Color(0xD9480F);
            XYSeries s = Charts.line(chart, accuracy ? "accuracy" : "RMSE", xy[0], xy[1], color);
            if (xy[0].length <= 60) {
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(color);
            }
        } else {
            Charts.line(chart, "no held-out value", new double[] {1}, new double[] {log ? 1 : 0}, Color.GRAY);
        }
        return Charts.png(chart);
    }
}
