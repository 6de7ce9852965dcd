package io.github.dl4jdropout.montecarlo;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

import io.github.dl4jdropout.internal.Checks;

/**
 * Metrics of one kind of inference (standard weight-scaling inference, or the Monte Carlo ensemble average) over
 * the predictions seen so far, kept as sufficient statistics so that results on disjoint parts of a dataset
 * {@link #merge merge} into exactly the result on the whole.
 *
 * <p>One subclass per {@link McTask}: {@link ClassificationMetrics}, {@link RegressionMetrics} and
 * {@link MultiLabelMetrics}. {@link McReport#mc()} and {@link McReport#deterministic()} return this common type;
 * {@link #asClassification()}, {@link #asRegression()} and {@link #asMultiLabel()} give the typed view (or use
 * {@code instanceof}: the hierarchy is sealed).
 *
 * <p>Exactness: counts are integers and every sum is accumulated per minibatch in double and then added in exact
 * decimal arithmetic ({@link BigDecimal}), so the order in which minibatches or parts are combined does not change
 * a single bit of the result. (Within a minibatch, sums are ND4J reductions over the batch.) Instances are
 * immutable and {@link Serializable}.
 *
 * @since 0.1.0 (a single class in 0.1.0; an abstract base of one class per task since 0.2.0)
 */
public abstract sealed class PredictionMetrics implements Serializable
        permits ClassificationMetrics, RegressionMetrics, MultiLabelMetrics {

    private static final long serialVersionUID = 1L;

    /** Probabilities are clamped to at least this value (and at most 1 minus it) inside logarithms. */
    public static final double PROBABILITY_FLOOR = 1e-15;

    /** Predictive variances are floored at this value in the Gaussian negative log-likelihood. */
    public static final double VARIANCE_FLOOR = 1e-12;

    private static final MathContext OUT = MathContext.DECIMAL64;

    private final boolean monteCarlo;
    private final long count;

    PredictionMetrics(boolean monteCarlo, long count) {
        this.monteCarlo = monteCarlo;
        this.count = count;
    }

    /** The task these metrics were computed for. */
    public abstract McTask task();

    /** True for the Monte Carlo ensemble average, false for standard (weight-scaling) inference. */
    public final boolean isMonteCarlo() {
        return monteCarlo;
    }

    /** Number of predictions scored: examples, or unmasked time steps (pixels) for sequence (per-pixel) outputs. */
    public final long count() {
        return count;
    }

    /**
     * Combines the metrics of two disjoint sets of predictions into the metrics of their union, exactly.
     *
     * @param other metrics of the same task and kind of inference, computed with the same settings (calibration
     *              bins; for regression observation precision and target scale)
     * @return a new object of this class; neither operand changes
     * @throws IllegalArgumentException if {@code other} is null, or has another task, kind of inference or setting
     */
    public abstract PredictionMetrics merge(PredictionMetrics other);

    /**
     * These metrics as classification metrics.
     *
     * @return this object
     * @throws IllegalStateException if these metrics are for another task
     * @since 0.2.0
     */
    public ClassificationMetrics asClassification() {
        throw wrongView(McTask.CLASSIFICATION, "asClassification");
    }

    /**
     * These metrics as regression metrics.
     *
     * @return this object
     * @throws IllegalStateException if these metrics are for another task
     * @since 0.2.0
     */
    public RegressionMetrics asRegression() {
        throw wrongView(McTask.REGRESSION, "asRegression");
    }

    /**
     * These metrics as multi-label metrics.
     *
     * @return this object
     * @throws IllegalStateException if these metrics are for another task
     * @since 0.2.0
     */
    public MultiLabelMetrics asMultiLabel() {
        throw wrongView(McTask.MULTI_LABEL, "asMultiLabel");
    }

    private IllegalStateException wrongView(McTask wanted, String method) {
        return new IllegalStateException(method + "() needs " + name(wanted) + " metrics; these are " + describe()
                + " metrics (use " + view(task()) + ")");
    }

    private static String view(McTask task) {
        switch (task) {
            case REGRESSION:
                return "asRegression()";
            case MULTI_LABEL:
                return "asMultiLabel()";
            default:
                return "asClassification()";
        }
    }

    /** Checks that {@code other} can be merged into this object and returns it with this object's class. */
    final <T extends PredictionMetrics> T compatible(PredictionMetrics other, Class<T> type) {
        Checks.notNull("other", other, describe() + " metrics");
        if (other.getClass() != getClass() || other.monteCarlo != monteCarlo) {
            throw new IllegalArgumentException("other must hold " + describe() + " metrics, got " + other.describe());
        }
        return type.cast(other);
    }

    /** For example "classification Monte Carlo". */
    final String describe() {
        return name(task()) + (monteCarlo ? " Monte Carlo" : " deterministic");
    }

    private static String name(McTask task) {
        return task.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Throws if these are metrics of standard inference, which has no spread between samples. */
    final void requireMonteCarlo(String metric) {
        if (!monteCarlo) {
            throw new IllegalStateException(metric + " needs Monte Carlo samples; these are metrics of standard"
                    + " (deterministic) inference");
        }
    }

    /** {@code sum / n} rounded to 16 significant digits, then to double. */
    static double mean(BigDecimal sum, long n) {
        return sum.divide(BigDecimal.valueOf(n), OUT).doubleValue();
    }

    static BigDecimal add(BigDecimal a, BigDecimal b) {
        return a == null || b == null ? null : a.add(b);
    }
}
