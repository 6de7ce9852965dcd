package io.github.dl4jdropout.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.montecarlo.McReport;
import java.util.Arrays;
import java.util.List;

/** Relations every classification {@link McReport} of an example must satisfy, whatever the network learned. */
public final class McReportAssertions {

    private McReportAssertions() {
    }

    /**
     * Checks, for the Monte Carlo and the standard column, that the calibration bins hold exactly the {@code n}
     * predictions the accuracy was computed on, and that the expected calibration error is at least
     * {@code |accuracy - mean confidence|}: ECE is {@code sum_b (n_b / n) |acc_b - conf_b|}, and by the triangle
     * inequality that is at least {@code |sum_b (n_b / n) (acc_b - conf_b)|}, which is accuracy minus mean top-class
     * confidence. A signed ECE, one weighted per bin instead of per prediction, or bins filled from other predictions
     * than the accuracy fail it.
     *
     * @param label what the report is of, for messages
     * @param report a classification report
     * @param n      the number of predictions it must hold
     */
    public static void assertCalibrationIsConsistent(String label, McReport report, long n) {
        for (var m : List.of(report.mc().asClassification(), report.deterministic().asClassification())) {
            String what = label + (m.isMonteCarlo() ? ", MC" : ", standard");
            long[] counts = m.binCounts();
            double[] confidences = m.binConfidences();
            double[] accuracies = m.binAccuracies();
            assertThat(Arrays.stream(counts).sum()).as(what + ": predictions in the bins").isEqualTo(n);
            double meanConfidence = 0;
            double accuracy = 0;
            for (int b = 0; b < counts.length; b++) {
                meanConfidence += counts[b] * confidences[b] / n;
                accuracy += counts[b] * accuracies[b] / n;
            }
            // Sums of at most n terms in [0, 1] in double: rounding stays below 1e-12 for the n of these tests.
            assertThat(accuracy).as(what + ": accuracy from the bins").isCloseTo(m.accuracy(), within(1e-12));
            assertThat(m.expectedCalibrationError()).as(what + ": ECE >= |accuracy - mean confidence|")
                    .isGreaterThanOrEqualTo(Math.abs(m.accuracy() - meanConfidence) - 1e-12);
        }
    }

    /**
     * @param report a classification report
     * @return the mean top-class probability of standard inference, from its calibration bins
     */
    public static double meanStandardConfidence(McReport report) {
        long[] counts = report.deterministic().asClassification().binCounts();
        double[] confidences = report.deterministic().asClassification().binConfidences();
        double sum = 0;
        long n = 0;
        for (int b = 0; b < counts.length; b++) {
            sum += counts[b] * confidences[b];
            n += counts[b];
        }
        return sum / n;
    }
}
