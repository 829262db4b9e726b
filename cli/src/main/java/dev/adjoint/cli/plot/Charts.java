package dev.adjoint.cli.plot;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** What the charts share: headless rendering, one style, series thinned and cleaned for a log axis. */
final class Charts {
    /** Points per loss series at most: more are averaged in buckets (a long run has one loss per step). */
    static final int MAX_POINTS = 1000;

    private Charts() {
    }

    /** A line chart styled like every chart Adjoint writes. Sets AWT headless first: no display is needed. */
    static XYChart chart(String title, String xTitle, String yTitle, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setAntiAlias(true);
        chart.getStyler().setPlotGridLinesColor(new Color(0xE0E0E0));
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        return chart;
    }

    /** Adds a line without markers; returns it for styling. */
    static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        return series;
    }

    /** The PNG bytes of a chart. */
    static byte[] png(XYChart chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", out);
        return out.toByteArray();
    }

    /** The points of (x, y) that a log axis can show: finite y above 0. Returns {xs, ys}. */
    static double[][] positive(double[] x, double[] y) {
        int n = 0;
        double[] xs = new double[x.length];
        double[] ys = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i]) && y[i] > 0) {
                xs[n] = x[i];
                ys[n] = y[i];
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)};
    }

    /** The finite points of (x, y). Returns {xs, ys}. */
    static double[][] finite(double[] x, double[] y) {
        int n = 0;
        double[] xs = new double[x.length];
        double[] ys = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(y[i])) {
                xs[n] = x[i];
                ys[n] = y[i];
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)};
    }

    /**
     * At most {@code max} points: consecutive points averaged in equal buckets (x and y alike), so a curve of
     * 100,000 steps still draws quickly and keeps its shape. Returns {xs, ys}.
     */
    static double[][] thin(double[] x, double[] y, int max) {
        if (x.length <= max) {
            return new double[][] {x, y};
        }
        double[] xs = new double[max];
        double[] ys = new double[max];
        for (int b = 0; b < max; b++) {
            int from = (int) ((long) b * x.length / max);
            int to = (int) ((long) (b + 1) * x.length / max);
            double sx = 0;
            double sy = 0;
            for (int i = from; i < to; i++) {
                sx += x[i];
                sy += y[i];
            }
            xs[b] = sx / (to - from);
            ys[b] = sy / (to - from);
        }
        return new double[][] {xs, ys};
    }

    /** Whether every y is finite and above 0 (at least one point): then a log axis shows all of it. */
    static boolean allPositive(double[]... ys) {
        boolean any = false;
        for (double[] y : ys) {
            for (double v : y) {
                if (!(v > 0) || !Double.isFinite(v)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** {@code i} of {@code n} on a blue (first) to red (last) scale: depth reads as colour. */
    static Color depthColor(int i, int n) {
        float t = n <= 1 ? 0 : (float) i / (n - 1);
        return Color.getHSBColor(0.66f * (1 - t), 0.85f, 0.85f);
    }
}
