package io.github.dl4jdropout.uncertainty;

import java.util.Locale;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.montecarlo.ClassificationMetrics;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The bins of a reliability diagram (DeGroot &amp; Fienberg 1983; Niculescu-Mizil &amp; Caruana 2005; Guo et al.
 * 2017, figure 1): predictions grouped by their confidence (the top-class probability) into equal-width bins on
 * {@code [0, 1]}, with per bin the number of predictions, their mean confidence and their accuracy, ready to plot or
 * export ({@link #toCsv()}). A perfectly calibrated classifier has accuracy equal to confidence in every bin; the
 * expected calibration error is the count-weighted mean gap.
 *
 * <p>The binning is that of {@link ClassificationMetrics}: bin {@code b} holds confidences in
 * {@code [b/B, (b+1)/B)}, a confidence of exactly 1 falls in the last bin. {@link #of(ClassificationMetrics)}
 * exports the bins an evaluation already accumulated; {@link #of(INDArray, INDArray, int)} bins any probabilities,
 * for example temperature-scaled ones.
 *
 * <p><b>Why not DL4J's {@code EvaluationCalibration}.</b> Its reliability diagram is per class (the probability of
 * class c against "the label is c", one diagram per class), which answers another question than the top-label
 * confidence diagram whose gaps make up the ECE of Guo et al.; it also sums the binned probabilities in the
 * predictions' data type (float for most networks). Use it for per-class diagrams and probability histograms; use
 * this class for the top-label diagram that matches {@link ClassificationMetrics#expectedCalibrationError()}.
 *
 * @since 0.3.0
 */
public final class ReliabilityBins {

    /** Default number of bins: 15, as {@code MonteCarloEvaluator.DEFAULT_CALIBRATION_BINS} (Guo et al. 2017). */
    public static final int DEFAULT_BINS = 15;

    private final long[] counts;
    private final double[] confidences;
    private final double[] accuracies;

    private ReliabilityBins(long[] counts, double[] confidences, double[] accuracies) {
        this.counts = counts;
        this.confidences = confidences;
        this.accuracies = accuracies;
    }

    /**
     * Bins top-class probabilities against the labels.
     *
     * @param probabilities {@code [n, k]} class probabilities
     * @param labels        {@code [n, k]} one-hot labels
     * @param bins          number of equal-width bins, at least 1
     * @return the bins
     * @throws IllegalArgumentException if an argument is null, the shapes do not match, or {@code bins < 1}
     */
    public static ReliabilityBins of(INDArray probabilities, INDArray labels, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double[][] p = Inputs.probabilities("probabilities", probabilities);
        int[] y = Inputs.classes("labels", labels, p.length, p[0].length);
        long[] counts = new long[bins];
        double[] confidenceSums = new double[bins];
        double[] correctSums = new double[bins];
        for (int i = 0; i < p.length; i++) {
            int predicted = Inputs.argMax(p[i]);
            double confidence = p[i][predicted];
            int b = (int) Math.min(Math.floor(confidence * bins), bins - 1);
            b = Math.max(b, 0);
            counts[b]++;
            confidenceSums[b] += confidence;
            correctSums[b] += predicted == y[i] ? 1 : 0;
        }
        double[] confidences = new double[bins];
        double[] accuracies = new double[bins];
        for (int b = 0; b < bins; b++) {
            if (counts[b] > 0) {
                confidences[b] = confidenceSums[b] / counts[b];
                accuracies[b] = correctSums[b] / counts[b];
            }
        }
        return new ReliabilityBins(counts, confidences, accuracies);
    }

    /**
     * The bins an evaluation accumulated (the Monte Carlo or the standard side of an {@code McReport}).
     *
     * @param metrics classification metrics of an evaluation
     * @return the same bins
     * @throws IllegalArgumentException if {@code metrics} is null
     */
    public static ReliabilityBins of(ClassificationMetrics metrics) {
        Checks.notNull("metrics", metrics, "ClassificationMetrics of an evaluation");
        return new ReliabilityBins(metrics.binCounts(), metrics.binConfidences(), metrics.binAccuracies());
    }

    /** Number of bins. */
    public int size() {
        return counts.length;
    }

    /** Lower edge of bin {@code b}, {@code b / size()}. */
    public double lowerEdge(int b) {
        return (double) b / counts.length;
    }

    /** Predictions per bin, lowest confidence first. */
    public long[] counts() {
        return counts.clone();
    }

    /** Mean confidence per bin (0 for empty bins). */
    public double[] confidences() {
        return confidences.clone();
    }

    /** Accuracy per bin (0 for empty bins). */
    public double[] accuracies() {
        return accuracies.clone();
    }

    /** Expected calibration error {@code sum_b (n_b / n) |accuracy_b - confidence_b|}. */
    public double expectedCalibrationError() {
        long n = 0;
        double sum = 0;
        for (int b = 0; b < counts.length; b++) {
            n += counts[b];
            sum += counts[b] * Math.abs(accuracies[b] - confidences[b]);
        }
        return n == 0 ? 0.0 : sum / n;
    }

    /** Maximum calibration error: the largest gap over non-empty bins (Naeini et al. 2015). */
    public double maximumCalibrationError() {
        double max = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                max = Math.max(max, Math.abs(accuracies[b] - confidences[b]));
            }
        }
        return max;
    }

    /**
     * The bins as CSV with a header: {@code bin_lower,bin_upper,count,confidence,accuracy}, one line per bin
     * (empty bins included, with confidence and accuracy 0).
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("bin_lower,bin_upper,count,confidence,accuracy\n");
        for (int b = 0; b < counts.length; b++) {
            sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%d,%.6f,%.6f\n", lowerEdge(b), lowerEdge(b + 1),
                    counts[b], confidences[b], accuracies[b]));
        }
        return sb.toString();
    }

    /** Number of bins and the ECE. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ReliabilityBins{bins=%d, ece=%.6f}", counts.length,
                expectedCalibrationError());
    }
}
