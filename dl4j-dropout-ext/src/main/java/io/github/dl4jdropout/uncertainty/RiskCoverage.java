package io.github.dl4jdropout.uncertainty;

import java.util.Arrays;
import java.util.Locale;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.montecarlo.McPrediction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Selective prediction: a classifier that may abstain answers only the inputs it is most certain about. Accepting
 * the fraction c (the coverage) of inputs with the lowest uncertainty score gives a selective risk, the error rate
 * on the accepted inputs; the risk-coverage curve traces it for every c, and its area (AURC) summarises how well the
 * score ranks errors last (El-Yaniv &amp; Wiener 2010, "On the Foundations of Noise-free Selective
 * Classification"; Geifman &amp; El-Yaniv 2017, "Selective Classification for Deep Neural Networks"; AURC and
 * E-AURC: Geifman et al. 2019, "Bias-Reduced Uncertainty Estimation for Deep Neural Classifiers").
 *
 * <p><b>Definitions.</b> With the n inputs sorted by score, most certain first, and {@code errors(m)} the errors
 * among the first m: {@code risk(m) = errors(m) / m}, {@code AURC = (1/n) sum_{m=1..n} risk(m)} (lower is better;
 * a random score gives about the overall error rate), and {@code E-AURC = AURC - AURC*}, where {@code AURC*} is the
 * AURC of the ideal ranking (every correct prediction before every error).
 *
 * <p><b>Ties.</b> Inputs with equal scores cannot be told apart by the score, so they are accepted or rejected
 * together: the curve has one point per group of tied scores, and where a coverage cuts through a group (in
 * {@link #aurc()} and {@link #accuracyAtCoverage(double)}) the value is the expectation over a random order within
 * the group, {@code errors(m) = errors before the group + (m - accepted before) * group errors / group size}. This
 * makes results independent of the input order (a score that ties everything gets exactly the overall risk).
 *
 * @since 0.3.0
 */
public final class RiskCoverage {

    private final int n;
    private final int totalErrors;
    // Per group of tied scores, in order of increasing score: cumulative counts and errors at the group's end.
    private final int[] cumulativeCounts;
    private final int[] cumulativeErrors;
    private final double[] thresholds;

    private RiskCoverage(int n, int totalErrors, int[] cumulativeCounts, int[] cumulativeErrors,
            double[] thresholds) {
        this.n = n;
        this.totalErrors = totalErrors;
        this.cumulativeCounts = cumulativeCounts;
        this.cumulativeErrors = cumulativeErrors;
        this.thresholds = thresholds;
    }

    /**
     * The risk-coverage curve of an uncertainty score.
     *
     * @param uncertainty one score per prediction, higher meaning less certain (see {@link UncertaintyScore})
     * @param correct     whether each prediction is right, same length
     * @return the curve
     * @throws IllegalArgumentException if an argument is null or empty, a score is NaN, or the lengths differ
     */
    public static RiskCoverage of(double[] uncertainty, boolean[] correct) {
        Inputs.scores("uncertainty", uncertainty);
        Checks.notNull("correct", correct, "a boolean[] with one entry per prediction");
        if (correct.length != uncertainty.length) {
            throw new IllegalArgumentException("correct must have one entry per score (" + uncertainty.length
                    + "), got " + correct.length);
        }
        int[] order = Ranking.ascending(uncertainty);
        int n = order.length;
        int[] counts = new int[n];
        int[] errors = new int[n];
        double[] thresholds = new double[n];
        int groups = 0;
        int errorsSoFar = 0;
        for (int i = 0; i < n; i++) {
            errorsSoFar += correct[order[i]] ? 0 : 1;
            if (i == n - 1 || uncertainty[order[i + 1]] != uncertainty[order[i]]) {
                counts[groups] = i + 1;
                errors[groups] = errorsSoFar;
                thresholds[groups] = uncertainty[order[i]];
                groups++;
            }
        }
        return new RiskCoverage(n, errorsSoFar, Arrays.copyOf(counts, groups), Arrays.copyOf(errors, groups),
                Arrays.copyOf(thresholds, groups));
    }

    /**
     * The risk-coverage curve of a Monte Carlo prediction, scored by its mean's arg-max against the labels.
     *
     * @param prediction an {@code [n, k]} classification prediction
     * @param score      the uncertainty score that orders acceptance
     * @param labels     {@code [n, k]} one-hot labels
     * @return the curve
     * @throws IllegalArgumentException if an argument is null, the prediction is not an {@code [n, k]}
     *                                  classification or the labels do not match it
     * @throws IllegalStateException    for {@link UncertaintyScore#VARIATION_RATIO} without samples
     */
    public static RiskCoverage of(McPrediction prediction, UncertaintyScore score, INDArray labels) {
        Checks.notNull("score", score, "an UncertaintyScore");
        double[] uncertainty = score.of(prediction);
        return of(uncertainty, correct(prediction.mean(), labels));
    }

    /**
     * Whether the arg-max of each row of class probabilities is the label's class.
     *
     * @param probabilities {@code [n, k]} class probabilities
     * @param labels        {@code [n, k]} one-hot labels
     * @return n flags
     * @throws IllegalArgumentException if an argument is null or the shapes do not match
     */
    public static boolean[] correct(INDArray probabilities, INDArray labels) {
        double[][] p = Inputs.probabilities("probabilities", probabilities);
        int[] y = Inputs.classes("labels", labels, p.length, p[0].length);
        boolean[] out = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Inputs.argMax(p[i]) == y[i];
        }
        return out;
    }

    /** Number of predictions. */
    public int size() {
        return n;
    }

    /** Error rate at full coverage. */
    public double overallRisk() {
        return (double) totalErrors / n;
    }

    /** Coverage of each curve point (one per group of tied scores), increasing, the last one 1. */
    public double[] coverages() {
        double[] out = new double[cumulativeCounts.length];
        for (int g = 0; g < out.length; g++) {
            out[g] = (double) cumulativeCounts[g] / n;
        }
        return out;
    }

    /** Selective risk at each curve point: errors among the accepted predictions over their number. */
    public double[] risks() {
        double[] out = new double[cumulativeCounts.length];
        for (int g = 0; g < out.length; g++) {
            out[g] = (double) cumulativeErrors[g] / cumulativeCounts[g];
        }
        return out;
    }

    /** Score threshold of each curve point: predictions with a score up to it are accepted. */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** Expected number of errors among the m most certain predictions, ties ordered at random. */
    private double expectedErrors(int m) {
        int g = 0;
        while (cumulativeCounts[g] < m) {
            g++;
        }
        int countBefore = g == 0 ? 0 : cumulativeCounts[g - 1];
        int errorsBefore = g == 0 ? 0 : cumulativeErrors[g - 1];
        int size = cumulativeCounts[g] - countBefore;
        return errorsBefore + (double) (m - countBefore) * (cumulativeErrors[g] - errorsBefore) / size;
    }

    /** Area under the risk-coverage curve, {@code (1/n) sum_m risk(m)}, ties in expectation; in [0, 1]. */
    public double aurc() {
        double sum = 0;
        int g = 0;
        for (int m = 1; m <= n; m++) {
            while (cumulativeCounts[g] < m) {
                g++;
            }
            int countBefore = g == 0 ? 0 : cumulativeCounts[g - 1];
            int errorsBefore = g == 0 ? 0 : cumulativeErrors[g - 1];
            int size = cumulativeCounts[g] - countBefore;
            double errors = errorsBefore + (double) (m - countBefore) * (cumulativeErrors[g] - errorsBefore) / size;
            sum += errors / m;
        }
        return sum / n;
    }

    /** AURC of the ideal ranking with the same number of errors: the lowest AURC any score can reach. */
    public double optimalAurc() {
        double sum = 0;
        int correct = n - totalErrors;
        for (int m = correct + 1; m <= n; m++) {
            sum += (double) (m - correct) / m;
        }
        return sum / n;
    }

    /** Excess AURC, {@link #aurc()} minus {@link #optimalAurc()}: 0 for a perfect ranking. */
    public double excessAurc() {
        return aurc() - optimalAurc();
    }

    /**
     * Accuracy on the most certain predictions that make up at least the given coverage: the smallest m with
     * {@code m / n >= coverage} are accepted, ties at the cut in expectation.
     *
     * @param coverage in (0, 1]
     * @return the selective accuracy {@code 1 - errors(m) / m}
     * @throws IllegalArgumentException if {@code coverage} is not in (0, 1]
     */
    public double accuracyAtCoverage(double coverage) {
        return 1.0 - riskAtCoverage(coverage);
    }

    /**
     * Selective risk at the given coverage, as {@link #accuracyAtCoverage(double)}.
     *
     * @param coverage in (0, 1]
     * @return {@code errors(m) / m}
     * @throws IllegalArgumentException if {@code coverage} is not in (0, 1]
     */
    public double riskAtCoverage(double coverage) {
        if (!(coverage > 0 && coverage <= 1)) {
            throw new IllegalArgumentException("coverage must be in (0, 1], got " + coverage);
        }
        int m = Ranking.countFor(coverage, n);
        return expectedErrors(m) / m;
    }

    /** Size, overall risk, AURC and E-AURC. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RiskCoverage{n=%d, risk=%.6f, aurc=%.6f, e-aurc=%.6f}", n, overallRisk(),
                aurc(), excessAurc());
    }
}
