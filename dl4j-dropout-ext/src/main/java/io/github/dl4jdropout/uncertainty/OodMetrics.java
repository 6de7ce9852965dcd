package io.github.dl4jdropout.uncertainty;

import java.util.Locale;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.montecarlo.McPrediction;

/**
 * How well an uncertainty score separates out-of-distribution (OOD) inputs from in-distribution ones, the
 * threshold-free metrics of Hendrycks &amp; Gimpel (2017, "A Baseline for Detecting Misclassified and
 * Out-of-Distribution Examples in Neural Networks") and the operating point of Liang et al. (2018, ODIN): OOD
 * inputs are the positives and an input is flagged when its score is at or above a threshold.
 *
 * <ul>
 *   <li>{@link #auroc()}: area under the ROC curve, the probability that a random OOD input scores higher than a
 *       random in-distribution one, ties counting one half (the Mann-Whitney U statistic over
 *       {@code n_in * n_out}; Hanley &amp; McNeil 1982). 0.5 is chance, 1 perfect.</li>
 *   <li>{@link #auprOut()} and {@link #auprIn()}: area under the precision-recall curve with OOD inputs as
 *       positives (higher score = OOD), and with in-distribution inputs as positives (lower score = in), as
 *       average precision {@code sum_j (R_j - R_{j-1}) P_j} over the distinct thresholds (tied scores are one
 *       threshold, so no order within ties is assumed). A random score gives the positives' share.</li>
 *   <li>{@link #fprAt95Tpr()}: the false positive rate (share of in-distribution inputs flagged) at the highest
 *       threshold that flags at least 95% of the OOD inputs: with {@code m} the smallest count such that
 *       {@code m / n_out >= 0.95}, the threshold is the m-th largest OOD score, and every in-distribution input
 *       scoring at least that much counts. Exact, no interpolation.</li>
 * </ul>
 *
 * <p><b>Why not DL4J's {@code ROC}.</b> Its exact mode ({@code new ROC(0)}) stores scores in the default float
 * data type and builds the curve one example at a time in sorted order, so tied scores give a staircase whose area
 * depends on how the sort ordered positives and negatives within the tie (see {@code OodMetricsTest}); on scores
 * without ties it agrees with this class. Uncertainty scores tie often (variation ratios are multiples of 1/T, a
 * saturated softmax gives equal entropies), so this class computes the metrics from ranks in double.
 *
 * @since 0.3.0
 */
public final class OodMetrics {

    /** The true positive rate of the conventional operating point: 0.95. */
    public static final double TPR_95 = 0.95;

    private final double[] in;
    private final double[] out;

    private OodMetrics(double[] in, double[] out) {
        this.in = in;
        this.out = out;
    }

    /**
     * Metrics of a score, higher meaning "more likely out-of-distribution".
     *
     * @param inDistribution    scores of in-distribution inputs, at least one, no NaN
     * @param outOfDistribution scores of out-of-distribution inputs, at least one, no NaN
     * @return the metrics
     * @throws IllegalArgumentException if an array is null, empty or holds NaN
     */
    public static OodMetrics of(double[] inDistribution, double[] outOfDistribution) {
        return new OodMetrics(Inputs.scores("inDistribution", inDistribution).clone(),
                Inputs.scores("outOfDistribution", outOfDistribution).clone());
    }

    /**
     * Metrics of an uncertainty score of Monte Carlo predictions on an in- and an out-of-distribution set.
     *
     * @param inDistribution    an {@code [n, k]} classification prediction of in-distribution inputs
     * @param outOfDistribution an {@code [m, k]} classification prediction of out-of-distribution inputs
     * @param score             the score
     * @return the metrics
     * @throws IllegalArgumentException if an argument is null or a prediction is not an {@code [n, k]}
     *                                  classification
     * @throws IllegalStateException    for {@link UncertaintyScore#VARIATION_RATIO} without samples
     */
    public static OodMetrics of(McPrediction inDistribution, McPrediction outOfDistribution, UncertaintyScore score) {
        Checks.notNull("score", score, "an UncertaintyScore");
        return of(score.of(inDistribution), score.of(outOfDistribution));
    }

    /**
     * As {@link #of(McPrediction, McPrediction, UncertaintyScore)} for the standard-inference outputs the
     * predictions hold ({@link McPrediction#deterministic()}).
     *
     * @param inDistribution    an {@code [n, k]} classification prediction of in-distribution inputs
     * @param outOfDistribution an {@code [m, k]} classification prediction of out-of-distribution inputs
     * @param score             a score that does not need samples
     * @return the metrics
     * @throws IllegalArgumentException if an argument is null, a prediction is not an {@code [n, k]}
     *                                  classification, or the score needs samples
     */
    public static OodMetrics ofDeterministic(McPrediction inDistribution, McPrediction outOfDistribution,
            UncertaintyScore score) {
        Checks.notNull("score", score, "an UncertaintyScore");
        return of(score.ofDeterministic(inDistribution), score.ofDeterministic(outOfDistribution));
    }

    /** Area under the ROC curve, OOD inputs positive, ties counting one half. */
    public double auroc() {
        int n = in.length + out.length;
        double[] all = new double[n];
        System.arraycopy(in, 0, all, 0, in.length);
        System.arraycopy(out, 0, all, in.length, out.length);
        int[] order = Ranking.ascending(all);
        double positiveRankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int m = i; m <= j; m++) {
                if (order[m] >= in.length) {
                    positiveRankSum += averageRank;
                }
            }
            i = j + 1;
        }
        double positives = out.length;
        return (positiveRankSum - positives * (positives + 1) / 2) / (positives * in.length);
    }

    /** Average precision with OOD inputs as positives, flagged by high scores. */
    public double auprOut() {
        return averagePrecision(out, in);
    }

    /** Average precision with in-distribution inputs as positives, recognised by low scores. */
    public double auprIn() {
        return averagePrecision(negate(in), negate(out));
    }

    private static double[] negate(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = -a[i];
        }
        return out;
    }

    private static double averagePrecision(double[] positives, double[] negatives) {
        int n = positives.length + negatives.length;
        double[] all = new double[n];
        System.arraycopy(positives, 0, all, 0, positives.length);
        System.arraycopy(negatives, 0, all, positives.length, negatives.length);
        int[] order = Ranking.descending(all);
        double ap = 0;
        double previousRecall = 0;
        int truePositives = 0;
        for (int i = 0; i < n; i++) {
            truePositives += order[i] < positives.length ? 1 : 0;
            if (i == n - 1 || all[order[i + 1]] != all[order[i]]) {
                double recall = (double) truePositives / positives.length;
                ap += (recall - previousRecall) * truePositives / (i + 1);
                previousRecall = recall;
            }
        }
        return ap;
    }

    /** False positive rate at 95% true positive rate, {@link #fprAtTpr(double) fprAtTpr(0.95)}. */
    public double fprAt95Tpr() {
        return fprAtTpr(TPR_95);
    }

    /**
     * False positive rate at the highest threshold whose true positive rate is at least {@code tpr}.
     *
     * @param tpr the required true positive rate, in (0, 1]
     * @return the share of in-distribution inputs scoring at or above that threshold
     * @throws IllegalArgumentException if {@code tpr} is not in (0, 1]
     */
    public double fprAtTpr(double tpr) {
        return falsePositives(tpr) / in.length;
    }

    /**
     * The threshold of {@link #fprAtTpr(double)}: the m-th largest OOD score, m the smallest count with
     * {@code m / n_out >= tpr}.
     *
     * @param tpr in (0, 1]
     * @return the threshold; inputs scoring at least this much are flagged
     * @throws IllegalArgumentException if {@code tpr} is not in (0, 1]
     */
    public double thresholdAtTpr(double tpr) {
        if (!(tpr > 0 && tpr <= 1)) {
            throw new IllegalArgumentException("tpr must be in (0, 1], got " + tpr);
        }
        int[] order = Ranking.descending(out);
        return out[order[Ranking.countFor(tpr, out.length) - 1]];
    }

    private double falsePositives(double tpr) {
        double threshold = thresholdAtTpr(tpr);
        int count = 0;
        for (double v : in) {
            if (v >= threshold) {
                count++;
            }
        }
        return count;
    }

    /** Number of in-distribution scores. */
    public int inDistributionCount() {
        return in.length;
    }

    /** Number of out-of-distribution scores. */
    public int outOfDistributionCount() {
        return out.length;
    }

    /** Counts and the four metrics. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "OodMetrics{in=%d, out=%d, auroc=%.6f, aupr-out=%.6f, aupr-in=%.6f,"
                + " fpr@95tpr=%.6f}", in.length, out.length, auroc(), auprOut(), auprIn(), fprAt95Tpr());
    }
}
