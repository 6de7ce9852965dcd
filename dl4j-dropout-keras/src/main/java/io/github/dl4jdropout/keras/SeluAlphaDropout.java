package io.github.dl4jdropout.keras;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Alpha dropout for self-normalizing (SELU) networks with Keras' parameter: each activation is replaced, with
 * probability {@code rate}, by SELU's negative saturation value {@code alpha' = -scale * alpha}, and an affine
 * correction {@code a * x + b} keeps a zero-mean, unit-variance input at zero mean and unit variance:
 * {@code a = ((1 - rate) * (1 + rate * alpha'^2))^-1/2}, {@code b = -a * alpha' * rate}. Training only.
 *
 * <p>From Klambauer, Unterthiner, Mayr and Hochreiter, "Self-Normalizing Neural Networks", NeurIPS 2017, section
 * "New dropout technique"; Keras' {@code AlphaDropout(rate)} computes exactly this. DL4J's own
 * {@code org.deeplearning4j.nn.conf.dropout.AlphaDropout(1 - rate)} computes the same values, but keeps its mask in a
 * field and fails in {@code ComputationGraph.output(true, ...)} ("Workspace ... for array type INPUT is not open");
 * this class does neither.
 *
 * @since 0.2.0
 */
public final class SeluAlphaDropout extends MultiplierDropout {

    private static final long serialVersionUID = 1L;

    /** SELU's alpha, as in Keras and DL4J. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale (lambda), as in Keras and DL4J. */
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double ALPHA_PRIME = -SELU_SCALE * SELU_ALPHA;

    /**
     * @param dropRate Keras' {@code rate}: the probability of replacing an activation by {@code alpha'}, in
     *                 {@code [0, 1)}; 0 passes activations through unchanged
     * @throws IllegalArgumentException if {@code dropRate} is NaN, negative or {@code >= 1}
     */
    @JsonCreator
    public SeluAlphaDropout(@JsonProperty("dropRate") double dropRate) {
        super(dropRate);
    }

    /**
     * Returns the scale of the affine correction.
     *
     * @return {@code a = ((1 - rate) * (1 + rate * alpha'^2))^-1/2}
     */
    public double a() {
        double rate = dropRate();
        return 1.0 / Math.sqrt((1.0 - rate) * (1.0 + rate * ALPHA_PRIME * ALPHA_PRIME));
    }

    /**
     * Returns the shift of the affine correction.
     *
     * @return {@code b = -a * alpha' * rate}
     */
    public double b() {
        return -a() * ALPHA_PRIME * dropRate();
    }

    /** Multiplier {@code a} where kept, 0 where dropped: then {@code out = (x - alpha') m + a alpha' + b}. */
    @Override
    void sampleMultipliers(INDArray target) {
        Nd4j.getExecutioner().exec(new BernoulliDistribution(target, 1.0 - dropRate()));
        target.muli(a());
    }

    @Override
    double shift() {
        return ALPHA_PRIME;
    }

    @Override
    double offset() {
        return a() * ALPHA_PRIME + b();
    }

    @Override
    public SeluAlphaDropout clone() {
        return new SeluAlphaDropout(dropRate());
    }
}
