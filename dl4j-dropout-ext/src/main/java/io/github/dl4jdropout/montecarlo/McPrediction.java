package io.github.dl4jdropout.montecarlo;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Monte Carlo dropout prediction for one batch of inputs: the ensemble average of {@link #sampleCount() T}
 * stochastic forward passes and the spread between them (Srivastava et al. 2014, section 7.5; Gal &amp; Ghahramani
 * 2016, "Dropout as a Bayesian Approximation: Representing Model Uncertainty in Deep Learning").
 *
 * <p>Shapes: {@link #mean()}, {@link #variance()} and {@link #deterministic()} have the model's output shape, for
 * example {@code [n, k]}, or {@code [n, k, t]} for an NCW sequence output. The uncertainty measures
 * ({@link #predictiveEntropy()}, {@link #expectedEntropy()}, {@link #mutualInformation()}) are per prediction for
 * {@link McTask#CLASSIFICATION}, with the output shape without the channel axis ({@code [n]}, or {@code [n, t]} per
 * time step), and per label for {@link McTask#MULTI_LABEL}, with the output shape ({@code [n, k]}): each label is
 * its own Bernoulli, and the sum over the channel axis gives the measure of the factorized (independent-label)
 * predictive distribution. Arrays have the model output's data type; the statistics behind them are accumulated in
 * double. Entropies are in nats (natural logarithm).
 *
 * <p>Padded time steps (feature mask 0) get values too; ignore them with your mask.
 *
 * @since 0.1.0
 */
public final class McPrediction {

    private final McTask task;
    private final int sampleCount;
    private final INDArray mean;
    private final INDArray variance;
    private final INDArray predictiveEntropy;
    private final INDArray expectedEntropy;
    private final INDArray mutualInformation;
    private final INDArray deterministic;
    private final INDArray samples;

    McPrediction(McTask task, int sampleCount, INDArray mean, INDArray variance, INDArray predictiveEntropy,
            INDArray expectedEntropy, INDArray mutualInformation, INDArray deterministic, INDArray samples) {
        this.task = task;
        this.sampleCount = sampleCount;
        this.mean = mean;
        this.variance = variance;
        this.predictiveEntropy = predictiveEntropy;
        this.expectedEntropy = expectedEntropy;
        this.mutualInformation = mutualInformation;
        this.deterministic = deterministic;
        this.samples = samples;
    }

    /** The task the outputs were interpreted as. */
    public McTask task() {
        return task;
    }

    /** Number of stochastic forward passes averaged, T. */
    public int sampleCount() {
        return sampleCount;
    }

    /** Predictive mean: the average of the T sampled outputs, in the model's output shape. */
    public INDArray mean() {
        return mean;
    }

    /**
     * Variance of each output across the T samples (population variance, divided by T; 0 when T = 1), in the
     * model's output shape. For regression this is the epistemic part of the predictive variance; add your
     * observation noise for the full predictive variance.
     */
    public INDArray variance() {
        return variance;
    }

    /**
     * Entropy of the predictive mean, the total uncertainty: {@code H[mean p] = -sum_k pbar_k log pbar_k} per example
     * (per time step for sequence outputs) for classification; the binary entropy
     * {@code -pbar log pbar - (1 - pbar) log(1 - pbar)} per label for multi-label outputs.
     *
     * @throws IllegalStateException for regression outputs, which are not distributions
     */
    public INDArray predictiveEntropy() {
        requireProbabilities("predictiveEntropy");
        return predictiveEntropy;
    }

    /**
     * Mean over samples of each sample's entropy, {@code mean_t H[p_t]} (per label for multi-label outputs): the
     * aleatoric part of the uncertainty.
     *
     * @throws IllegalStateException for regression outputs
     */
    public INDArray expectedEntropy() {
        requireProbabilities("expectedEntropy");
        return expectedEntropy;
    }

    /**
     * Mutual information between the prediction and the model parameters (BALD; Houlsby et al. 2011, Gal et al.
     * 2017): {@code predictiveEntropy - expectedEntropy}, the epistemic part of the uncertainty, clamped at 0
     * against rounding; per label for multi-label outputs, at most {@code log 2}.
     *
     * @throws IllegalStateException for regression outputs
     */
    public INDArray mutualInformation() {
        requireProbabilities("mutualInformation");
        return mutualInformation;
    }

    /** The output of standard (weight-scaling) inference for the same inputs, for comparison. */
    public INDArray deterministic() {
        return deterministic;
    }

    /** True if the raw samples were kept ({@link MonteCarloEvaluator.Builder#keepSamples(boolean)}). */
    public boolean hasSamples() {
        return samples != null;
    }

    /**
     * The raw samples, {@code [T, ...output shape]}.
     *
     * @throws IllegalStateException if the evaluator was not built with {@code keepSamples(true)}
     */
    public INDArray samples() {
        if (samples == null) {
            throw new IllegalStateException("samples were not kept: build the evaluator with keepSamples(true)");
        }
        return samples;
    }

    private void requireProbabilities(String what) {
        if (task == McTask.REGRESSION) {
            throw new IllegalStateException(what + " is defined for classification and multi-label outputs"
                    + " (probabilities); this prediction is regression");
        }
    }

    /** Task, sample count and output shape (not the values). */
    @Override
    public String toString() {
        return "McPrediction{task=" + task + ", samples=" + sampleCount + ", shape="
                + Arrays.toString(mean.shape()) + '}';
    }
}
