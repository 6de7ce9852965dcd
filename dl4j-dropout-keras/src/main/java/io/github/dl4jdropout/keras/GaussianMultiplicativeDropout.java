package io.github.dl4jdropout.keras;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Gaussian dropout with Keras' parameter: every activation is multiplied by an independent factor drawn from
 * {@code N(1, rate / (1 - rate))}, i.e. a standard deviation of {@code sqrt(rate / (1 - rate))}, during training only.
 *
 * <p>From Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", JMLR 15, 2014,
 * section 10: multiplicative Gaussian noise with that variance has the mean and variance of dropout with drop rate
 * {@code rate}. It is what Keras' {@code GaussianDropout(rate)} computes. DL4J's own
 * {@code org.deeplearning4j.nn.conf.dropout.GaussianDropout} uses the same formula, but DL4J 1.0.0-M2.1's Keras import
 * hands it {@code 1 - rate} (rate 0.1 becomes a standard deviation of 3.0 instead of 0.33), and it fails in
 * {@code ComputationGraph.output(true, ...)}; this class has neither problem, and keeps no per-step state in the
 * instance.
 *
 * <p>{@link KerasDropoutImport} puts it on the {@code DropoutLayer} of each Keras {@code GaussianDropout} layer; it
 * may be used on any layer like any {@code IDropout} (it acts on the layer's input, in training).
 *
 * @since 0.2.0
 */
public final class GaussianMultiplicativeDropout extends MultiplierDropout {

    private static final long serialVersionUID = 1L;

    /**
     * @param dropRate Keras' {@code rate}: the drop rate whose mean and variance the noise reproduces, in
     *                 {@code [0, 1)}; 0 passes activations through unchanged
     * @throws IllegalArgumentException if {@code dropRate} is NaN, negative or {@code >= 1}
     */
    @JsonCreator
    public GaussianMultiplicativeDropout(@JsonProperty("dropRate") double dropRate) {
        super(dropRate);
    }

    /**
     * Returns the standard deviation of the multiplicative noise.
     *
     * @return {@code sqrt(dropRate / (1 - dropRate))}
     */
    public double stddev() {
        return Math.sqrt(dropRate() / (1.0 - dropRate()));
    }

    @Override
    void sampleMultipliers(INDArray target) {
        Nd4j.getExecutioner().exec(new GaussianDistribution(target, 1.0, stddev()));
    }

    @Override
    double shift() {
        return 0.0;
    }

    @Override
    double offset() {
        return 0.0;
    }

    @Override
    public GaussianMultiplicativeDropout clone() {
        return new GaussianMultiplicativeDropout(dropRate());
    }
}
