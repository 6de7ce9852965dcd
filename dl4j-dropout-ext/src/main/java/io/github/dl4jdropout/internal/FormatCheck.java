package io.github.dl4jdropout.internal;

import io.github.dl4jdropout.dropout.RecurrentWeightDropout;
import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.SpatialFormat;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;

/**
 * Finds dropout variants whose data format does not match the layer they are attached to, and recurrent-weight
 * dropout on layers without recurrent weights. {@code IDropout} is never told which layer calls it, so a format
 * mismatch (an NCW mask on NWC activations drops whole time steps) cannot be seen at run time; it can be seen here,
 * in the configuration.
 */
public final class FormatCheck {

    private FormatCheck() {
    }

    /**
     * @param conf a network configuration
     * @return one sentence per problem found; empty if none
     */
    public static List<String> problems(MultiLayerConfiguration conf) {
        List<String> problems = new ArrayList<>();
        List<NeuralNetConfiguration> confs = conf.getConfs();
        for (int i = 0; i < confs.size(); i++) {
            check(confs.get(i).getLayer(), "layer " + i, problems);
        }
        return problems;
    }

    /**
     * @param conf a graph configuration
     * @return one sentence per problem found; empty if none
     */
    public static List<String> problems(ComputationGraphConfiguration conf) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                check(((LayerVertex) e.getValue()).getLayerConf().getLayer(), "vertex '" + e.getKey() + "'", problems);
            }
        }
        return problems;
    }

    /**
     * Checks one layer, as {@link #problems(MultiLayerConfiguration)} does for each layer of a network.
     *
     * @param layer a layer configuration; wrappers ({@code Bidirectional}, {@code LastTimeStep}, ...) are looked into
     * @param where how the sentences name the layer, for example {@code "layer 2"} or {@code "vertex 'lstm'"}
     * @return one sentence per problem found; empty if none
     */
    public static List<String> problems(Layer layer, String where) {
        List<String> problems = new ArrayList<>();
        check(layer, where, problems);
        return problems;
    }

    private static void check(Layer outer, String where, List<String> problems) {
        Layer layer = LayerConfs.unwrap(outer);
        String name = where + (outer.getLayerName() == null ? "" : " ('" + outer.getLayerName() + "')")
                + ", " + layer.getClass().getSimpleName();
        for (IDropout dropout : new IDropout[]{outer.getIDropout(), layer == outer ? null : layer.getIDropout()}) {
            if (dropout instanceof TimeSharedDropout) {
                checkTimeShared((TimeSharedDropout) dropout, layer, name, problems);
            } else if (dropout instanceof SpatialChannelDropout) {
                checkSpatial((SpatialChannelDropout) dropout, layer, name, problems);
            }
        }
        boolean hasDropout = outer.getIDropout() != null || layer.getIDropout() != null;
        if (hasDropout && layer instanceof org.deeplearning4j.nn.conf.layers.LSTM
                && ((org.deeplearning4j.nn.conf.layers.LSTM) layer).getRnnDataFormat() == RNNFormat.NWC) {
            problems.add(name + " is an LSTM in NWC format with dropout on its input. DL4J 1.0.0-M2.1's LSTM computes"
                    + " the gradients of an NWC layer from the undropped input, so training is silently wrong. Use"
                    + " RNNFormat.NCW for the LSTM, or move the dropout to a DropoutLayer before it.");
        }
        for (Layer l : new Layer[]{outer, layer}) {
            IWeightNoise noise = l instanceof BaseLayer ? ((BaseLayer) l).getWeightNoise() : null;
            if (noise instanceof RecurrentWeightDropout && !RecurrentWeightDropout.supports(layer)) {
                problems.add(name + ": " + noise + " drops recurrent connections, but this layer has none. Use it"
                        + " on LSTM, GravesLSTM or SimpleRnn layers only (set it per layer, not globally).");
                break;
            }
        }
    }

    private static void checkTimeShared(TimeSharedDropout dropout, Layer layer, String name, List<String> problems) {
        if (layer instanceof RnnOutputLayer || layer instanceof RnnLossLayer) {
            problems.add(name + ": " + dropout + " cannot keep one mask per sequence here, because DL4J flattens"
                    + " the sequence to [minibatch * time, features] before this layer's dropout. Put it on a"
                    + " DropoutLayer before the output layer, or use Dropouts.standard(rate) on this layer.");
            return;
        }
        RNNFormat layerFormat = sequenceFormat(layer);
        if (layerFormat != null && layerFormat != dropout.dataFormat()) {
            problems.add(name + " uses " + layerFormat + " but has " + dropout + "; its mask would span time"
                    + " steps instead of features. Use Dropouts.timeShared(rate, RNNFormat." + layerFormat + ").");
        } else if (layerFormat == null && spatialFormat(layer) != null) {
            problems.add(name + " is convolutional but has " + dropout + ", which is for sequences."
                    + " Use Dropouts.spatial(rate, ...) for feature maps.");
        }
    }

    private static void checkSpatial(SpatialChannelDropout dropout, Layer layer, String name, List<String> problems) {
        SpatialFormat layerFormat = spatialFormat(layer);
        if (layerFormat == null) {
            RNNFormat seq = sequenceFormat(layer);
            layerFormat = seq == null ? null : SpatialFormat.of(seq);
        }
        if (layerFormat == null) {
            return;
        }
        SpatialFormat declared = dropout.dataFormat();
        boolean ok = declared == layerFormat
                || (declared == SpatialFormat.CHANNELS_FIRST && !layerFormat.channelsLast());
        if (!ok) {
            problems.add(name + " uses " + layerFormat + " activations but has " + dropout + "; it would drop"
                    + " slices that are not channels. Use Dropouts.spatial(rate, " + factoryArgument(layerFormat)
                    + ").");
        }
    }

    private static String factoryArgument(SpatialFormat format) {
        switch (format) {
            case NCW:
            case NWC:
                return "RNNFormat." + format;
            case NCHW:
            case NHWC:
                return "CNN2DFormat." + format;
            default:
                return "Convolution3D.DataFormat." + format;
        }
    }

    /** The sequence layout of a layer's input, or null if the layer is not a recurrent or 1-D layer. */
    static RNNFormat sequenceFormat(Layer layer) {
        if (layer instanceof BaseRecurrentLayer) {
            return ((BaseRecurrentLayer) layer).getRnnDataFormat();
        }
        if (layer instanceof Convolution1DLayer) {
            return ((Convolution1DLayer) layer).getRnnDataFormat();
        }
        return null;
    }

    /** The layout of a convolutional layer's input, or null if the layer is not a 2-D or 3-D convolution/pooling. */
    static SpatialFormat spatialFormat(Layer layer) {
        if (layer instanceof Convolution1DLayer) {
            return null;
        }
        if (layer instanceof Convolution3D) {
            return SpatialFormat.of(((Convolution3D) layer).getDataFormat());
        }
        if (layer instanceof Deconvolution3D) {
            return SpatialFormat.of(((Deconvolution3D) layer).getDataFormat());
        }
        if (layer instanceof ConvolutionLayer) {
            return SpatialFormat.of(((ConvolutionLayer) layer).getCnn2dDataFormat());
        }
        if (layer instanceof SubsamplingLayer && !(layer instanceof org.deeplearning4j.nn.conf.layers.Subsampling1DLayer)) {
            return SpatialFormat.of(((SubsamplingLayer) layer).getCnn2dDataFormat());
        }
        return null;
    }
}
