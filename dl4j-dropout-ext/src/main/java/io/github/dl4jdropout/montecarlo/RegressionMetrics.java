package io.github.dl4jdropout.montecarlo;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.OptionalDouble;

import org.nd4j.evaluation.regression.RegressionEvaluation;

/**
 * Metrics of {@link McTask#REGRESSION} predictions: each output value is a real number scored against its target;
 * one prediction is one example (or unmasked time step), {@link #valueCount()} counts the output values. Every
 * metric is in the units of the labels times {@link #targetScale()} (1 unless
 * {@link MonteCarloEvaluator.Builder#targetScale(double)} was set), and every mean is per output value.
 *
 * <ul>
 *   <li>{@link #rmse()}: root mean squared error of the predictive mean (the Monte Carlo average, or the
 *       deterministic output);</li>
 *   <li>{@link #logLikelihood()}: the test log-likelihood of Gal &amp; Ghahramani (2016, "Dropout as a Bayesian
 *       Approximation", the predictive log-likelihood of their Table 1 on the UCI datasets), mean per value, higher is better. With observation precision
 *       {@code tau} and the T Monte Carlo outputs {@code f_t(x)}:
 *       <pre>{@code LL = logsumexp_t(-tau/2 (y - f_t(x))^2) - log T - log(2 pi)/2 + log(tau)/2}</pre>
 *       the log density of {@code y} under the mixture of T Gaussians {@code N(f_t(x), 1/tau)} that MC dropout
 *       predicts (not the Gaussian with the sample variance). Standard inference gets the same formula with T = 1 and
 *       its single deterministic output. Exists only when an observation precision is set;</li>
 *   <li>{@link #gaussianNegativeLogLikelihood()}: the moment-matched alternative
 *       {@code 0.5 log(2 pi s^2) + (y - m)^2 / (2 s^2)}, mean per value, where {@code s^2} is the Monte Carlo
 *       predictive variance plus {@code 1/tau} (the predictive variance of Gal &amp; Ghahramani), floored at
 *       {@value PredictionMetrics#VARIANCE_FLOOR}. For standard inference {@code s^2 = 1/tau}, so it exists only with
 *       an observation precision and then equals {@code -logLikelihood()};</li>
 *   <li>{@link #meanPredictiveVariance()}: mean Monte Carlo predictive variance (without {@code 1/tau}).</li>
 * </ul>
 * {@link #regressionEvaluation()} gives DL4J's {@link RegressionEvaluation} of the same predictions.
 *
 * <p><b>Original units.</b> Gal &amp; Ghahramani train on standardized targets {@code (y - mean_y) / std_y} and
 * report RMSE and log-likelihood in the original units. Either set {@code targetScale(std_y)} (with the precision in
 * original units), or convert the standardized numbers: {@code RMSE_orig = RMSE_std * std_y},
 * {@code LL_orig = LL_std - log(std_y)}, {@code tau_orig = tau_std / std_y^2}. The offset {@code mean_y} changes
 * none of these metrics.
 *
 * @since 0.2.0 (these metrics were part of {@code PredictionMetrics} in 0.1.0)
 */
public final class RegressionMetrics extends PredictionMetrics {

    private static final long serialVersionUID = 1L;

    private final long valueCount;
    private final BigDecimal squaredErrorSum;
    private final BigDecimal logLikelihoodSum;
    private final BigDecimal gaussianNllSum;
    private final BigDecimal varianceSum;
    /** Not serializable itself: written as a flag and a value by {@link #writeObject}. */
    private transient OptionalDouble precision;
    private final double targetScale;
    private final RegressionEvaluation evaluation;

    RegressionMetrics(boolean monteCarlo, long count, long valueCount, BigDecimal squaredErrorSum,
            BigDecimal logLikelihoodSum, BigDecimal gaussianNllSum, BigDecimal varianceSum, OptionalDouble precision,
            double targetScale, RegressionEvaluation evaluation) {
        super(monteCarlo, count);
        this.valueCount = valueCount;
        this.squaredErrorSum = squaredErrorSum;
        this.logLikelihoodSum = logLikelihoodSum;
        this.gaussianNllSum = gaussianNllSum;
        this.varianceSum = varianceSum;
        this.precision = precision;
        this.targetScale = targetScale;
        this.evaluation = evaluation;
    }

    /** Java serialization: {@link OptionalDouble} is not serializable, so the precision is written as flag and value. */
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeBoolean(precision.isPresent());
        out.writeDouble(precision.orElse(0.0));
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        boolean present = in.readBoolean();
        double value = in.readDouble();
        precision = present ? OptionalDouble.of(value) : OptionalDouble.empty();
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
     * @throws IllegalArgumentException if {@code other} is null, not regression metrics of the same kind of
     *                                  inference, or computed with another observation precision or target scale
     */
    @Override
    public RegressionMetrics merge(PredictionMetrics other) {
        RegressionMetrics o = compatible(other, RegressionMetrics.class);
        if (!o.precision.equals(precision) || o.targetScale != targetScale) {
            throw new IllegalArgumentException("other must use " + settings() + ", got " + o.settings());
        }
        return new RegressionMetrics(isMonteCarlo(), count() + o.count(), valueCount + o.valueCount,
                squaredErrorSum.add(o.squaredErrorSum), add(logLikelihoodSum, o.logLikelihoodSum),
                add(gaussianNllSum, o.gaussianNllSum), add(varianceSum, o.varianceSum), precision, targetScale,
                merge(evaluation, o.evaluation));
    }

    private String settings() {
        return "observation precision " + (precision.isPresent() ? String.valueOf(precision.getAsDouble()) : "none")
                + " and target scale " + targetScale;
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

    /**
     * The observation precision {@code tau} the likelihoods were computed with, in the units of these metrics;
     * empty if none was set.
     *
     * @since 0.2.0
     */
    public OptionalDouble observationPrecision() {
        return precision;
    }

    /**
     * The factor the labels and outputs were multiplied by before scoring (1: the labels' own units).
     *
     * @since 0.2.0
     */
    public double targetScale() {
        return targetScale;
    }

    /** Root mean squared error over all output values. */
    public double rmse() {
        return Math.sqrt(mean(squaredErrorSum, valueCount));
    }

    /**
     * The test log-likelihood of Gal &amp; Ghahramani (2016) in nats, mean per output value (see the class
     * description; the paper's sign: higher is better).
     *
     * @throws IllegalStateException if no observation precision was set (see {@link #hasLogLikelihood()})
     * @since 0.2.0
     */
    public double logLikelihood() {
        if (logLikelihoodSum == null) {
            throw new IllegalStateException("logLikelihood needs an observation precision tau: set"
                    + " observationPrecision(tau) (or observationNoiseVariance(1 / tau)) on the builder");
        }
        return mean(logLikelihoodSum, valueCount);
    }

    /**
     * True if {@link #logLikelihood()} has a value.
     *
     * @since 0.2.0
     */
    public boolean hasLogLikelihood() {
        return logLikelihoodSum != null;
    }

    /**
     * Mean moment-matched Gaussian negative log-likelihood per output value, in nats (see the class description).
     *
     * @throws IllegalStateException for metrics of standard inference without an observation precision, which have
     *                               no predictive variance (see {@link #hasGaussianNegativeLogLikelihood()})
     * @since 0.2.0 (called {@code negativeLogLikelihood()} in 0.1.0)
     */
    public double gaussianNegativeLogLikelihood() {
        if (gaussianNllSum == null) {
            throw new IllegalStateException("gaussianNegativeLogLikelihood is not available for deterministic"
                    + " regression without an observation precision: standard inference has no predictive variance"
                    + " (set observationPrecision(tau) on the builder to get one)");
        }
        return mean(gaussianNllSum, valueCount);
    }

    /**
     * True if {@link #gaussianNegativeLogLikelihood()} has a value.
     *
     * @since 0.2.0
     */
    public boolean hasGaussianNegativeLogLikelihood() {
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

    /** Equal if the kind of inference, the settings and every sufficient statistic are equal. */
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
                && squaredErrorSum.equals(m.squaredErrorSum) && Objects.equals(logLikelihoodSum, m.logLikelihoodSum)
                && Objects.equals(gaussianNllSum, m.gaussianNllSum) && Objects.equals(varianceSum, m.varianceSum)
                && precision.equals(m.precision) && Double.compare(targetScale, m.targetScale) == 0;
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(isMonteCarlo(), count(), valueCount, squaredErrorSum, precision);
    }

    /** A one-line summary of the main metrics. */
    @Override
    public String toString() {
        return "RegressionMetrics{" + describe() + ", count=" + count() + ", rmse=" + rmse()
                + (hasLogLikelihood() ? ", logLikelihood=" + logLikelihood() : "")
                + (hasGaussianNegativeLogLikelihood() ? ", gaussianNll=" + gaussianNegativeLogLikelihood() : "")
                + '}';
    }
}
