package io.github.dl4jdropout.montecarlo;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

import io.github.dl4jdropout.internal.Checks;

/**
 * The result of {@link MonteCarloEvaluator#evaluate}: the same metrics for standard (weight-scaling) inference and
 * for the Monte Carlo ensemble average, side by side (Srivastava et al. 2014, section 7.5, compare the two).
 *
 * <p>Reports of disjoint parts of a dataset {@link #merge merge} into exactly the report of the whole (the
 * evaluator's sampling depends only on the seed and the content of each minibatch, not on where it is evaluated).
 * {@link #toString()} prints a readable table. Reports are {@link Serializable} (Java serialization), so that
 * partial reports computed on the workers of a distributed job can be sent back and merged.
 *
 * @since 0.1.0
 */
public final class McReport implements Serializable {

    private static final long serialVersionUID = 1L;

    private final PredictionMetrics deterministic;
    private final PredictionMetrics monteCarlo;
    private final int samples;

    McReport(PredictionMetrics deterministic, PredictionMetrics monteCarlo, int samples) {
        this.deterministic = deterministic;
        this.monteCarlo = monteCarlo;
        this.samples = samples;
    }

    /**
     * Metrics of the Monte Carlo ensemble average; {@code mc().asClassification()} (or {@code asRegression()},
     * {@code asMultiLabel()}, as {@link #task()} says) gives the task's metrics.
     */
    public PredictionMetrics mc() {
        return monteCarlo;
    }

    /**
     * Metrics of standard inference (DL4J's {@code output(x)}: dropout off, weights implicitly scaled), of the same
     * class as {@link #mc()}.
     */
    public PredictionMetrics deterministic() {
        return deterministic;
    }

    /** Number of stochastic passes per example, T. */
    public int samples() {
        return samples;
    }

    /** The task the outputs were interpreted as. */
    public McTask task() {
        return monteCarlo.task();
    }

    /**
     * Combines the reports of two disjoint parts of a dataset into the report of their union, exactly.
     *
     * @param other a report of the same task, sample count and calibration bins
     * @return a new report; neither operand changes
     * @throws IllegalArgumentException if {@code other} is null or used another sample count, task or number of bins
     */
    public McReport merge(McReport other) {
        Checks.notNull("other", other, "a report of the same task and sample count");
        if (other.samples != samples) {
            throw new IllegalArgumentException("other must use samples = " + samples + ", got " + other.samples);
        }
        return new McReport(deterministic.merge(other.deterministic), monteCarlo.merge(other.monteCarlo), samples);
    }

    /** Equal if the sample counts and both sides' metrics are equal (every sufficient statistic, exactly). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof McReport)) {
            return false;
        }
        McReport r = (McReport) o;
        return samples == r.samples && deterministic.equals(r.deterministic) && monteCarlo.equals(r.monteCarlo);
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(deterministic, monteCarlo, samples);
    }

    /**
     * A table with one row per metric of the task and the columns deterministic and MC (T = samples); "n/a" where
     * standard inference has no value (mutual information, variance).
     */
    @Override
    public String toString() {
        String mcHeader = "MC (T=" + samples + ")";
        StringBuilder sb = new StringBuilder();
        String labels = task() == McTask.MULTI_LABEL ? " of " + monteCarlo.asMultiLabel().labelCount() + " labels" : "";
        sb.append(String.format(Locale.ROOT, "Monte Carlo dropout evaluation: %s, %d predictions%s%n",
                task().name().toLowerCase(Locale.ROOT).replace('_', '-'), monteCarlo.count(), labels));
        sb.append(String.format(Locale.ROOT, "%-38s %14s %14s%n", "metric", "deterministic", mcHeader));
        if (task() == McTask.MULTI_LABEL) {
            MultiLabelMetrics deterministic = this.deterministic.asMultiLabel();
            MultiLabelMetrics monteCarlo = this.monteCarlo.asMultiLabel();
            row(sb, "exact-match accuracy", deterministic.exactMatchAccuracy(), monteCarlo.exactMatchAccuracy());
            row(sb, "Hamming (per-label) accuracy", deterministic.hammingAccuracy(), monteCarlo.hammingAccuracy());
            row(sb, "binary cross-entropy (nats per label)", deterministic.negativeLogLikelihood(),
                    monteCarlo.negativeLogLikelihood());
            row(sb, "Brier score (per label)", deterministic.brierScore(), monteCarlo.brierScore());
            row(sb, "calibration error per label (" + monteCarlo.calibrationBins() + " bins)",
                    deterministic.expectedCalibrationError(), monteCarlo.expectedCalibrationError());
            row(sb, "mean predictive entropy (nats/label)", deterministic.meanPredictiveEntropy(),
                    monteCarlo.meanPredictiveEntropy());
            row(sb, "mean mutual information (nats/label)", null, monteCarlo.meanMutualInformation());
        } else if (task() == McTask.CLASSIFICATION) {
            ClassificationMetrics deterministic = this.deterministic.asClassification();
            ClassificationMetrics monteCarlo = this.monteCarlo.asClassification();
            row(sb, "accuracy", deterministic.accuracy(), monteCarlo.accuracy());
            row(sb, "negative log-likelihood (nats)", deterministic.negativeLogLikelihood(),
                    monteCarlo.negativeLogLikelihood());
            row(sb, "Brier score", deterministic.brierScore(), monteCarlo.brierScore());
            row(sb, "expected calibration error (" + monteCarlo.calibrationBins() + " bins)",
                    deterministic.expectedCalibrationError(), monteCarlo.expectedCalibrationError());
            row(sb, "mean predictive entropy (nats)", deterministic.meanPredictiveEntropy(),
                    monteCarlo.meanPredictiveEntropy());
            row(sb, "mean mutual information (nats)", null, monteCarlo.meanMutualInformation());
        } else {
            RegressionMetrics deterministic = this.deterministic.asRegression();
            RegressionMetrics monteCarlo = this.monteCarlo.asRegression();
            row(sb, "RMSE", deterministic.rmse(), monteCarlo.rmse());
            row(sb, "test log-likelihood (nats per value)",
                    deterministic.hasLogLikelihood() ? deterministic.logLikelihood() : null,
                    monteCarlo.hasLogLikelihood() ? monteCarlo.logLikelihood() : null);
            row(sb, "Gaussian NLL (nats per value)",
                    deterministic.hasGaussianNegativeLogLikelihood()
                            ? deterministic.gaussianNegativeLogLikelihood() : null,
                    monteCarlo.gaussianNegativeLogLikelihood());
            row(sb, "mean predictive variance", null, monteCarlo.meanPredictiveVariance());
            sb.append(String.format(Locale.ROOT, "%s%s%n", monteCarlo.observationPrecision().isPresent()
                    ? String.format(Locale.ROOT, "observation precision tau = %.6g (noise variance %.6g)",
                            monteCarlo.observationPrecision().getAsDouble(),
                            1.0 / monteCarlo.observationPrecision().getAsDouble())
                    : "no observation precision: log-likelihood n/a (set observationPrecision(tau))",
                    monteCarlo.targetScale() == 1.0 ? ""
                            : String.format(Locale.ROOT, "; target scale %.6g", monteCarlo.targetScale())));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Double deterministic, Double mc) {
        sb.append(String.format(Locale.ROOT, "%-38s %14s %14s%n", name, cell(deterministic), cell(mc)));
    }

    private static String cell(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.6f", value);
    }
}
