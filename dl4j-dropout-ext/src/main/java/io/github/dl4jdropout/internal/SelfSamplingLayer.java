package io.github.dl4jdropout.internal;

/**
 * A layer configuration of this library that draws noise of its own in training mode, outside DL4J's
 * {@code IDropout} and {@code IWeightNoise} (for example a recurrent-state dropout mask). The network checks and the
 * Monte Carlo evaluator count such a layer as stochastic. Its noise must be drawn per example, so that examples
 * replicated along the minibatch get independent samples.
 */
public interface SelfSamplingLayer {

    /**
     * @param iteration iteration at which a scheduled rate is read
     * @param epoch     epoch at which a scheduled rate is read
     * @return whether the layer samples anything of its own in training mode then
     */
    boolean samplesInTraining(int iteration, int epoch);
}
