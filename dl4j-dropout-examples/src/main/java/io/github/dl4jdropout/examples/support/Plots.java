package io.github.dl4jdropout.examples.support;

import java.awt.BasicStroke;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line plots written as PNG files with XChart, headless (no display needed). */
public final class Plots {

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
     * @param dashed draw dashed, without markers (for reference lines)
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

        /** @param name legend @param from first x @param to last x @param y constant @return a dashed horizontal line */
        public static Line horizontal(String name, double from, double to, double y) {
            return new Line(name, new double[] {from, to}, new double[] {y, y}, true);
        }
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
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setMarkerSize(5);
        for (Line line : lines) {
            XYSeries s = chart.addSeries(line.name(), line.x(), line.y());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            if (line.dashed()) {
                s.setMarker(SeriesMarkers.NONE);
                s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
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
