package dev.adjoint.cli.plot;

import java.io.IOException;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.lines.SeriesLines;

/**
 * Per-parameter gradient L2 norms over a training run as a PNG, on a logarithmic axis, one line per parameter
 * coloured in the order given, from blue (first: the caller lists the layer nearest the input first) to red
 * (last): vanishing gradients show as the blue lines sinking decades below the red ones. Norms of 0 (or non-finite) cannot be drawn on a log axis
 * and are left out.
 */
public final class GradientNormPlot {
    private GradientNormPlot() {
    }

    /**
     * Renders the chart.
     *
     * @param title      the chart title
     * @param parameters the parameter names, nearest the input first
     * @param steps      the position of each sample in epochs (step 9 of epochs of 10 steps is 0.9)
     * @param norms      {@code norms[p][s]}: the gradient norm of parameter {@code p} at sample {@code s}
     */
    public static byte[] png(String title, List<String> parameters, double[] steps, double[][] norms)
            throws IOException {
        int n = parameters.size();
        XYChart chart = Charts.chart(title, "epoch", "gradient L2 norm (log scale)", 900, Math.max(520, 140 + 18 * n));
        chart.getStyler().setYAxisLogarithmic(true);
        double last = 0;
        for (double v : steps) {
            last = Double.isFinite(v) ? Math.max(last, v) : last;
        }
        Charts.epochAxis(chart, last);
        Charts.logTicks(chart, norms);
        for (int p = 0; p < n; p++) {
            double[][] xy = Charts.positive(steps, norms[p]);
            xy = Charts.thin(xy[0], xy[1], Charts.MAX_POINTS / 3);
            if (xy[0].length > 0) {
                Charts.line(chart, parameters.get(p), xy[0], xy[1], Charts.depthColor(p, n))
                        .setLineStyle(SeriesLines.SOLID);
            }
        }
        if (chart.getSeriesCollection().isEmpty()) {
            Charts.line(chart, "no gradient norm above 0", new double[] {0}, new double[] {1}, java.awt.Color.GRAY);
        }
        return Charts.png(chart);
    }
}
