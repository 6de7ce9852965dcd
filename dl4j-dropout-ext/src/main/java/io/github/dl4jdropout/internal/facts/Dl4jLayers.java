package io.github.dl4jdropout.internal.facts;

import io.github.dl4jdropout.internal.DataLayout;
import io.github.dl4jdropout.internal.LayerConfs;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SpaceToBatchLayer;
import org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.Upsampling3D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;

/**
 * What DL4J 1.0.0-M2.1 does with dropout, per layer configuration class, read from the layer implementations in
 * {@code org.deeplearning4j.nn.layers}: whether it applies the dropout configured on it ({@code
 * applyDropOutIfNecessary}), whether its backward pass multiplies the gradient by the same mask
 * ({@code backpropDropOutIfPresent}), and in which layout its input and output arrive. Every check of this library
 * reads these facts here and nowhere else.
 */
public final class Dl4jLayers {

    private Dl4jLayers() {
    }

    /**
     * Layers whose implementation never applies its configured dropout: {@code BatchNormalization},
     * {@code SubsamplingLayer} and its 1-D subclass ("dropout on subsampling layers is not something that users
     * typically expect", says its source), {@code GlobalPoolingLayer}, {@code ActivationLayer},
     * {@code LocalResponseNormalization}, and frozen layers, which always run in inference mode.
     *
     * @param layer a layer configuration (not unwrapped)
     * @return true if DL4J never applies dropout configured on it
     */
    public static boolean ignoresDropout(Layer layer) {
        return layer instanceof BatchNormalization || layer instanceof SubsamplingLayer
                || layer instanceof GlobalPoolingLayer || layer instanceof ActivationLayer
                || layer instanceof LocalResponseNormalization || layer instanceof FrozenLayer
                || layer instanceof FrozenLayerWithBackprop;
    }

    /**
     * Layers whose forward pass applies their dropout but whose backward pass never calls the dropout's backprop, so
     * the gradient reaching the previous layer ignores the mask: {@code Convolution1DLayer} and {@code Convolution3D}
     * (they override {@code ConvolutionLayer.backpropGradient} without the dropout step), {@code Deconvolution2D},
     * {@code Deconvolution3D}, {@code SpaceToDepthLayer} and {@code RepeatVector}.
     *
     * @param layer an unwrapped layer configuration
     * @return false for these layers, true for every other layer that applies dropout
     */
    public static boolean backpropagatesDropout(Layer layer) {
        return !(layer instanceof Convolution1DLayer || layer instanceof Convolution3D
                || layer instanceof Deconvolution2D || layer instanceof Deconvolution3D
                || layer instanceof SpaceToDepthLayer || layer instanceof RepeatVector);
    }

    /**
     * The layer configurations whose dropout DL4J applies for this (possibly wrapped) layer: both directions of a
     * {@code Bidirectional}, the wrapped layer of a {@code LastTimeStep} or other wrapper (the wrapper's own dropout
     * is not used), none for a layer that ignores dropout.
     *
     * @param layer a layer configuration
     * @return the applying configurations, possibly empty
     */
    public static List<Layer> applyingLayers(Layer layer) {
        List<Layer> result = new ArrayList<>();
        collectApplying(layer, result);
        return result;
    }

    private static void collectApplying(Layer layer, List<Layer> result) {
        if (ignoresDropout(layer)) {
            return;
        }
        if (layer instanceof Bidirectional) {
            collectApplying(((Bidirectional) layer).getFwd(), result);
            collectApplying(((Bidirectional) layer).getBwd(), result);
        } else if (layer instanceof BaseWrapperLayer) {
            collectApplying(((BaseWrapperLayer) layer).getUnderlying(), result);
        } else {
            result.add(layer);
        }
    }

    /**
     * @param layer a layer configuration
     * @return the first dropout configured on it or on any layer it wraps, or null
     */
    public static org.deeplearning4j.nn.conf.dropout.IDropout anyConfiguredDropout(Layer layer) {
        for (Layer l = layer; l != null; l = LayerConfs.inner(l)) {
            if (l.getIDropout() != null) {
                return l.getIDropout();
            }
        }
        return null;
    }

    /**
     * Layers that hand their input on unchanged in shape and layout (dropout, normalization, activation): the layout
     * after them is the layout before them.
     *
     * @param layer an unwrapped layer configuration
     * @return whether the layout passes through
     */
    public static boolean passesLayoutThrough(Layer layer) {
        return layer instanceof DropoutLayer || layer instanceof BatchNormalization || layer instanceof ActivationLayer
                || layer instanceof LocalResponseNormalization;
    }

    /**
     * The layout of the activations a layer's own dropout receives, read from its configuration. Note that an
     * {@code RnnOutputLayer} flattens sequences before its dropout runs, so its dropout sees 2-D rows, and that
     * DL4J's NWC {@code LSTM} hands its dropout an NCW copy (a DL4J bug, reported separately): the user's layout NWC
     * is returned there.
     *
     * @param layer an unwrapped layer configuration
     * @return the layout, or null if the layer's class does not fix it (a {@code DropoutLayer}, whose layout
     * {@link NetworkFacts} infers from its neighbours; unknown classes)
     */
    public static DataLayout dropoutInputLayout(Layer layer) {
        if (layer instanceof RnnOutputLayer || layer instanceof RnnLossLayer) {
            return DataLayout.FEED_FORWARD;
        }
        if (layer instanceof DropoutLayer) {
            return null;
        }
        if (layer instanceof RepeatVector || layer instanceof EmbeddingSequenceLayer) {
            return DataLayout.FEED_FORWARD;
        }
        return byKind(layer);
    }

    /** The layout a layer's kind implies for its input and output: feature maps, sequences, or 2-D rows. */
    private static DataLayout byKind(Layer layer) {
        DataLayout featureMap = featureMapLayout(layer);
        if (featureMap != null) {
            return featureMap;
        }
        if (layer instanceof BaseRecurrentLayer) {
            return DataLayout.of(((BaseRecurrentLayer) layer).getRnnDataFormat());
        }
        if (layer instanceof FeedForwardLayer) {
            return DataLayout.FEED_FORWARD;
        }
        return null;
    }

    /**
     * The layout of a layer whose input is a feature map (convolution, pooling, up-sampling, padding, cropping,
     * space-to-depth/batch), in 1, 2 or 3 dimensions.
     *
     * @param layer an unwrapped layer configuration
     * @return the layout, or null if the layer does not read feature maps
     */
    public static DataLayout featureMapLayout(Layer layer) {
        if (layer instanceof Convolution1DLayer) {
            return DataLayout.of(((Convolution1DLayer) layer).getRnnDataFormat());
        }
        if (layer instanceof Subsampling1DLayer) {
            return ((Subsampling1DLayer) layer).getCnn2dDataFormat() == CNN2DFormat.NHWC ? DataLayout.NWC
                    : DataLayout.NCW;
        }
        if (layer instanceof Upsampling1D) {
            return DataLayout.NCW;
        }
        if (layer instanceof Convolution3D) {
            return DataLayout.of(((Convolution3D) layer).getDataFormat());
        }
        if (layer instanceof Deconvolution3D) {
            return DataLayout.of(((Deconvolution3D) layer).getDataFormat());
        }
        if (layer instanceof Subsampling3DLayer) {
            return DataLayout.of(((Subsampling3DLayer) layer).getDataFormat());
        }
        if (layer instanceof Upsampling3D) {
            return DataLayout.of(((Upsampling3D) layer).getDataFormat());
        }
        if (layer instanceof ConvolutionLayer) {
            return DataLayout.of(((ConvolutionLayer) layer).getCnn2dDataFormat());
        }
        if (layer instanceof SubsamplingLayer) {
            return DataLayout.of(((SubsamplingLayer) layer).getCnn2dDataFormat());
        }
        if (layer instanceof Upsampling2D) {
            return DataLayout.of(((Upsampling2D) layer).getFormat());
        }
        if (layer instanceof ZeroPaddingLayer) {
            return DataLayout.of(((ZeroPaddingLayer) layer).getDataFormat());
        }
        if (layer instanceof Cropping2D) {
            return DataLayout.of(((Cropping2D) layer).getDataFormat());
        }
        if (layer instanceof SpaceToDepthLayer) {
            return DataLayout.of(((SpaceToDepthLayer) layer).getDataFormat());
        }
        if (layer instanceof SpaceToBatchLayer) {
            return DataLayout.of(((SpaceToBatchLayer) layer).getFormat());
        }
        return null;
    }

    /**
     * The layout of the activations a layer produces.
     *
     * @param layer a layer configuration, wrappers included
     * @return the layout, or null if it is the input's layout ({@link #passesLayoutThrough}) or unknown
     */
    public static DataLayout outputLayout(Layer layer) {
        if (layer instanceof LastTimeStep || layer instanceof GlobalPoolingLayer) {
            return DataLayout.FEED_FORWARD;
        }
        if (layer instanceof TimeDistributed) {
            return DataLayout.of(((TimeDistributed) layer).getRnnDataFormat());
        }
        if (layer instanceof Bidirectional) {
            return outputLayout(((Bidirectional) layer).getFwd());
        }
        Layer inner = LayerConfs.unwrap(layer);
        if (inner != layer) {
            return outputLayout(inner);
        }
        if (passesLayoutThrough(layer)) {
            return null;
        }
        if (layer instanceof RnnOutputLayer) {
            return DataLayout.of(((RnnOutputLayer) layer).getRnnDataFormat());
        }
        if (layer instanceof RnnLossLayer) {
            return DataLayout.of(((RnnLossLayer) layer).getRnnDataFormat());
        }
        if (layer instanceof EmbeddingSequenceLayer) {
            return DataLayout.of(((EmbeddingSequenceLayer) layer).getOutputFormat());
        }
        if (layer instanceof RepeatVector) {
            return DataLayout.of(((RepeatVector) layer).getDataFormat());
        }
        return byKind(layer);
    }

    /**
     * The layout an input preprocessor produces.
     *
     * @param preProcessor a preprocessor, or null
     * @return its output layout, or null if there is none or it is not known
     */
    public static DataLayout outputLayout(InputPreProcessor preProcessor) {
        if (preProcessor instanceof CnnToFeedForwardPreProcessor || preProcessor instanceof RnnToFeedForwardPreProcessor) {
            return DataLayout.FEED_FORWARD;
        }
        if (preProcessor instanceof FeedForwardToCnnPreProcessor || preProcessor instanceof RnnToCnnPreProcessor) {
            return DataLayout.NCHW;  // both reshape to [minibatch, channels, height, width]; neither has a format
        }
        if (preProcessor instanceof FeedForwardToRnnPreProcessor) {
            return DataLayout.of(((FeedForwardToRnnPreProcessor) preProcessor).getRnnDataFormat());
        }
        if (preProcessor instanceof CnnToRnnPreProcessor) {
            return DataLayout.of(((CnnToRnnPreProcessor) preProcessor).getRnnDataFormat());
        }
        return null;
    }

    /** @param layer an unwrapped layer @return its sequence format if it is a recurrent layer, else null */
    public static RNNFormat recurrentFormat(Layer layer) {
        return layer instanceof BaseRecurrentLayer ? ((BaseRecurrentLayer) layer).getRnnDataFormat() : null;
    }
}
