package io.github.dl4jdropout.montecarlo;

/**
 * How the dropout masks of one Monte Carlo sample are drawn across the examples of a minibatch.
 *
 * <p>Both modes give every example T independent masks, so each example's predictive distribution (mean, variance,
 * entropy, mutual information, in expectation and in distribution) is the same. They differ in what the examples of
 * a minibatch share within one sample, and therefore in cost and in how metrics averaged over a dataset scatter
 * from seed to seed (docs/monte-carlo.md, "Sampling modes", gives the measurements).
 *
 * @since 0.4.0
 */
public enum McSampling {

    /**
     * Every example of every sample draws its own masks, exactly as DL4J's training forward pass draws them (one
     * random number per example and element for element-wise dropout). Sample t of example i and sample t of
     * example j are independent, so metrics averaged over a dataset have the smallest spread between seeds. The
     * default.
     */
    PER_EXAMPLE,

    /**
     * Each sample draws one sub-network ("thinned network", Srivastava et al. 2014) and runs every example of the
     * minibatch through it: a {@code DenseLayer} or {@code OutputLayer} whose only stochastic regularizer is
     * element-wise input dropout ({@link io.github.dl4jdropout.dropout.InvertedDropout} or DL4J's {@code Dropout})
     * draws one keep/drop decision per input unit and multiplies only the kept rows of its weights,
     * {@code [n, k] x [k, nOut]} with {@code k} about {@code (1 - dropRate) nIn}: fewer random numbers (nIn instead of
     * {@code n * nIn}) and a smaller matrix product. The result for a given mask is exactly what the layer computes
     * on the element-wise masked input, for any activation.
     *
     * <p>Every other stochastic layer keeps drawing per-example masks in this mode (still T independent masks per
     * example); {@link MonteCarloEvaluator#thinnedLayers()} lists the layers that share one mask per sample. Because
     * a sample's mask is shared by the whole minibatch, the errors of different examples within one sample are
     * correlated: averages over a dataset (accuracy, NLL) scatter more from seed to seed than with
     * {@link #PER_EXAMPLE}, by an amount that grows with the minibatch size; single-example quantities do not
     * change.
     */
    PER_PASS
}
