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
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        return chart;
    }

    /**
     * An x axis of epochs from 0 to {@code lastEpoch} with ticks at round numbers (1, 2, 5 times a power of ten
     * epochs apart, about eight of them), labelled without decimals unless the spacing needs them.
     */
    static void epochAxis(XYChart chart, double lastEpoch) {
        double step = roundStep(Math.max(lastEpoch, 1) / 8);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(Math.ceil(Math.max(lastEpoch, 1) / step) * step);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code x}; 1 for anything below 1. */
    static double roundStep(double x) {
        if (!(x > 1)) {
            return 1;
        }
        double decade = Math.pow(10, Math.floor(Math.log10(x)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * decade >= x - 1e-9) {
                return m * decade;
            }
        }
        return 10 * decade;
    }

    /**
     * A logarithmic y axis whose ticks are readable: labels like {@code 0.01}, {@code 1}, {@code 1e-05} (plain
     * decimals from 1e-4 to 1e5, powers of ten beyond), and only decades when the values span more than two.
     */
    static void logTicks(XYChart chart, double[]... values) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double[] v : values) {
            for (double x : v) {
                if (x > 0 && Double.isFinite(x)) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        boolean wide = max > 0 && max / min > 100;
        chart.getStyler().setYAxisLogarithmicDecadeOnly(wide);
        chart.setCustomYAxisTickLabelsFormatter(Charts::logLabel);
    }

    /** {@code 1e-05}, {@code 0.001}, {@code 0.5}, {@code 20}, {@code 1e+06}: short and exact for decades. */
    static String logLabel(double y) {
        if (y == 0 || !Double.isFinite(y)) {
            return Double.toString(y);
        }
        double a = Math.abs(y);
        if (a >= 1e-4 && a < 1e5) {
            return new java.text.DecimalFormat("0.####", java.text.DecimalFormatSymbols.getInstance(
                    java.util.Locale.ROOT)).format(y);
        }
        String s = String.format(java.util.Locale.ROOT, "%.1e", y);
        return s.replace(".0e", "e");
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
