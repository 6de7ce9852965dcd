package io.github.dl4jdropout.internal.facts;

import io.github.dl4jdropout.dropout.InvertedDropout;
import io.github.dl4jdropout.dropout.RecurrentWeightDropout;
import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import io.github.dl4jdropout.internal.DataLayout;
import io.github.dl4jdropout.internal.LayerConfs;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;

/**
 * The placement checks: dropout that DL4J would apply wrongly, or that would fail, where it is configured. Each
 * problem names the fix as code.
 */
final class Placements {

    private Placements() {
    }

    static List<Problem> problems(List<LayerNode> nodes) {
        List<Problem> problems = new ArrayList<>();
        for (LayerNode n : nodes) {
            for (Layer l : Dl4jLayers.applyingLayers(n.layer())) {
                IDropout d = l.getIDropout();
                if (d != null) {
                    check(n, l, d, problems);
                }
            }
            recurrentWeights(n, problems);
        }
        return problems;
    }

    private static void check(LayerNode n, Layer l, IDropout d, List<Problem> problems) {
        boolean stochastic = DropoutInfo.isStochastic(d);
        DataLayout layout = l == n.inner() ? n.dropoutInputLayout() : Dl4jLayers.dropoutInputLayout(l);
        if (stochastic && !Dl4jLayers.backpropagatesDropout(l)) {
            problems.add(new Problem(Problem.Kind.NOT_BACKPROPAGATED, n, DropoutInfo.describe(d) + " is applied to"
                    + " this " + l.getClass().getSimpleName() + "'s input, but DL4J 1.0.0-M2.1's "
                    + l.getClass().getSimpleName() + " never passes its gradient back through the dropout mask:"
                    + " the layers before it train with wrong gradients (DL4J's own dropout classes included).",
                    "remove the dropout from this layer and put it in a dropout layer right before it, "
                            + dropoutLayerBefore(n, replacementCode(d, layout))));
            return;
        }
        if (d instanceof TimeSharedDropout && (l instanceof RnnOutputLayer || l instanceof RnnLossLayer)) {
            problems.add(new Problem(Problem.Kind.FORMAT_MISMATCH, n, d + " cannot keep one mask per sequence"
                    + " here, because DL4J flattens the sequence to [minibatch * time, features] before this layer's"
                    + " dropout.", "put it in a dropout layer before the output layer, "
                    + dropoutLayerBefore(n, code(d))
                    + ", or use Dropouts.standard(" + DropoutFit.rateCode(d) + ") on this layer"));
            return;
        }
        DropoutFit.Mismatch mismatch = DropoutFit.check(d, layout);
        if (mismatch != null) {
            String fix = n.isDropoutLayer() ? "Dropouts.layer(" + mismatch.fix() + ")"
                    : ".dropOut(" + mismatch.fix() + ")";
            problems.add(new Problem(Problem.Kind.FORMAT_MISMATCH, n, capitalize(mismatch.problem()), fix));
            return;
        }
        if (stochastic && l instanceof LSTM && ((LSTM) l).getRnnDataFormat() == RNNFormat.NWC
                && LayerConfs.runsDl4jRuntimeOf(l, LSTM.class)) {
            problems.add(new Problem(Problem.Kind.FORMAT_MISMATCH, n, "An LSTM in NWC format with dropout on its"
                    + " input: DL4J 1.0.0-M2.1's LSTM computes the gradients of an NWC layer from the undropped"
                    + " input, so training is silently wrong (DL4J's own dropout classes included).",
                    "use RNNFormat.NCW for the LSTM, or move the dropout to a dropout layer before it, "
                            + dropoutLayerBefore(n, replacementCode(d, DataLayout.NWC))));
        }
    }

    private static void recurrentWeights(LayerNode n, List<Problem> problems) {
        for (Layer l : new Layer[]{n.layer(), n.inner()}) {
            IWeightNoise noise = l instanceof BaseLayer ? ((BaseLayer) l).getWeightNoise() : null;
            if (noise instanceof RecurrentWeightDropout && !RecurrentWeightDropout.supports(n.inner())) {
                boolean recurrent = n.inner() instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
                problems.add(new Problem(Problem.Kind.FORMAT_MISMATCH, n, noise + " drops recurrent connections of"
                        + " DL4J's LSTM, GravesLSTM and SimpleRnn, but this " + n.inner().getClass().getSimpleName()
                        + (recurrent ? " runs its own implementation, so the first training step would fail."
                        : " has none."), recurrent
                        ? "remove the weight noise and use the layer's own .recurrentDropout(rate), which drops the"
                        + " recurrent state with one mask per example"
                        : "use it on LSTM, GravesLSTM or SimpleRnn layers only (set it per layer, not globally)"));
                return;
            }
        }
    }

    /** How to add a dropout layer before a node, as code for its kind of network. */
    private static String dropoutLayerBefore(LayerNode n, String dropoutCode) {
        if (n.index() != null) {
            return "a line .layer(Dropouts.layer(" + dropoutCode + ")) in the list builder right before this layer";
        }
        return ".addLayer(\"" + n.name() + "_dropout\", Dropouts.layer(" + dropoutCode + "), <the inputs of '"
                + n.name() + "'>) and make '" + n.name() + "' read \"" + n.name() + "_dropout\"";
    }

    /** The same dropout as this library's code, with DL4J's retain probabilities turned into drop rates. */
    static String replacementCode(IDropout d, DataLayout layout) {
        if (d instanceof Dropout) {
            return "Dropouts.standard(" + DropoutFit.rateCode(d) + ")";
        }
        if (d instanceof SpatialDropout) {
            return "Dropouts.spatial(" + DropoutFit.rateCode(d) + (layout == null || layout.code() == null ? ""
                    : ", " + layout.code()) + ")";
        }
        return code(d);
    }

    /** This library's dropout as the code that creates it; other classes by their description. */
    static String code(IDropout d) {
        String rate = DropoutFit.rateCode(d);
        if (d instanceof InvertedDropout) {
            return "Dropouts.standard(" + rate + ")";
        }
        if (d instanceof TimeSharedDropout) {
            return "Dropouts.timeShared(" + rate + ", RNNFormat." + ((TimeSharedDropout) d).dataFormat() + ")";
        }
        if (d instanceof SpatialChannelDropout) {
            String format = ((SpatialChannelDropout) d).dataFormat().name();
            DataLayout layout = format.equals("CHANNELS_FIRST") ? null : DataLayout.valueOf(format);
            return "Dropouts.spatial(" + rate + (layout == null ? "" : ", " + layout.code()) + ")";
        }
        return DropoutInfo.describe(d);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
