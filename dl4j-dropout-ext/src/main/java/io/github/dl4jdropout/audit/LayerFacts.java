package io.github.dl4jdropout.audit;

import io.github.dl4jdropout.internal.LayerConfs;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * What the audit needs to know about DL4J 1.0.0-M2.1 layer configurations: which layers apply the dropout configured
 * on them (read from the layer implementations: those that call {@code applyDropOutIfNecessary}), and the data format
 * of their input.
 */
final class LayerFacts {

    private LayerFacts() {
    }

    /**
     * Layers whose implementation never applies its configured dropout: {@code BatchNormalization},
     * {@code SubsamplingLayer} and its 1-D and pooling subclasses ("dropout on subsampling layers is not something
     * that users typically expect", says its source), {@code GlobalPoolingLayer}, {@code ActivationLayer},
     * {@code LocalResponseNormalization}, and frozen layers, which always run in inference mode.
     */
    static boolean ignoresDropout(Layer layer) {
        return layer instanceof BatchNormalization || layer instanceof SubsamplingLayer
                || layer instanceof GlobalPoolingLayer || layer instanceof ActivationLayer
                || layer instanceof LocalResponseNormalization || layer instanceof FrozenLayer
                || layer instanceof FrozenLayerWithBackprop;
    }

    /**
     * The layer configurations whose dropout DL4J applies for this (possibly wrapped) layer: both directions of a
     * {@code Bidirectional}, the wrapped layer of a {@code LastTimeStep} or other wrapper (the wrapper's own dropout
     * is not used), none for a layer that ignores dropout.
     */
    static List<Layer> applyingLayers(Layer layer) {
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

    /** The layer inside wrappers (the forward direction of a {@code Bidirectional}). */
    static Layer unwrap(Layer layer) {
        return LayerConfs.unwrap(layer);
    }

    /** The first dropout configured on a layer or any layer it wraps, or null. */
    static org.deeplearning4j.nn.conf.dropout.IDropout anyConfiguredDropout(Layer layer) {
        for (Layer l = layer; l != null; l = LayerConfs.inner(l)) {
            if (l.getIDropout() != null) {
                return l.getIDropout();
            }
        }
        return null;
    }

    /**
     * The data format of a layer whose input is a feature map, as the argument of {@code Dropouts.spatial}: for
     * example {@code CNN2DFormat.NHWC}, {@code RNNFormat.NCW} for a 1-D convolution; null for other layers.
     */
    static String featureMapFormat(Layer layer) {
        if (layer instanceof Convolution1DLayer) {
            return "RNNFormat." + ((Convolution1DLayer) layer).getRnnDataFormat();
        }
        if (layer instanceof Convolution3D) {
            return "Convolution3D.DataFormat." + ((Convolution3D) layer).getDataFormat();
        }
        if (layer instanceof Deconvolution3D) {
            return "Convolution3D.DataFormat." + ((Deconvolution3D) layer).getDataFormat();
        }
        if (layer instanceof ConvolutionLayer) {
            return "CNN2DFormat." + ((ConvolutionLayer) layer).getCnn2dDataFormat();
        }
        if (layer instanceof Subsampling1DLayer) {
            return null;
        }
        if (layer instanceof SubsamplingLayer) {
            return "CNN2DFormat." + ((SubsamplingLayer) layer).getCnn2dDataFormat();
        }
        if (layer instanceof Upsampling2D) {
            return "CNN2DFormat." + ((Upsampling2D) layer).getFormat();
        }
        return null;
    }

    /** The sequence format of a recurrent layer's input, or null if the layer is not recurrent. */
    static RNNFormat recurrentFormat(Layer layer) {
        return layer instanceof BaseRecurrentLayer ? ((BaseRecurrentLayer) layer).getRnnDataFormat() : null;
    }

    /** @return whether a format argument such as {@code CNN2DFormat.NHWC} puts channels last */
    static boolean channelsLast(String formatArgument) {
        return formatArgument != null && (formatArgument.endsWith(".NHWC") || formatArgument.endsWith(".NWC")
                || formatArgument.endsWith(".NDHWC"));
    }
}
