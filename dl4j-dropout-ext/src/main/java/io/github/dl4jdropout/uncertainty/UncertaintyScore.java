package io.github.dl4jdropout.uncertainty;

import io.github.dl4jdropout.montecarlo.McPrediction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-example uncertainty score of a classifier's prediction, oriented so that <b>higher means less certain</b>:
 * the input to {@link RiskCoverage selective prediction}, {@link OodMetrics out-of-distribution detection} and
 * {@link Acquisition active learning}.
 *
 * <p>Two scores need the spread between Monte Carlo samples ({@link #MUTUAL_INFORMATION},
 * {@link #VARIATION_RATIO}); the others are functions of a single predictive distribution, the Monte Carlo mean
 * ({@link #of(McPrediction)}) or the output of standard inference ({@link #ofDeterministic(McPrediction)},
 * {@link #ofProbabilities(INDArray)}). Entropies are in nats. The definitions follow Gal, Islam &amp; Ghahramani
 * (2017, "Deep Bayesian Active Learning with Image Data", section 3) and, for {@link #MAX_SOFTMAX}, Hendrycks &amp;
 * Gimpel (2017).
 *
 * <p>Only {@code [n, k]} classification outputs are scored; every method throws {@code IllegalArgumentException}
 * for other predictions (regression, multi-label, sequences) and for null arguments.
 *
 * @since 0.3.0
 */
public enum UncertaintyScore {

    /** Predictive entropy {@code H[pbar] = -sum_k pbar_k log pbar_k}: total uncertainty (Shannon 1948). */
    PREDICTIVE_ENTROPY(false),

    /**
     * Mutual information between prediction and parameters, {@code H[pbar] - mean_t H[p_t]} (BALD, Houlsby et al.
     * 2011): the epistemic part, high where the samples disagree. Needs Monte Carlo samples.
     */
    MUTUAL_INFORMATION(true),

    /**
     * Variation ratio {@code 1 - f_mode / T}, where {@code f_mode} is how many of the T samples vote for their most
     * voted class (Freeman 1965): 0 when all samples agree. Computed from the raw samples, so a prediction needs
     * {@code keepSamples(true)}; ties between votes do not matter (only the count of the mode enters).
     */
    VARIATION_RATIO(true),

    /**
     * {@code 1 - max_k pbar_k}: one minus the maximum softmax probability, the baseline of Hendrycks &amp; Gimpel
     * (2017, "A Baseline for Detecting Misclassified and Out-of-Distribution Examples in Neural Networks"), also
     * called least confidence.
     */
    MAX_SOFTMAX(false),

    /**
     * {@code 1 - (pbar_(1) - pbar_(2))}: one minus the margin between the two most probable classes (margin
     * sampling, Scheffer et al. 2001).
     */
    MARGIN(false);

    private final boolean needsSamples;

    UncertaintyScore(boolean needsSamples) {
        this.needsSamples = needsSamples;
    }

    /** True for the scores that need Monte Carlo samples (mutual information, variation ratio). */
    public boolean needsSamples() {
        return needsSamples;
    }

    /**
     * This score of a Monte Carlo prediction, one value per example: of the Monte Carlo mean, with the mutual
     * information and entropy the evaluator computed.
     *
     * @param prediction an {@code [n, k]} classification prediction; for {@link #VARIATION_RATIO} with samples kept
     * @return {@code n} scores, higher meaning less certain
     * @throws IllegalArgumentException if {@code prediction} is null or not an {@code [n, k]} classification
     * @throws IllegalStateException    for {@link #VARIATION_RATIO} if the prediction has no samples
     */
    public double[] of(McPrediction prediction) {
        Inputs.classification("prediction", prediction);
        switch (this) {
            case PREDICTIVE_ENTROPY:
                return values(prediction.predictiveEntropy());
            case MUTUAL_INFORMATION:
                return values(prediction.mutualInformation());
            case VARIATION_RATIO:
                return variationRatio(Inputs.samples("samples",
                        Inputs.keptSamples("VARIATION_RATIO", prediction)));
            default:
                return fromDistributions(Inputs.probabilities("prediction.mean()", prediction.mean()));
        }
    }

    /**
     * This score of the standard-inference output held by a Monte Carlo prediction
     * ({@link McPrediction#deterministic()}), for comparing Monte Carlo with standard inference.
     *
     * @param prediction an {@code [n, k]} classification prediction
     * @return {@code n} scores
     * @throws IllegalArgumentException if {@code prediction} is null or not an {@code [n, k]} classification, or
     *                                  this score {@linkplain #needsSamples() needs samples}
     */
    public double[] ofDeterministic(McPrediction prediction) {
        Inputs.classification("prediction", prediction);
        return ofProbabilities(prediction.deterministic());
    }

    /**
     * This score of class probabilities, for example a softmax output of standard inference or a temperature-scaled
     * prediction.
     *
     * @param probabilities {@code [n, k]} rows of class probabilities
     * @return {@code n} scores
     * @throws IllegalArgumentException if {@code probabilities} is null or not {@code [n, k]} distributions, or this
     *                                  score {@linkplain #needsSamples() needs samples} (a single distribution has
     *                                  no spread)
     */
    public double[] ofProbabilities(INDArray probabilities) {
        if (needsSamples) {
            throw new IllegalArgumentException(name() + " needs Monte Carlo samples; probabilities of a single"
                    + " distribution per example have no spread (use of(McPrediction) or ofSamples(INDArray))");
        }
        return fromDistributions(Inputs.probabilities("probabilities", probabilities));
    }

    /**
     * This score of raw Monte Carlo samples ({@link McPrediction#samples()}): every score from the same numbers,
     * computed in double.
     *
     * @param samples {@code [T, n, k]} per-sample class probabilities
     * @return {@code n} scores
     * @throws IllegalArgumentException if {@code samples} is null or not {@code [T, n, k]} distributions
     */
    public double[] ofSamples(INDArray samples) {
        double[][][] s = Inputs.samples("samples", samples);
        if (this == VARIATION_RATIO) {
            return variationRatio(s);
        }
        double[][] mean = mean(s);
        if (this != MUTUAL_INFORMATION) {
            return fromDistributions(mean);
        }
        double[] out = new double[mean.length];
        for (int i = 0; i < out.length; i++) {
            double expected = 0;
            for (double[][] sample : s) {
                expected += Inputs.entropy(sample[i]);
            }
            out[i] = Math.max(0.0, Inputs.entropy(mean[i]) - expected / s.length);
        }
        return out;
    }

    static double[][] mean(double[][][] s) {
        int n = s[0].length;
        int k = s[0][0].length;
        double[][] mean = new double[n][k];
        for (double[][] sample : s) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    mean[i][j] += sample[i][j];
                }
            }
        }
        for (double[] row : mean) {
            for (int j = 0; j < k; j++) {
                row[j] /= s.length;
            }
        }
        return mean;
    }

    private double[] fromDistributions(double[][] p) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double[] row = p[i];
            if (this == PREDICTIVE_ENTROPY) {
                out[i] = Inputs.entropy(row);
            } else {
                double first = Double.NEGATIVE_INFINITY;
                double second = Double.NEGATIVE_INFINITY;
                for (double v : row) {
                    if (v > first) {
                        second = first;
                        first = v;
                    } else if (v > second) {
                        second = v;
                    }
                }
                out[i] = this == MAX_SOFTMAX ? 1.0 - first : 1.0 - (first - second);
            }
        }
        return out;
    }

    private static double[] variationRatio(double[][][] s) {
        int n = s[0].length;
        int k = s[0][0].length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int[] votes = new int[k];
            int mode = 0;
            for (double[][] sample : s) {
                mode = Math.max(mode, ++votes[Inputs.argMax(sample[i])]);
            }
            out[i] = 1.0 - (double) mode / s.length;
        }
        return out;
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }
}
