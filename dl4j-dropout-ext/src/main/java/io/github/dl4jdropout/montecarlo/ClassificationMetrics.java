package io.github.dl4jdropout.montecarlo;

import java.math.BigDecimal;
import java.util.Objects;

import org.nd4j.evaluation.classification.Evaluation;

/**
 * Metrics of {@link McTask#CLASSIFICATION} predictions: each prediction (an example, or one unmasked time step of a
 * sequence) is a categorical distribution over the classes, scored against a one-hot (or soft) label.
 *
 * <ul>
 *   <li>accuracy: fraction of predictions whose arg-max matches the label's arg-max;</li>
 *   <li>negative log-likelihood: mean of {@code -sum_k y_k log max(p_k, }{@value PredictionMetrics#PROBABILITY_FLOOR}{@code )}
 *       (natural log, so nats; with one-hot labels {@code -log p_true});</li>
 *   <li>Brier score: mean over predictions of {@code sum_k (p_k - y_k)^2} (Brier 1950, multi-class form, in
 *       {@code [0, 2]});</li>
 *   <li>expected calibration error: {@code sum_b (n_b / n) |accuracy_b - confidence_b|} over equal-width bins of
 *       the top-class probability (Naeini et al. 2015; Guo et al. 2017, "On Calibration of Modern Neural
 *       Networks");</li>
 *   <li>mean predictive entropy {@code H[p]} in nats, and for Monte Carlo results the mean mutual information
 *       (BALD, Houlsby et al. 2011) {@code H[mean p] - mean H[p]}.</li>
 * </ul>
 * {@link #evaluation()} gives DL4J's {@link Evaluation} of the same predictions (confusion matrix, precision,
 * recall, F1).
 *
 * @since 0.2.0 (these metrics were part of {@code PredictionMetrics} in 0.1.0)
 */
public final class ClassificationMetrics extends PredictionMetrics {

    private static final long serialVersionUID = 1L;

    private final long correct;
    private final BigDecimal nllSum;
    private final BigDecimal brierSum;
    private final BigDecimal entropySum;
    private final BigDecimal mutualInformationSum;
    private final CalibrationBins bins;
    private final Evaluation evaluation;

    ClassificationMetrics(boolean monteCarlo, long count, long correct, BigDecimal nllSum, BigDecimal brierSum,
            BigDecimal entropySum, BigDecimal mutualInformationSum, CalibrationBins bins, Evaluation evaluation) {
        super(monteCarlo, count);
        this.correct = correct;
        this.nllSum = nllSum;
        this.brierSum = brierSum;
        this.entropySum = entropySum;
        this.mutualInformationSum = mutualInformationSum;
        this.bins = bins;
        this.evaluation = evaluation;
    }

    /** {@link McTask#CLASSIFICATION}. */
    @Override
    public McTask task() {
        return McTask.CLASSIFICATION;
    }

    /** This object. */
    @Override
    public ClassificationMetrics asClassification() {
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code other} is null, not classification metrics of the same kind of
     *                                  inference, or uses another number of calibration bins
     */
    @Override
    public ClassificationMetrics merge(PredictionMetrics other) {
        ClassificationMetrics o = compatible(other, ClassificationMetrics.class);
        CalibrationBins mergedBins = bins.merge(o.bins);
        Evaluation e = new Evaluation();
        e.merge(evaluation);
        e.merge(o.evaluation);
        return new ClassificationMetrics(isMonteCarlo(), count() + o.count(), correct + o.correct,
                nllSum.add(o.nllSum), brierSum.add(o.brierSum), entropySum.add(o.entropySum),
                add(mutualInformationSum, o.mutualInformationSum), mergedBins, e);
    }

    /** Fraction of predictions whose most probable class is the label's. */
    public double accuracy() {
        return (double) correct / count();
    }

    /** Mean negative log-likelihood (cross-entropy) in nats per prediction. */
    public double negativeLogLikelihood() {
        return mean(nllSum, count());
    }

    /** Mean multi-class Brier score {@code sum_k (p_k - y_k)^2}, between 0 and 2. */
    public double brierScore() {
        return mean(brierSum, count());
    }

    /** Expected calibration error over {@link #calibrationBins()} equal-width confidence bins, between 0 and 1. */
    public double expectedCalibrationError() {
        return bins.expectedCalibrationError(count());
    }

    /** Number of equal-width confidence bins of the expected calibration error. */
    public int calibrationBins() {
        return bins.size();
    }

    /** Predictions per confidence bin, lowest confidence first (for reliability diagrams). */
    public long[] binCounts() {
        return bins.counts();
    }

    /** Accuracy within each confidence bin (0 for empty bins), lowest confidence first. */
    public double[] binAccuracies() {
        return bins.meanOutcomes();
    }

    /** Mean top-class probability within each confidence bin (0 for empty bins), lowest confidence first. */
    public double[] binConfidences() {
        return bins.meanConfidences();
    }

    /**
     * Mean predictive entropy {@code -sum_k p_k log p_k} in nats of the predicted distribution (the ensemble
     * average for Monte Carlo results).
     */
    public double meanPredictiveEntropy() {
        return mean(entropySum, count());
    }

    /**
     * Mean mutual information between prediction and model parameters (BALD) in nats: the epistemic part of the
     * predictive entropy.
     *
     * @throws IllegalStateException for metrics of standard inference, which has a single prediction and so no
     *                               spread
     */
    public double meanMutualInformation() {
        requireMonteCarlo("meanMutualInformation");
        return mean(mutualInformationSum, count());
    }

    /** DL4J's classification evaluation of the same predictions (confusion matrix, precision, recall, F1, ...), as a copy. */
    public Evaluation evaluation() {
        Evaluation e = new Evaluation();
        e.merge(evaluation);
        return e;
    }

    /**
     * Equal if the kind of inference and every sufficient statistic are equal (the DL4J evaluations are compared
     * through their confusion matrices and row counts).
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ClassificationMetrics)) {
            return false;
        }
        ClassificationMetrics m = (ClassificationMetrics) o;
        return isMonteCarlo() == m.isMonteCarlo() && count() == m.count() && correct == m.correct
                && nllSum.equals(m.nllSum) && brierSum.equals(m.brierSum) && entropySum.equals(m.entropySum)
                && Objects.equals(mutualInformationSum, m.mutualInformationSum) && bins.equals(m.bins)
                && evaluation.getNumRowCounter() == m.evaluation.getNumRowCounter()
                && Objects.equals(confusion(evaluation), confusion(m.evaluation));
    }

    private static String confusion(Evaluation e) {
        return e.getConfusionMatrix() == null ? null : e.getConfusionMatrix().toCSV();
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(isMonteCarlo(), count(), correct, nllSum, brierSum);
    }

    /** A one-line summary of the main metrics. */
    @Override
    public String toString() {
        return "ClassificationMetrics{" + describe() + ", count=" + count() + ", accuracy=" + accuracy() + ", nll="
                + negativeLogLikelihood() + ", brier=" + brierScore() + ", ece=" + expectedCalibrationError() + '}';
    }
}
