package io.github.dl4jdropout.montecarlo;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationRReLU;

/**
 * What stochastic regularizers a layer configuration makes DL4J sample when the layer runs in training mode.
 *
 * <p>The classification follows what DL4J's runtime layers actually do with {@code training == true}, read from
 * the 1.0.0-M2.1 sources:
 * <ul>
 *   <li>an {@link IDropout} is applied to the layer input ({@code AbstractLayer.applyDropOutIfNecessary});</li>
 *   <li>an {@code IWeightNoise} perturbs the parameters ({@code BaseLayer.getParamWithNoise}), one draw per forward
 *       pass shared by the whole minibatch;</li>
 *   <li>{@link ActivationRReLU} samples its slopes;</li>
 *   <li>wrappers ({@code LastTimeStep}, {@code TimeDistributed}, {@code MaskZeroLayer}, {@link Bidirectional}) pass
 *       the training flag to the layers they wrap, so those are inspected;</li>
 *   <li>{@link FrozenLayer} and {@link FrozenLayerWithBackprop} always run the wrapped layer in inference mode, and
 *       {@link BatchNormalization} never applies dropout: none of them samples anything.</li>
 * </ul>
 * A configured {@code IDropout} on a layer type that ignores it (for example a subsampling layer inheriting a
 * global dropout) is counted as stochastic: that costs time, never correctness.
 */
final class Regularizers {

    private final boolean dropout;
    private final boolean weightNoise;
    private final boolean stochasticActivation;

    private Regularizers(boolean dropout, boolean weightNoise, boolean stochasticActivation) {
        this.dropout = dropout;
        this.weightNoise = weightNoise;
        this.stochasticActivation = stochasticActivation;
    }

    private static final Regularizers NONE = new Regularizers(false, false, false);

    /** Inspects one layer configuration, looking inside wrappers. */
    static Regularizers of(Layer conf) {
        if (conf == null || conf instanceof FrozenLayer || conf instanceof FrozenLayerWithBackprop
                || conf instanceof BatchNormalization) {
            return NONE;
        }
        if (conf instanceof Bidirectional) {
            Bidirectional b = (Bidirectional) conf;
            return of(b.getFwd()).or(of(b.getBwd()));
        }
        if (conf instanceof BaseWrapperLayer) {
            return of(((BaseWrapperLayer) conf).getUnderlying());
        }
        boolean hasDropout = conf.getIDropout() != null;
        boolean hasWeightNoise = conf instanceof BaseLayer && ((BaseLayer) conf).getWeightNoise() != null;
        IActivation activation = null;
        if (conf instanceof BaseLayer) {
            activation = ((BaseLayer) conf).getActivationFn();
        } else if (conf instanceof ActivationLayer) {
            activation = ((ActivationLayer) conf).getActivationFn();
        }
        return new Regularizers(hasDropout, hasWeightNoise, activation instanceof ActivationRReLU);
    }

    private Regularizers or(Regularizers other) {
        return new Regularizers(dropout || other.dropout, weightNoise || other.weightNoise,
                stochasticActivation || other.stochasticActivation);
    }

    /** True if running the layer in training mode samples anything. */
    boolean stochastic() {
        return dropout || weightNoise || stochasticActivation;
    }

    /**
     * True if the layer draws its noise once per forward pass for the whole minibatch (weight noise), so replicated
     * examples inside one pass would share a draw and not be independent samples.
     */
    boolean sharedAcrossMinibatch() {
        return weightNoise;
    }

    @Override
    public String toString() {
        return "Regularizers{dropout=" + dropout + ", weightNoise=" + weightNoise
                + ", stochasticActivation=" + stochasticActivation + '}';
    }
}
