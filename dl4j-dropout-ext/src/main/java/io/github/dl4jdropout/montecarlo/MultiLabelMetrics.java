package io.github.dl4jdropout.montecarlo;

import java.math.BigDecimal;
import java.util.Objects;

import org.nd4j.evaluation.classification.EvaluationBinary;

/**
 * Metrics of {@link McTask#MULTI_LABEL} predictions: each prediction (an example, or one unmasked time step) holds
 * {@link #labelCount()} probabilities, each the parameter of an independent Bernoulli over one label, scored against
 * labels in {@code [0, 1]} (multi-hot, or soft).
 *
 * <p>Every per-label quantity is averaged over labels as well as predictions ("per label"), so that values stay
 * comparable between models with different numbers of labels and keep the binary scales below; multiply by
 * {@link #labelCount()} for the sum over the labels of one prediction. A label or a probability counts as positive
 * when it is greater than 0.5 (as in DL4J's {@link EvaluationBinary}).
 * <ul>
 *   <li>exact-match accuracy: fraction of predictions whose every label is right;</li>
 *   <li>Hamming accuracy: fraction of (prediction, label) pairs that are right, one minus the Hamming loss;</li>
 *   <li>negative log-likelihood: the binary cross-entropy
 *       {@code -[y log p + (1 - y) log(1 - p)]} in nats, mean per label, with {@code p} clamped to
 *       {@code [}{@value PredictionMetrics#PROBABILITY_FLOOR}{@code , 1 - }{@value
 *       PredictionMetrics#PROBABILITY_FLOOR}{@code ]};</li>
 *   <li>Brier score {@code (p - y)^2}, mean per label, in {@code [0, 1]} (Brier 1950, binary form);</li>
 *   <li>expected calibration error of the per-label probabilities: equal-width bins of {@code p}, comparing each
 *       bin's mean {@code p} with the mean label in it (the binary ECE of Naeini et al. 2015, over every label of
 *       every prediction), between 0 and 1;</li>
 *   <li>mean predictive entropy {@code H_b(p) = -p log p - (1 - p) log(1 - p)} in nats per label, at most
 *       {@code log 2}, and for Monte Carlo results the mean mutual information (BALD, Houlsby et al. 2011) per label
 *       {@code H_b(mean_t p_t) - mean_t H_b(p_t)}. Summed over the labels of a prediction they give the entropy and
 *       mutual information of the factorized (independent-label) predictive distribution.</li>
 * </ul>
 * {@link #evaluationBinary()} gives DL4J's {@link EvaluationBinary} of the same predictions (per-label accuracy,
 * precision, recall, F1).
 *
 * @since 0.2.0
 */
public final class MultiLabelMetrics extends PredictionMetrics {

    private static final long serialVersionUID = 1L;

    private final int labels;
    private final long exactMatches;
    private final long correctLabels;
    private final BigDecimal crossEntropySum;
    private final BigDecimal brierSum;
    private final BigDecimal entropySum;
    private final BigDecimal mutualInformationSum;
    private final CalibrationBins bins;
    private final EvaluationBinary evaluation;

    MultiLabelMetrics(boolean monteCarlo, long count, int labels, long exactMatches, long correctLabels,
            BigDecimal crossEntropySum, BigDecimal brierSum, BigDecimal entropySum, BigDecimal mutualInformationSum,
            CalibrationBins bins, EvaluationBinary evaluation) {
        super(monteCarlo, count);
        this.labels = labels;
        this.exactMatches = exactMatches;
        this.correctLabels = correctLabels;
        this.crossEntropySum = crossEntropySum;
        this.brierSum = brierSum;
        this.entropySum = entropySum;
        this.mutualInformationSum = mutualInformationSum;
        this.bins = bins;
        this.evaluation = evaluation;
    }

    /** {@link McTask#MULTI_LABEL}. */
    @Override
    public McTask task() {
        return McTask.MULTI_LABEL;
    }

    /** This object. */
    @Override
    public MultiLabelMetrics asMultiLabel() {
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code other} is null, not multi-label metrics of the same kind of
     *                                  inference, or has another number of labels or calibration bins
     */
    @Override
    public MultiLabelMetrics merge(PredictionMetrics other) {
        MultiLabelMetrics o = compatible(other, MultiLabelMetrics.class);
        if (o.labels != labels) {
            throw new IllegalArgumentException("other must have " + labels + " labels, got " + o.labels);
        }
        CalibrationBins mergedBins = bins.merge(o.bins);
        return new MultiLabelMetrics(isMonteCarlo(), count() + o.count(), labels, exactMatches + o.exactMatches,
                correctLabels + o.correctLabels, crossEntropySum.add(o.crossEntropySum), brierSum.add(o.brierSum),
                entropySum.add(o.entropySum), add(mutualInformationSum, o.mutualInformationSum), mergedBins,
                merge(evaluation, o.evaluation));
    }

    /**
     * A deep copy. Not through {@code merge} into an empty evaluation: in 1.0.0-M2.1 that shares the count arrays
     * with the source, so a later merge would change the source.
     */
    private static EvaluationBinary copy(EvaluationBinary source) {
        return EvaluationBinary.fromJson(source.toJson());
    }

    /** Merges without changing either operand (see {@link #copy}; a non-empty target copies the other's counts). */
    private static EvaluationBinary merge(EvaluationBinary a, EvaluationBinary b) {
        EvaluationBinary r = copy(a);
        r.merge(r.numLabels() < 0 ? copy(b) : b);
        return r;
    }

    /** Number of labels (output channels) of each prediction. */
    public int labelCount() {
        return labels;
    }

    /** Number of (prediction, label) values scored: {@link #count()} times {@link #labelCount()}. */
    public long valueCount() {
        return count() * labels;
    }

    /** Fraction of predictions whose every label is predicted right (subset accuracy). */
    public double exactMatchAccuracy() {
        return (double) exactMatches / count();
    }

    /** Fraction of (prediction, label) pairs predicted right: per-label accuracy, one minus the Hamming loss. */
    public double hammingAccuracy() {
        return (double) correctLabels / valueCount();
    }

    /** Binary cross-entropy in nats, mean per label (not summed over the labels of a prediction). */
    public double negativeLogLikelihood() {
        return mean(crossEntropySum, valueCount());
    }

    /** Brier score {@code (p - y)^2}, mean per label, between 0 and 1. */
    public double brierScore() {
        return mean(brierSum, valueCount());
    }

    /** Expected calibration error of the per-label probabilities over {@link #calibrationBins()} bins, in [0, 1]. */
    public double expectedCalibrationError() {
        return bins.expectedCalibrationError(valueCount());
    }

    /** Number of equal-width probability bins of the expected calibration error. */
    public int calibrationBins() {
        return bins.size();
    }

    /** Per-label probabilities per bin, lowest probability first (for reliability diagrams). */
    public long[] binCounts() {
        return bins.counts();
    }

    /** Mean predicted probability within each bin (0 for empty bins), lowest first. */
    public double[] binMeanProbabilities() {
        return bins.meanConfidences();
    }

    /** Observed frequency of the label within each bin, the mean label value (0 for empty bins), lowest first. */
    public double[] binObservedFrequencies() {
        return bins.meanOutcomes();
    }

    /** Mean binary predictive entropy in nats per label (of the ensemble average for Monte Carlo results). */
    public double meanPredictiveEntropy() {
        return mean(entropySum, valueCount());
    }

    /**
     * Mean mutual information between each label's prediction and the model parameters (BALD) in nats per label:
     * the epistemic part of the predictive entropy.
     *
     * @throws IllegalStateException for metrics of standard inference, which has a single prediction and so no
     *                               spread
     */
    public double meanMutualInformation() {
        requireMonteCarlo("meanMutualInformation");
        return mean(mutualInformationSum, valueCount());
    }

    /**
     * DL4J's binary evaluation of the same predictions, labels thresholded at 0.5 (per-label accuracy, precision,
     * recall, F1, ...), as a copy.
     */
    public EvaluationBinary evaluationBinary() {
        return copy(evaluation);
    }

    /** Equal if the kind of inference and every sufficient statistic (also DL4J's per-label counts) are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MultiLabelMetrics)) {
            return false;
        }
        MultiLabelMetrics m = (MultiLabelMetrics) o;
        return isMonteCarlo() == m.isMonteCarlo() && count() == m.count() && labels == m.labels
                && exactMatches == m.exactMatches && correctLabels == m.correctLabels
                && crossEntropySum.equals(m.crossEntropySum) && brierSum.equals(m.brierSum)
                && entropySum.equals(m.entropySum) && Objects.equals(mutualInformationSum, m.mutualInformationSum)
                && bins.equals(m.bins) && countsEqual(evaluation, m.evaluation);
    }

    private static boolean countsEqual(EvaluationBinary a, EvaluationBinary b) {
        if (a.numLabels() != b.numLabels()) {
            return false;
        }
        for (int j = 0; j < a.numLabels(); j++) {
            if (a.truePositives(j) != b.truePositives(j) || a.trueNegatives(j) != b.trueNegatives(j)
                    || a.falsePositives(j) != b.falsePositives(j) || a.falseNegatives(j) != b.falseNegatives(j)) {
                return false;
            }
        }
        return true;
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(isMonteCarlo(), count(), labels, exactMatches, correctLabels, crossEntropySum);
    }

    /** A one-line summary of the main metrics. */
    @Override
    public String toString() {
        return "MultiLabelMetrics{" + describe() + ", count=" + count() + ", labels=" + labels + ", exactMatch="
                + exactMatchAccuracy() + ", hamming=" + hammingAccuracy() + ", nll=" + negativeLogLikelihood()
                + ", brier=" + brierScore() + ", ece=" + expectedCalibrationError() + '}';
    }
}
