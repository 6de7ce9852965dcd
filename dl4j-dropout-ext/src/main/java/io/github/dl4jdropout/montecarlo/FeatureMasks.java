package io.github.dl4jdropout.montecarlo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.dl4jdropout.internal.Checks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.Convolution1DUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks each feature mask against its input before any forward pass, so that a mask of the wrong shape gives a
 * message naming the mask, its shape and the shapes accepted instead of an ND4J broadcast error deep inside a layer.
 *
 * <p>Accepted shapes, as DL4J's layers apply masks (1.0.0-M2.1):
 * <ul>
 *   <li>feed-forward input {@code [n, k]}: {@code [n, 1]}, one value per example ({@code AbstractLayer.applyMask}
 *       multiplies activations by a column vector);</li>
 *   <li>index sequences read by an {@code EmbeddingSequenceLayer}, {@code [n, t]} or {@code [n, 1, t]}:
 *       {@code [n, t]};</li>
 *   <li>sequence input {@code [n, k, t]} (NCW) or {@code [n, t, k]} (NWC): {@code [n, t]}, one value per example
 *       and time step. The time axis is read from the format of the layer (or its input preprocessor) that
 *       consumes the input; when no consumer says, both readings are accepted;</li>
 *   <li>convolutional input of rank 4 or 5: a mask of the same rank broadcastable to the input, that is
 *       {@code [n, ...]} with every other dimension 1 or equal to the input's ({@code ConvolutionUtils
 *       .cnn2dMaskReduction}).</li>
 * </ul>
 */
final class FeatureMasks {

    /** Input names of a graph, or null for a MultiLayerNetwork (one unnamed input). */
    private final List<String> inputNames;
    /** Per input, the sequence format its consumers declare, or null if none does (or they disagree). */
    private final RNNFormat[] formats;
    /** Per input, true if an EmbeddingSequenceLayer reads it (time steps of indices, on the last axis). */
    private final boolean[] indexSequences;

    private FeatureMasks(List<String> inputNames, RNNFormat[] formats, boolean[] indexSequences) {
        this.inputNames = inputNames;
        this.formats = formats;
        this.indexSequences = indexSequences;
    }

    static FeatureMasks of(MultiLayerNetwork net) {
        Layer first = net.getLayerWiseConfigurations().getConf(0).getLayer();
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(0);
        return new FeatureMasks(null, new RNNFormat[] {format(first, pre)},
                new boolean[] {pre == null && unwrap(first) instanceof EmbeddingSequenceLayer});
    }

    static FeatureMasks of(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> inputs = new ArrayList<>(conf.getNetworkInputs());
        RNNFormat[] formats = new RNNFormat[inputs.size()];
        boolean[] indexSequences = new boolean[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            RNNFormat found = null;
            boolean conflict = false;
            for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
                GraphVertex v = conf.getVertices().get(e.getKey());
                if (!e.getValue().contains(inputs.get(i)) || !(v instanceof LayerVertex)) {
                    continue;
                }
                LayerVertex lv = (LayerVertex) v;
                indexSequences[i] |= lv.getPreProcessor() == null
                        && unwrap(lv.getLayerConf().getLayer()) instanceof EmbeddingSequenceLayer;
                RNNFormat f = format(lv.getLayerConf().getLayer(), lv.getPreProcessor());
                if (f != null) {
                    conflict |= found != null && found != f;
                    found = f;
                }
            }
            formats[i] = conflict ? null : found;
        }
        return new FeatureMasks(inputs, formats, indexSequences);
    }

    /** The layer inside wrappers (the forward layer of a Bidirectional). */
    private static Layer unwrap(Layer layer) {
        while (layer instanceof BaseWrapperLayer || layer instanceof Bidirectional) {
            layer = layer instanceof Bidirectional ? ((Bidirectional) layer).getFwd()
                    : ((BaseWrapperLayer) layer).getUnderlying();
        }
        return layer;
    }

    /** The sequence format a layer (after its preprocessor) expects its input in, or null if it does not say. */
    private static RNNFormat format(Layer layer, InputPreProcessor pre) {
        if (pre instanceof RnnToFeedForwardPreProcessor) {
            return ((RnnToFeedForwardPreProcessor) pre).getRnnDataFormat();
        }
        if (pre instanceof RnnToCnnPreProcessor) {
            return ((RnnToCnnPreProcessor) pre).getRnnDataFormat();
        }
        if (pre != null) {
            return null;
        }
        layer = unwrap(layer);
        if (layer instanceof BaseRecurrentLayer) {
            return ((BaseRecurrentLayer) layer).getRnnDataFormat();
        }
        if (layer instanceof RnnOutputLayer) {
            return ((RnnOutputLayer) layer).getRnnDataFormat();
        }
        if (layer instanceof RnnLossLayer) {
            return ((RnnLossLayer) layer).getRnnDataFormat();
        }
        if (layer != null && Convolution1DUtils.hasRnnDataFormat(layer)) {
            return Convolution1DUtils.getRnnFormatFromLayer(layer);
        }
        return null;
    }

    /**
     * @param features validated inputs (not null, same minibatch size)
     * @param masks    one entry per input (entries may be null), or null
     * @throws IllegalArgumentException if a mask does not fit its input
     */
    void check(INDArray[] features, INDArray[] masks) {
        if (masks == null) {
            return;
        }
        for (int i = 0; i < masks.length; i++) {
            if (masks[i] != null) {
                check(i, features[i], masks[i]);
            }
        }
    }

    private void check(int input, INDArray features, INDArray mask) {
        long[] f = features.shape();
        long[] m = mask.shape();
        List<long[]> accepted = new ArrayList<>();
        String what;
        if (indexSequences[input] && (f.length == 2 || (f.length == 3 && f[1] == 1))) {
            accepted.add(new long[] {f[0], f[f.length - 1]});
            what = "one value per example and time step of the index sequence input (EmbeddingSequenceLayer)";
        } else if (f.length == 2) {
            accepted.add(new long[] {f[0], 1});
            what = "one value per example of the feed-forward input";
        } else if (f.length == 3) {
            RNNFormat format = formats[input];
            if (format != RNNFormat.NWC) {
                accepted.add(new long[] {f[0], f[2]});
            }
            if (format != RNNFormat.NCW) {
                accepted.add(new long[] {f[0], f[1]});
            }
            what = "one value per example and time step of the "
                    + (format == null ? "sequence (NCW or NWC)" : format.name()) + " input";
        } else {
            boolean fits = m.length == f.length && m[0] == f[0];
            for (int a = 1; fits && a < m.length; a++) {
                fits = m[a] == 1 || m[a] == f[a];
            }
            if (fits) {
                return;
            }
            throw new IllegalArgumentException(name(input) + " must have rank " + f.length + ", "
                    + f[0] + " examples and every other dimension 1 or equal to the input's (broadcastable to the"
                    + " input of shape " + Checks.shape(f) + "), got " + Checks.shape(m));
        }
        for (long[] shape : accepted) {
            if (Arrays.equals(shape, m)) {
                return;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (int j = 0; j < accepted.size(); j++) {
            expected.append(j == 0 ? "" : " or ").append(Checks.shape(accepted.get(j)));
        }
        throw new IllegalArgumentException(name(input) + " must have shape " + expected + " (" + what
                + " of shape " + Checks.shape(f) + "), got " + Checks.shape(m));
    }

    private String name(int input) {
        return inputNames == null ? "featuresMask" : "featureMasks[" + input + "] (input \"" + inputNames.get(input)
                + "\")";
    }
}
