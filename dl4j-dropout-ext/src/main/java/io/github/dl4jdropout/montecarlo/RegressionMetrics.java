package io.github.dl4jdropout.montecarlo;

import java.math.BigDecimal;
import java.util.Objects;

import org.nd4j.evaluation.regression.RegressionEvaluation;

/**
 * Metrics of {@link McTask#REGRESSION} predictions: each output value is a real number scored against its target;
 * one prediction is one example (or unmasked time step), {@link #valueCount()} counts the output values.
 *
 * <ul>
 *   <li>RMSE over all output values;</li>
 *   <li>Gaussian negative log-likelihood {@code 0.5 log(2 pi s^2) + (y - m)^2 / (2 s^2)} averaged over values, where
 *       {@code s^2} is the Monte Carlo predictive variance plus the configured observation noise (Gal &amp;
 *       Ghahramani 2016, eq. 8 with {@code tau^-1} as observation noise), floored at
 *       {@value PredictionMetrics#VARIANCE_FLOOR}. Standard inference has no predictive variance, so its Gaussian
 *       NLL exists only when the observation noise is positive;</li>
 *   <li>mean Monte Carlo predictive variance.</li>
 * </ul>
 * {@link #regressionEvaluation()} gives DL4J's {@link RegressionEvaluation} of the same predictions.
 *
 * @since 0.2.0 (these metrics were part of {@code PredictionMetrics} in 0.1.0)
 */
public final class RegressionMetrics extends PredictionMetrics {

    private final long valueCount;
    private final BigDecimal squaredErrorSum;
    private final BigDecimal gaussianNllSum;
    private final BigDecimal varianceSum;
    private final RegressionEvaluation evaluation;

    RegressionMetrics(boolean monteCarlo, long count, long valueCount, BigDecimal squaredErrorSum,
            BigDecimal gaussianNllSum, BigDecimal varianceSum, RegressionEvaluation evaluation) {
        super(monteCarlo, count);
        this.valueCount = valueCount;
        this.squaredErrorSum = squaredErrorSum;
        this.gaussianNllSum = gaussianNllSum;
        this.varianceSum = varianceSum;
        this.evaluation = evaluation;
    }

    /** {@link McTask#REGRESSION}. */
    @Override
    public McTask task() {
        return McTask.REGRESSION;
    }

    /** This object. */
    @Override
    public RegressionMetrics asRegression() {
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code other} is null or not regression metrics of the same kind of
     *                                  inference
     */
    @Override
    public RegressionMetrics merge(PredictionMetrics other) {
        RegressionMetrics o = compatible(other, RegressionMetrics.class);
        return new RegressionMetrics(isMonteCarlo(), count() + o.count(), valueCount + o.valueCount,
                squaredErrorSum.add(o.squaredErrorSum), add(gaussianNllSum, o.gaussianNllSum),
                add(varianceSum, o.varianceSum), merge(evaluation, o.evaluation));
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

    /** Number of output values scored: {@link #count()} times the number of output columns. */
    public long valueCount() {
        return valueCount;
    }

    /** Root mean squared error over all output values. */
    public double rmse() {
        return Math.sqrt(mean(squaredErrorSum, valueCount));
    }

    /**
     * Mean Gaussian negative log-likelihood per output value, in nats.
     *
     * @throws IllegalStateException for metrics of standard inference without observation noise, which have no
     *                               predictive variance (see {@link #hasNegativeLogLikelihood()})
     */
    public double negativeLogLikelihood() {
        if (gaussianNllSum == null) {
            throw new IllegalStateException("negativeLogLikelihood is not available for deterministic regression"
                    + " without observation noise: standard inference has no predictive variance (set"
                    + " observationNoiseVariance > 0 on the builder to get one)");
        }
        return mean(gaussianNllSum, valueCount);
    }

    /** True if {@link #negativeLogLikelihood()} has a value. */
    public boolean hasNegativeLogLikelihood() {
        return gaussianNllSum != null;
    }

    /**
     * Mean Monte Carlo predictive variance over all output values (without observation noise).
     *
     * @throws IllegalStateException for metrics of standard inference
     */
    public double meanPredictiveVariance() {
        requireMonteCarlo("meanPredictiveVariance");
        return mean(varianceSum, valueCount);
    }

    /** DL4J's regression evaluation of the same predictions (per-column MSE, MAE, R^2, ...), as a copy. */
    public RegressionEvaluation regressionEvaluation() {
        return copy(evaluation);
    }

    /** Equal if the kind of inference and every sufficient statistic are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RegressionMetrics)) {
            return false;
        }
        RegressionMetrics m = (RegressionMetrics) o;
        return isMonteCarlo() == m.isMonteCarlo() && count() == m.count() && valueCount == m.valueCount
                && squaredErrorSum.equals(m.squaredErrorSum) && Objects.equals(gaussianNllSum, m.gaussianNllSum)
                && Objects.equals(varianceSum, m.varianceSum);
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(isMonteCarlo(), count(), valueCount, squaredErrorSum);
    }

    /** A one-line summary of the main metrics. */
    @Override
    public String toString() {
        return "RegressionMetrics{" + describe() + ", count=" + count() + ", rmse=" + rmse()
                + (hasNegativeLogLikelihood() ? ", gaussianNll=" + negativeLogLikelihood() : "") + '}';
    }
}
