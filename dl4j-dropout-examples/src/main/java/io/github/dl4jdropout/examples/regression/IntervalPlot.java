package io.github.dl4jdropout.examples.regression;

import io.github.dl4jdropout.examples.support.Plots;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The regression example's plot: training points, the true function, standard inference, the Monte Carlo mean with
 * its band {@code mean +- 2 sqrt(variance + noise)}, and the edges of the gap without training data.
 */
public final class IntervalPlot {

    private IntervalPlot() {
    }

    /**
     * Writes the plot.
     *
     * @param file          PNG file
     * @param curve         the data's curve and gap
     * @param mcSamples     Monte Carlo passes T, for the title
     * @param train         training points
     * @param gridX         grid
     * @param mean          Monte Carlo mean on the grid
     * @param std           Monte Carlo standard deviation on the grid
     * @param deterministic standard inference on the grid
     * @param noiseVariance observation noise variance added to the band
     * @return {@code file}
     */
    public static Path write(Path file, NoisyCurve curve, int mcSamples, Points train, double[] gridX, double[] mean,
                             double[] std, double[] deterministic, double noiseVariance) {
        XYChart chart = Plots.chart(1000, 560, String.format(Locale.ROOT,
                "MC dropout regression: mean +- 2 sigma (T = %d), gap [%.2f, %.2f] without training data", mcSamples,
                curve.gapFrom(), curve.gapTo()), "x", "y");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(4);
        int n = gridX.length;
        double[] bandX = new double[2 * n];
        double[] bandY = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double half = 2 * Math.sqrt(std[i] * std[i] + noiseVariance);
            bandX[i] = gridX[i];
            bandY[i] = mean[i] + half;
            bandX[2 * n - 1 - i] = gridX[i];
            bandY[2 * n - 1 - i] = mean[i] - half;
        }
        XYSeries band = chart.addSeries("MC mean +- 2 sigma (model + noise)", bandX, bandY);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setMarker(SeriesMarkers.NONE);
        band.setFillColor(new Color(70, 130, 180, 70));
        band.setLineColor(new Color(70, 130, 180, 70));

        Plots.asReference(chart.addSeries("truth sin(3x) + 0.3x", gridX,
                Arrays.stream(gridX).map(NoisyCurve::truth).toArray()));
        XYSeries det = chart.addSeries("standard inference", gridX, deterministic);
        det.setMarker(SeriesMarkers.NONE);
        det.setLineColor(Plots.PALETTE[1]);
        XYSeries mc = chart.addSeries("MC mean", gridX, mean);
        mc.setMarker(SeriesMarkers.NONE);
        mc.setLineColor(new Color(20, 60, 160));
        mc.setLineWidth(2.5f);
        XYSeries points = chart.addSeries("training points", train.x(), train.y());
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setMarkerColor(new Color(0, 0, 0, 150));
        double lo = Arrays.stream(bandY).min().orElseThrow();
        double hi = Arrays.stream(bandY).max().orElseThrow();
        for (double edge : new double[] {curve.gapFrom(), curve.gapTo()}) {
            XYSeries s = Plots.asReference(chart.addSeries(edge == curve.gapFrom() ? "gap" : "gap ",
                    new double[] {edge, edge}, new double[] {lo, hi}));
            s.setLineColor(Color.GRAY);
            s.setShowInLegend(edge == curve.gapFrom());
        }
        return Plots.save(chart, file);
    }
}
