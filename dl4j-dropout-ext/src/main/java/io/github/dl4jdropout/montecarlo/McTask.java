package io.github.dl4jdropout.montecarlo;

/**
 * What a model's output means, which decides the uncertainty measures and metrics a {@link MonteCarloEvaluator}
 * computes.
 *
 * @since 0.1.0
 */
public enum McTask {
    /**
     * Each output row is a categorical distribution (softmax output, one-hot or soft labels): predictive entropy,
     * mutual information (BALD), accuracy, negative log-likelihood, Brier score and expected calibration error.
     */
    CLASSIFICATION,
    /**
     * Each output is a real value (identity output, or any activation the user declares as regression): per-output
     * mean and variance across samples, RMSE and Gaussian negative log-likelihood.
     */
    REGRESSION
}
