package io.github.dl4jdropout.montecarlo;

/**
 * What a model's output means, which decides the uncertainty measures and metrics a {@link MonteCarloEvaluator}
 * computes. Detected from the output layer's activation unless declared with
 * {@link MonteCarloEvaluator.Builder#task(McTask)}.
 *
 * @since 0.1.0
 */
public enum McTask {
    /**
     * Each output row is a categorical distribution over classes (softmax output, one-hot or soft labels that sum
     * to 1): predictive entropy, mutual information (BALD), accuracy, negative log-likelihood, Brier score and
     * expected calibration error. Detected for a softmax output. The evaluator refuses outputs and labels whose
     * rows are not distributions (see {@link MonteCarloEvaluator#DISTRIBUTION_TOLERANCE}).
     */
    CLASSIFICATION,
    /**
     * Each output is a real value (identity output, or any activation the user declares as regression): per-output
     * mean and variance across samples, RMSE and Gaussian negative log-likelihood. Detected for an identity output.
     */
    REGRESSION,
    /**
     * Each output is the probability of one label, an independent Bernoulli (sigmoid output, multi-hot or soft
     * labels in {@code [0, 1]}; binary classification with one sigmoid unit is the case of one label): per-label
     * predictive entropy and mutual information, binary cross-entropy, per-label Brier score, exact-match and
     * per-label (Hamming) accuracy, and the expected calibration error of the per-label probabilities. Detected for
     * a sigmoid output.
     *
     * @since 0.2.0
     */
    MULTI_LABEL
}
