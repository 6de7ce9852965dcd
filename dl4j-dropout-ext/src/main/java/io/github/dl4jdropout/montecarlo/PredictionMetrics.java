package io.github.dl4jdropout.montecarlo;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Objects;

import io.github.dl4jdropout.internal.Checks;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;

/**
 * Metrics of one kind of inference (standard weight-scaling inference, or the Monte Carlo ensemble average) over
 * the predictions seen so far, kept as sufficient statistics so that results on disjoint parts of a dataset
 * {@link #merge merge} into exactly the result on the whole.
 *
 * <p>Exactness: counts are integers and every sum is accumulated per minibatch in double and then added in exact
 * decimal arithmetic ({@link BigDecimal}), so the order in which minibatches or parts are combined does not change
 * a single bit of the result. (Within a minibatch, sums are ND4J reductions over the batch.)
 *
 * <p>Classification metrics (one "prediction" is one example, or one unmasked time step of a sequence):
 * <ul>
 *   <li>accuracy: fraction of predictions whose arg-max matches the label's arg-max;</li>
 *   <li>negative log-likelihood: mean of {@code -sum_k y_k log max(p_k, }{@value #PROBABILITY_FLOOR}{@code )}
 *       (natural log, so nats; with one-hot labels {@code -log p_true});</li>
 *   <li>Brier score: mean over predictions of {@code sum_k (p_k - y_k)^2} (Brier 1950, multi-class form, in
 *       {@code [0, 2]});</li>
 *   <li>expected calibration error: {@code sum_b (n_b / n) |accuracy_b - confidence_b|} over equal-width bins of
 *       the top-class probability (Naeini et al. 2015; Guo et al. 2017, "On Calibration of Modern Neural
 *       Networks");</li>
 *   <li>mean predictive entropy {@code H[p]} in nats, and for Monte Carlo results the mean mutual information
 *       (BALD, Houlsby et al. 2011) {@code H[mean p] - mean H[p]}.</li>
 * </ul>
 * Regression metrics (one prediction is one output value): RMSE, and the Gaussian negative log-likelihood
 * {@code 0.5 log(2 pi s^2) + (y - m)^2 / (2 s^2)} averaged over values, where {@code s^2} is the Monte Carlo
 * predictive variance plus the configured observation noise (Gal &amp; Ghahramani 2016, eq. 8 with
 * {@code tau^-1} as observation noise), floored at {@value #VARIANCE_FLOOR}. Standard inference has no
 * predictive variance, so its Gaussian NLL exists only when the observation noise is positive.
 *
 * <p>Instances are immutable; {@link #evaluation()} and {@link #regressionEvaluation()} return copies.
 *
 * @since 0.1.0
 */
public final class PredictionMetrics {

    /** Probabilities are clamped to at least this value inside logarithms of the negative log-likelihood. */
    public static final double PROBABILITY_FLOOR = 1e-15;

    /** Predictive variances are floored at this value in the Gaussian negative log-likelihood. */
    public static final double VARIANCE_FLOOR = 1e-12;

    private static final MathContext OUT = MathContext.DECIMAL64;

    private final McTask task;
    private final boolean monteCarlo;
    private final long count;
    // classification
    private final long correct;
    private final BigDecimal nllSum;
    private final BigDecimal brierSum;
    private final BigDecimal entropySum;
    private final BigDecimal mutualInformationSum;
    private final long[] binCounts;
    private final long[] binCorrect;
    private final BigDecimal[] binConfidenceSums;
    private final Evaluation evaluation;
    // regression
    private final long valueCount;
    private final BigDecimal squaredErrorSum;
    private final BigDecimal gaussianNllSum;
    private final BigDecimal varianceSum;
    private final RegressionEvaluation regressionEvaluation;

    private PredictionMetrics(McTask task, boolean monteCarlo, long count, long correct, BigDecimal nllSum,
            BigDecimal brierSum, BigDecimal entropySum, BigDecimal mutualInformationSum, long[] binCounts,
            long[] binCorrect, BigDecimal[] binConfidenceSums, Evaluation evaluation, long valueCount,
            BigDecimal squaredErrorSum, BigDecimal gaussianNllSum, BigDecimal varianceSum,
            RegressionEvaluation regressionEvaluation) {
        this.task = task;
        this.monteCarlo = monteCarlo;
        this.count = count;
        this.correct = correct;
        this.nllSum = nllSum;
        this.brierSum = brierSum;
        this.entropySum = entropySum;
        this.mutualInformationSum = mutualInformationSum;
        this.binCounts = binCounts;
        this.binCorrect = binCorrect;
        this.binConfidenceSums = binConfidenceSums;
        this.evaluation = evaluation;
        this.valueCount = valueCount;
        this.squaredErrorSum = squaredErrorSum;
        this.gaussianNllSum = gaussianNllSum;
        this.varianceSum = varianceSum;
        this.regressionEvaluation = regressionEvaluation;
    }

    static PredictionMetrics classification(boolean monteCarlo, long count, long correct, BigDecimal nllSum,
            BigDecimal brierSum, BigDecimal entropySum, BigDecimal mutualInformationSum, long[] binCounts,
            long[] binCorrect, BigDecimal[] binConfidenceSums, Evaluation evaluation) {
        return new PredictionMetrics(McTask.CLASSIFICATION, monteCarlo, count, correct, nllSum, brierSum, entropySum,
                mutualInformationSum, binCounts, binCorrect, binConfidenceSums, evaluation, 0, null, null, null, null);
    }

    static PredictionMetrics regression(boolean monteCarlo, long count, long valueCount, BigDecimal squaredErrorSum,
            BigDecimal gaussianNllSum, BigDecimal varianceSum, RegressionEvaluation regressionEvaluation) {
        return new PredictionMetrics(McTask.REGRESSION, monteCarlo, count, 0, null, null, null, null, null, null,
                null, null, valueCount, squaredErrorSum, gaussianNllSum, varianceSum, regressionEvaluation);
    }

    /**
     * Combines the metrics of two disjoint sets of predictions into the metrics of their union, exactly.
     *
     * @param other metrics of the same task and kind of inference, with the same number of calibration bins
     * @return a new object; neither operand changes
     * @throws IllegalArgumentException if {@code other} is null or has another task, kind of inference, or bin count
     */
    public PredictionMetrics merge(PredictionMetrics other) {
        Checks.notNull("other", other, "metrics of the same task and kind of inference");
        if (other.task != task || other.monteCarlo != monteCarlo) {
            throw new IllegalArgumentException("other must hold " + describe() + " metrics, got " + other.describe());
        }
        if (task == McTask.CLASSIFICATION) {
            if (other.binCounts.length != binCounts.length) {
                throw new IllegalArgumentException("other must use " + binCounts.length
                        + " calibration bins, got " + other.binCounts.length);
            }
            long[] counts = binCounts.clone();
            long[] corrects = binCorrect.clone();
            BigDecimal[] conf = binConfidenceSums.clone();
            for (int b = 0; b < counts.length; b++) {
                counts[b] += other.binCounts[b];
                corrects[b] += other.binCorrect[b];
                conf[b] = conf[b].add(other.binConfidenceSums[b]);
            }
            Evaluation e = new Evaluation();
            e.merge(evaluation);
            e.merge(other.evaluation);
            return classification(monteCarlo, count + other.count, correct + other.correct,
                    nllSum.add(other.nllSum), brierSum.add(other.brierSum), entropySum.add(other.entropySum),
                    add(mutualInformationSum, other.mutualInformationSum), counts, corrects, conf, e);
        }
        return regression(monteCarlo, count + other.count, valueCount + other.valueCount,
                squaredErrorSum.add(other.squaredErrorSum), add(gaussianNllSum, other.gaussianNllSum),
                add(varianceSum, other.varianceSum), merge(regressionEvaluation, other.regressionEvaluation));
    }

    private static BigDecimal add(BigDecimal a, BigDecimal b) {
        return a == null || b == null ? null : a.add(b);
    }

    /**
     * A deep copy. Not through {@code merge} into an empty evaluation: in 1.0.0-M2.1 that shares the per-column
     * count array with the source (a later merge then changes the source) and leaves the copy "not initialized".
     */
    private static RegressionEvaluation copy(RegressionEvaluation source) {
        return RegressionEvaluation.fromJson(source.toJson());
    }

    /** Merges without changing either operand (see {@link #copy}). */
    private static RegressionEvaluation merge(RegressionEvaluation a, RegressionEvaluation b) {
        if (b.numColumns() == 0) {
            return copy(a);
        }
        if (a.numColumns() == 0) {
            return copy(b);
        }
        RegressionEvaluation r = copy(a);
        r.merge(b);
        return r;
    }

    private String describe() {
        return task.name().toLowerCase(java.util.Locale.ROOT) + (monteCarlo ? " Monte Carlo" : " deterministic");
    }

    /** The task these metrics were computed for. */
    public McTask task() {
        return task;
    }

    /** True for the Monte Carlo ensemble average, false for standard (weight-scaling) inference. */
    public boolean isMonteCarlo() {
        return monteCarlo;
    }

    /** Number of predictions scored: examples, or unmasked time steps (pixels) for sequence (per-pixel) outputs. */
    public long count() {
        return count;
    }

    /**
     * Fraction of predictions whose most probable class is the label's.
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public double accuracy() {
        requireTask(McTask.CLASSIFICATION, "accuracy");
        return (double) correct / count;
    }

    /**
     * Mean negative log-likelihood (cross-entropy) in nats; for regression the mean Gaussian negative
     * log-likelihood per output value.
     *
     * @throws IllegalStateException for regression metrics of standard inference without observation noise, which
     *                               have no predictive variance (see {@link #hasNegativeLogLikelihood()})
     */
    public double negativeLogLikelihood() {
        if (task == McTask.REGRESSION) {
            if (gaussianNllSum == null) {
                throw new IllegalStateException("negativeLogLikelihood is not available for deterministic regression"
                        + " without observation noise: standard inference has no predictive variance (set"
                        + " observationNoiseVariance > 0 on the builder to get one)");
            }
            return mean(gaussianNllSum, valueCount);
        }
        return mean(nllSum, count);
    }

    /** True if {@link #negativeLogLikelihood()} has a value. */
    public boolean hasNegativeLogLikelihood() {
        return task == McTask.CLASSIFICATION || gaussianNllSum != null;
    }

    /**
     * Mean multi-class Brier score {@code sum_k (p_k - y_k)^2}, between 0 and 2.
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public double brierScore() {
        requireTask(McTask.CLASSIFICATION, "brierScore");
        return mean(brierSum, count);
    }

    /**
     * Expected calibration error over {@link #calibrationBins()} equal-width confidence bins, between 0 and 1.
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public double expectedCalibrationError() {
        requireTask(McTask.CLASSIFICATION, "expectedCalibrationError");
        BigDecimal total = BigDecimal.ZERO;
        for (int b = 0; b < binCounts.length; b++) {
            total = total.add(BigDecimal.valueOf(binCorrect[b]).subtract(binConfidenceSums[b]).abs());
        }
        return mean(total, count);
    }

    /**
     * Number of equal-width confidence bins of the expected calibration error.
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public int calibrationBins() {
        requireTask(McTask.CLASSIFICATION, "calibrationBins");
        return binCounts.length;
    }

    /**
     * Predictions per confidence bin, lowest confidence first (for reliability diagrams).
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public long[] binCounts() {
        requireTask(McTask.CLASSIFICATION, "binCounts");
        return binCounts.clone();
    }

    /**
     * Accuracy within each confidence bin (0 for empty bins), lowest confidence first.
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public double[] binAccuracies() {
        requireTask(McTask.CLASSIFICATION, "binAccuracies");
        double[] out = new double[binCounts.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = binCounts[b] == 0 ? 0.0 : (double) binCorrect[b] / binCounts[b];
        }
        return out;
    }

    /**
     * Mean top-class probability within each confidence bin (0 for empty bins), lowest confidence first.
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public double[] binConfidences() {
        requireTask(McTask.CLASSIFICATION, "binConfidences");
        double[] out = new double[binCounts.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = binCounts[b] == 0 ? 0.0 : mean(binConfidenceSums[b], binCounts[b]);
        }
        return out;
    }

    /**
     * Mean predictive entropy {@code -sum_k p_k log p_k} in nats of the predicted distribution (the ensemble
     * average for Monte Carlo results).
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public double meanPredictiveEntropy() {
        requireTask(McTask.CLASSIFICATION, "meanPredictiveEntropy");
        return mean(entropySum, count);
    }

    /**
     * Mean mutual information between prediction and model parameters (BALD) in nats: the epistemic part of the
     * predictive entropy.
     *
     * @throws IllegalStateException if these are regression metrics or metrics of standard inference, which has
     *                               a single prediction and so no spread
     */
    public double meanMutualInformation() {
        requireTask(McTask.CLASSIFICATION, "meanMutualInformation");
        if (mutualInformationSum == null) {
            throw new IllegalStateException("meanMutualInformation needs Monte Carlo samples; these are metrics of"
                    + " standard (deterministic) inference");
        }
        return mean(mutualInformationSum, count);
    }

    /**
     * Root mean squared error over all output values.
     *
     * @throws IllegalStateException if these are classification metrics
     */
    public double rmse() {
        requireTask(McTask.REGRESSION, "rmse");
        return Math.sqrt(mean(squaredErrorSum, valueCount));
    }

    /**
     * Mean Monte Carlo predictive variance over all output values (without observation noise).
     *
     * @throws IllegalStateException if these are classification metrics or metrics of standard inference
     */
    public double meanPredictiveVariance() {
        requireTask(McTask.REGRESSION, "meanPredictiveVariance");
        if (varianceSum == null) {
            throw new IllegalStateException("meanPredictiveVariance needs Monte Carlo samples; these are metrics of"
                    + " standard (deterministic) inference");
        }
        return mean(varianceSum, valueCount);
    }

    /**
     * DL4J's classification evaluation of the same predictions (confusion matrix, precision, recall, F1, ...), as a
     * copy.
     *
     * @throws IllegalStateException if these are regression metrics
     */
    public Evaluation evaluation() {
        requireTask(McTask.CLASSIFICATION, "evaluation");
        Evaluation e = new Evaluation();
        e.merge(evaluation);
        return e;
    }

    /**
     * DL4J's regression evaluation of the same predictions (per-column MSE, MAE, R^2, ...), as a copy.
     *
     * @throws IllegalStateException if these are classification metrics
     */
    public RegressionEvaluation regressionEvaluation() {
        requireTask(McTask.REGRESSION, "regressionEvaluation");
        return copy(regressionEvaluation);
    }

    private void requireTask(McTask expected, String metric) {
        if (task != expected) {
            throw new IllegalStateException(metric + " is a " + expected.name().toLowerCase(java.util.Locale.ROOT)
                    + " metric; these metrics are for " + task.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static double mean(BigDecimal sum, long n) {
        return sum.divide(BigDecimal.valueOf(n), OUT).doubleValue();
    }

    /**
     * Equal if the task, kind of inference and every sufficient statistic are equal (the DL4J evaluations are
     * compared through their confusion matrices and row counts).
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PredictionMetrics)) {
            return false;
        }
        PredictionMetrics m = (PredictionMetrics) o;
        return task == m.task && monteCarlo == m.monteCarlo && count == m.count && correct == m.correct
                && Objects.equals(nllSum, m.nllSum) && Objects.equals(brierSum, m.brierSum)
                && Objects.equals(entropySum, m.entropySum)
                && Objects.equals(mutualInformationSum, m.mutualInformationSum)
                && Arrays.equals(binCounts, m.binCounts) && Arrays.equals(binCorrect, m.binCorrect)
                && Arrays.equals(binConfidenceSums, m.binConfidenceSums)
                && evaluationsEqual(evaluation, m.evaluation)
                && valueCount == m.valueCount && Objects.equals(squaredErrorSum, m.squaredErrorSum)
                && Objects.equals(gaussianNllSum, m.gaussianNllSum) && Objects.equals(varianceSum, m.varianceSum);
    }

    private static boolean evaluationsEqual(Evaluation a, Evaluation b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.getNumRowCounter() == b.getNumRowCounter()
                && Objects.equals(a.getConfusionMatrix() == null ? null : a.getConfusionMatrix().toCSV(),
                        b.getConfusionMatrix() == null ? null : b.getConfusionMatrix().toCSV());
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(task, monteCarlo, count, correct, nllSum, brierSum, valueCount, squaredErrorSum);
    }

    /** A one-line summary of the main metrics. */
    @Override
    public String toString() {
        if (task == McTask.CLASSIFICATION) {
            return "PredictionMetrics{" + describe() + ", count=" + count + ", accuracy=" + accuracy() + ", nll="
                    + negativeLogLikelihood() + ", brier=" + brierScore() + ", ece=" + expectedCalibrationError()
                    + '}';
        }
        return "PredictionMetrics{" + describe() + ", count=" + count + ", rmse=" + rmse()
                + (hasNegativeLogLikelihood() ? ", gaussianNll=" + negativeLogLikelihood() : "") + '}';
    }
}
