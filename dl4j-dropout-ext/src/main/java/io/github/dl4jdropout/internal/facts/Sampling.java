package io.github.dl4jdropout.internal.facts;

import io.github.dl4jdropout.internal.SelfSamplingLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * What a layer samples when DL4J runs it in training mode: the one definition of "stochastic" that the audit's
 * {@code NO_STOCHASTIC_LAYER} check and the Monte Carlo evaluator share.
 *
 * <p>Read from what DL4J 1.0.0-M2.1's runtime layers do with {@code training == true}:
 * <ul>
 *   <li>an {@code IDropout} on a layer that applies it ({@link Dl4jLayers#ignoresDropout}) and whose rate is not 0
 *       ({@link DropoutInfo#isStochastic(org.deeplearning4j.nn.conf.dropout.IDropout, int, int)});</li>
 *   <li>weight noise ({@code BaseLayer.getParamWithNoise}), one draw per forward pass shared by the whole
 *       minibatch, unless its rate is 0;</li>
 *   <li>an RReLU activation, which samples its slopes;</li>
 *   <li>noise a layer of this library draws itself ({@link SelfSamplingLayer}, for example recurrent dropout);</li>
 *   <li>wrappers ({@code LastTimeStep}, {@code TimeDistributed}, {@code MaskZeroLayer}, {@code Bidirectional}) pass
 *       the training flag to the layers they wrap; frozen layers and {@code BatchNormalization} never sample.</li>
 * </ul>
 * Schedules are read at the given iteration and epoch: the network's current ones.
 */
public final class Sampling {

    private static final Sampling NONE = new Sampling(false, false, false, false);

    private final boolean dropout;
    private final boolean weightNoise;
    private final boolean activation;
    private final boolean ownNoise;

    private Sampling(boolean dropout, boolean weightNoise, boolean activation, boolean ownNoise) {
        this.dropout = dropout;
        this.weightNoise = weightNoise;
        this.activation = activation;
        this.ownNoise = ownNoise;
    }

    /**
     * @param layer     a layer configuration; wrappers are looked into
     * @param iteration iteration at which scheduled rates are read
     * @param epoch     epoch at which scheduled rates are read
     * @return what the layer samples in training mode
     */
    public static Sampling of(Layer layer, int iteration, int epoch) {
        if (layer == null || layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop
                || layer instanceof BatchNormalization) {
            return NONE;
        }
        if (layer instanceof Bidirectional) {
            Bidirectional b = (Bidirectional) layer;
            return of(b.getFwd(), iteration, epoch).or(of(b.getBwd(), iteration, epoch));
        }
        if (layer instanceof BaseWrapperLayer) {
            return of(((BaseWrapperLayer) layer).getUnderlying(), iteration, epoch);
        }
        boolean dropout = !Dl4jLayers.ignoresDropout(layer)
                && DropoutInfo.isStochastic(layer.getIDropout(), iteration, epoch);
        boolean noise = layer instanceof BaseLayer
                && DropoutInfo.isStochastic(((BaseLayer) layer).getWeightNoise(), iteration, epoch);
        boolean activation = layer instanceof BaseLayer
                ? DropoutInfo.isStochastic(((BaseLayer) layer).getActivationFn())
                : layer instanceof ActivationLayer && DropoutInfo.isStochastic(((ActivationLayer) layer).getActivationFn());
        boolean own = layer instanceof SelfSamplingLayer
                && ((SelfSamplingLayer) layer).samplesInTraining(iteration, epoch);
        return dropout || noise || activation || own ? new Sampling(dropout, noise, activation, own) : NONE;
    }

    private Sampling or(Sampling other) {
        return new Sampling(dropout || other.dropout, weightNoise || other.weightNoise,
                activation || other.activation, ownNoise || other.ownNoise);
    }

    /** @return whether running the layer in training mode samples anything */
    public boolean stochastic() {
        return dropout || weightNoise || activation || ownNoise;
    }

    /**
     * @return whether the layer draws its noise once per forward pass for the whole minibatch (weight noise), so
     * replicated examples inside one pass would share a draw and not be independent samples
     */
    public boolean sharedAcrossMinibatch() {
        return weightNoise;
    }

    @Override
    public String toString() {
        return "Sampling{dropout=" + dropout + ", weightNoise=" + weightNoise + ", activation=" + activation
                + ", ownNoise=" + ownNoise + '}';
    }
}
