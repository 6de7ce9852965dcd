package io.github.dl4jdropout.examples.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots with XChart, headless (no display needed), in one style: white background, a colour-blind-safe palette
 * whose every colour stands out on white (Okabe and Ito's, without its yellow), dark dashed reference lines, and
 * tick labels with a leading zero ({@code 0.05}, not XChart's default {@code .05}).
 */
public final class Plots {

    /** Series colours in order: blue, vermillion, bluish green, reddish purple, orange, sky blue, black. */
    public static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), Color.BLACK};

    /** Colour of reference lines (a baseline, a gap's edges, perfect calibration). */
    public static final Color REFERENCE = new Color(60, 60, 60);

    static {
        // Before any AWT class loads: render off-screen, also where DISPLAY is set but unusable.
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * One line of a plot.
     *
     * @param name   legend entry
     * @param x      x values
     * @param y      y values, as many as {@code x}
     * @param dashed a reference line: dark, dashed, without markers
     */
    public record Line(String name, double[] x, double[] y, boolean dashed) {
        /** Checks the lengths. */
        public Line {
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("line '" + name + "' needs as many x as y values, at least one; got "
                        + x.length + " and " + y.length);
            }
        }

        /** @param name legend @param x x values @param y y values @return a solid line with markers */
        public static Line solid(String name, double[] x, double[] y) {
            return new Line(name, x, y, false);
        }

        /**
         * @param name legend
         * @param from first x
         * @param to   last x
         * @param y    the constant
         * @return a horizontal reference line
         */
        public static Line horizontal(String name, double from, double to, double y) {
            return new Line(name, new double[] {from, to}, new double[] {y, y}, true);
        }
    }

    /**
     * An empty chart in the examples' style, to add series to and {@link #save}.
     *
     * @param width  pixels
     * @param height pixels
     * @param title  chart title
     * @param xLabel x axis title
     * @param yLabel y axis title
     * @return the chart
     */
    public static XYChart chart(int width, int height, String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setSeriesColors(PALETTE);
        styler.setMarkerSize(5);
        // XChart's own pattern drops the leading zero (".05"); '#' places print only the digits a tick needs.
        styler.setLocale(Locale.ROOT);
        styler.setDecimalPattern("#,##0.######");
        return chart;
    }

    /** @return the stroke of reference lines: 2 px, dashed */
    public static BasicStroke dashed() {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f);
    }

    /**
     * Draws {@code series} as a reference line: dark, dashed, without markers.
     *
     * @param series a series of a chart
     * @return {@code series}
     */
    public static XYSeries asReference(XYSeries series) {
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(REFERENCE);
        series.setLineStyle(dashed());
        return series;
    }

    /**
     * Writes a line chart.
     *
     * @param file   the PNG file to write (parent folders are created)
     * @param title  chart title
     * @param xLabel x axis title
     * @param yLabel y axis title
     * @param logX   logarithmic x axis
     * @param lines  the lines
     * @return {@code file}
     * @throws UncheckedIOException if the file cannot be written
     */
    public static Path lineChart(Path file, String title, String xLabel, String yLabel, boolean logX,
                                 List<Line> lines) {
        XYChart chart = chart(900, 560, title, xLabel, yLabel);
        chart.getStyler().setXAxisLogarithmic(logX);
        for (Line line : lines) {
            XYSeries s = chart.addSeries(line.name(), line.x(), line.y());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            if (line.dashed()) {
                asReference(s);
            } else if (line.x().length > 40) {
                s.setMarker(SeriesMarkers.NONE);
            }
        }
        return save(chart, file);
    }

    /**
     * Writes any XChart chart as PNG.
     *
     * @param chart the chart
     * @param file  target file ending in {@code .png}
     * @return {@code file}
     * @throws UncheckedIOException if the file cannot be written
     */
    public static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write plot " + file, e);
        }
    }
}
