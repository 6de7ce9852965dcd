package io.github.dl4jdropout.examples.uncertainty;

import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.Plots;
import io.github.dl4jdropout.montecarlo.McReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Reliability diagrams: accuracy against mean confidence in each confidence bin of an {@link McReport}, for Monte
 * Carlo and standard inference, against the diagonal of perfect calibration (Guo et al. 2017).
 */
public final class ReliabilityDiagram {

    private ReliabilityDiagram() {
    }

    /**
     * Writes a reliability diagram of the non-empty bins.
     *
     * @param file   PNG file
     * @param title  chart title
     * @param report the report whose bins are drawn
     * @return {@code file}
     */
    public static Path plot(Path file, String title, McReport report) {
        XYChart chart = Plots.chart(700, 620, title, "confidence (mean top-class probability in bin)",
                "accuracy in bin");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        Plots.asReference(chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1}));
        var mc = report.mc().asClassification();
        var standard = report.deterministic().asClassification();
        addBins(chart, String.format(Locale.ROOT, "MC dropout (ECE %.3f)", mc.expectedCalibrationError()),
                mc.binCounts(), mc.binConfidences(), mc.binAccuracies());
        addBins(chart, String.format(Locale.ROOT, "standard (ECE %.3f)", standard.expectedCalibrationError()),
                standard.binCounts(), standard.binConfidences(), standard.binAccuracies());
        return Plots.save(chart, file);
    }

    /**
     * Every bin of every report, Monte Carlo and standard inference.
     *
     * @param reports reports by the name of their data, e.g. {@code upright}
     * @return CSV lines, header first
     */
    public static List<String> csv(Map<String, McReport> reports) {
        List<String> lines = new ArrayList<>();
        lines.add("data,inference,bin,count,mean_confidence,accuracy");
        reports.forEach((data, report) -> {
            for (var m : List.of(report.mc().asClassification(), report.deterministic().asClassification())) {
                for (int b = 0; b < m.calibrationBins(); b++) {
                    lines.add(Csv.line(data, m.isMonteCarlo() ? "mc" : "standard", b, m.binCounts()[b],
                            m.binConfidences()[b], m.binAccuracies()[b]));
                }
            }
        });
        return lines;
    }

    private static void addBins(XYChart chart, String name, long[] counts, double[] conf, double[] acc) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                x.add(conf[b]);
                y.add(acc[b]);
            }
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
    }
}
