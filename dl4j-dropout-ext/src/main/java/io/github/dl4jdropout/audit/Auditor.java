package io.github.dl4jdropout.audit;

import static io.github.dl4jdropout.internal.facts.DropoutInfo.describe;
import static io.github.dl4jdropout.internal.facts.DropoutInfo.format;

import io.github.dl4jdropout.dropout.InvertedDropout;
import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.SpatialFormat;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import io.github.dl4jdropout.internal.DataLayout;
import io.github.dl4jdropout.internal.LayerConfs;
import io.github.dl4jdropout.internal.facts.Dl4jLayers;
import io.github.dl4jdropout.internal.facts.DropoutInfo;
import io.github.dl4jdropout.internal.facts.LayerNode;
import io.github.dl4jdropout.internal.facts.NetworkFacts;
import io.github.dl4jdropout.internal.facts.Problem;
import io.github.dl4jdropout.layers.VariationalLSTM;
import io.github.dl4jdropout.layers.VariationalSimpleRnn;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;

/**
 * The checks behind {@link DropoutAudit}, run over a {@link NetworkView}. Each check is a method; thresholds are the
 * constants below, with their source. Findings are collected in network order.
 */
final class Auditor {

    /** Srivastava et al. 2014, Appendix A.4: retain 0.8 (drop 0.2) for real-valued inputs. */
    static final double INPUT_DROP_RATE = 0.2;
    /** Srivastava et al. 2014, Appendix A.4: retain 0.5 (drop 0.5) for hidden units, the highest usual rate. */
    static final double HIDDEN_DROP_RATE = 0.5;
    /** Srivastava et al. 2014, Appendix A.4: hidden retain probabilities are typically 0.5 to 0.8. */
    static final double LOWEST_USUAL_RETAIN = 0.5;

    private final NetworkFacts view;
    private final List<Finding> findings = new ArrayList<>();
    /** The dropout every layer has, when the network follows the global-dropout pattern; else null. */
    private IDropout everyLayerDropout;

    private Auditor(NetworkFacts view) {
        this.view = view;
    }

    static List<Finding> audit(NetworkFacts view, boolean monteCarlo) {
        Auditor a = new Auditor(view);
        if (monteCarlo && !view.hasStochasticLayer()) {
            a.noStochasticLayer();
        }
        a.everyLayerDropout = a.commonDropoutOfEveryLayer();
        Map<IDropout, String> statefulSeen = new IdentityHashMap<>();
        for (LayerNode n : view.nodes()) {
            a.auditNode(n, statefulSeen);
        }
        if (a.everyLayerDropout != null) {
            a.dropoutOnEveryLayer();
        }
        return a.findings;
    }

    private void auditNode(LayerNode n, Map<IDropout, String> statefulSeen) {
        placementProblems(n);
        List<Layer> applying = Dl4jLayers.applyingLayers(n.layer());
        sharedStateful(n, applying, statefulSeen);
        IDropout d = applying.isEmpty() ? null : applying.get(0).getIDropout();
        Layer inner = applying.isEmpty() ? n.inner() : applying.get(0);
        if (d != null) {
            retainConfusion(n, d, inner);
            inputTooHigh(n, d, inner);
            elementWiseOnFeatureMaps(n, d, inner);
            dl4jSpatialChannelsLast(n, d, inner);
            perStepOnRecurrent(n, d, inner);
            beforeBatchNorm(n, d);
        }
        if (inner instanceof BaseLayer && !applying.isEmpty()) {
            dropConnectRetainConfusion(n, ((BaseLayer) inner).getWeightNoise());
        }
        ignored(n, applying);
        dl4jDropoutLayerOnSequences(n);
    }

    private void add(Severity severity, AuditCheck check, LayerNode n, String problem, String why, String fix) {
        findings.add(new Finding(severity, check, n.location(), n.name(), n.index(), problem, why, fix));
    }

    private void addNetwork(Severity severity, AuditCheck check, String problem, String why, String fix) {
        findings.add(new Finding(severity, check, "network", null, null, problem, why, fix));
    }

    // ---------------------------------------------------------------------------------------------- the checks

    private void noStochasticLayer() {
        addNetwork(Severity.ERROR, AuditCheck.NO_STOCHASTIC_LAYER,
                "No layer of this network samples anything in training mode (dropout or weight noise with a"
                        + " non-zero rate on a layer that applies it, an RReLU activation), so every Monte Carlo pass"
                        + " gives the same prediction and the predictive variance is zero.",
                "Monte Carlo dropout (Gal and Ghahramani 2016, 'Dropout as a Bayesian Approximation', ICML) averages"
                        + " predictions over random dropout masks; without a stochastic layer there is nothing to"
                        + " average, and any spread seen comes from BatchNormalization using the statistics of the"
                        + " batch in training mode, not from model uncertainty.",
                "add dropout and retrain, for example .dropOut(Dropouts.standard(0.5)) on the hidden and output"
                        + " layers; layers with dropout set on a layer DL4J ignores it on (BatchNormalization, pooling,"
                        + " frozen layers) do not count");
    }

    private void placementProblems(LayerNode n) {
        for (Problem p : view.problems()) {
            if (p.node() != n) {
                continue;
            }
            if (p.kind() == Problem.Kind.NOT_BACKPROPAGATED) {
                add(Severity.ERROR, AuditCheck.DROPOUT_NOT_BACKPROPAGATED, n, p.problem(),
                        "DL4J applies a layer's dropout in its forward pass and relies on the layer's backward pass"
                                + " to multiply the gradient by the same mask; these layer classes override the"
                                + " backward pass without that step (read from the DL4J 1.0.0-M2.1 sources, confirmed"
                                + " by gradient checks), so the loss sees dropped inputs while the gradient does not."
                                + " A dropout layer before the convolution backpropagates correctly.",
                        p.fix());
            } else {
                add(Severity.ERROR, AuditCheck.FORMAT_MISMATCH, n, p.problem(),
                        "DL4J never tells an IDropout which layer calls it, so a dropout whose layout does not match"
                                + " its activations trains silently with masks over the wrong dimensions (or, for an"
                                + " NWC LSTM, with gradients that ignore the mask); this is the check of"
                                + " Dropouts.checkFormats.",
                        p.fix());
            }
        }
    }

    private void sharedStateful(LayerNode n, List<Layer> applying, Map<IDropout, String> seen) {
        for (int i = 0; i < applying.size(); i++) {
            IDropout d = applying.get(i).getIDropout();
            if (d == null || !DropoutInfo.isStateful(d)) {
                continue;
            }
            String here = n.location() + (n.layer() instanceof Bidirectional ? (i == 0 ? " forward" : " backward")
                    + " direction" : "");
            String first = seen.get(d);
            if (first == null) {
                seen.put(d, here);
                continue;
            }
            String simple = d.getClass().getSimpleName();
            add(Severity.ERROR, AuditCheck.SHARED_STATEFUL_DROPOUT, n,
                    "The same " + describe(d) + " instance is on " + first + " and on " + here + ".",
                    "DL4J's " + simple + " keeps the mask of its last forward pass in a field and clears it in"
                            + " backprop: on several layers, each forward pass overwrites the previous layer's mask,"
                            + " backprop multiplies a gradient by another layer's mask and then fails with 'Cannot"
                            + " perform backprop: Dropout mask array is absent (already cleared?)'. Layer builders do"
                            + " not copy the dropout they are given; only NeuralNetConfiguration.Builder.dropOut"
                            + " clones it per layer.",
                    sharedFix(d, n.inner()));
        }
    }

    private static String sharedFix(IDropout d, Layer inner) {
        OptionalDouble drop = DropoutInfo.dropRate(d);
        String rate = drop.isPresent() ? format(drop.getAsDouble()) : "rate";
        if (d instanceof Dropout) {
            return ".dropOut(Dropouts.standard(" + rate + ")) on each layer (one instance may be shared), or a new"
                    + " Dropout(...) per layer";
        }
        if (d instanceof SpatialDropout) {
            String fmt = code(Dl4jLayers.featureMapLayout(inner));
            return ".dropOut(Dropouts.spatial(" + rate + (fmt == null ? "" : ", " + fmt) + ")) on each layer (one"
                    + " instance may be shared), or a new SpatialDropout(...) per layer";
        }
        return "a new " + d.getClass().getSimpleName() + "(...) for each layer";
    }

    private void retainConfusion(LayerNode n, IDropout d, Layer inner) {
        OptionalDouble retain = DropoutInfo.retainProbability(d);
        if (retain.isEmpty() || retain.getAsDouble() >= LOWEST_USUAL_RETAIN) {
            return;
        }
        double keep = retain.getAsDouble();
        String keepText = format(keep);
        String dropText = format(1.0 - keep);
        String unit = d instanceof SpatialDropout ? "channel" : "activation";
        String fix;
        if (d instanceof SpatialDropout) {
            String fmt = code(formatOf(n, inner));
            String arg = fmt == null ? "" : ", " + fmt;
            fix = wrapFix(n, "Dropouts.spatial(" + keepText + arg + ")") + " to drop " + percent(keep)
                    + " as probably meant; " + wrapFix(n, "Dropouts.spatial(" + dropText + arg + ")")
                    + " if you do mean to drop " + percent(1.0 - keep);
        } else if (d instanceof AlphaDropout) {
            fix = wrapFix(n, "new AlphaDropout(" + dropText + ")") + " to drop " + percent(keep)
                    + " as probably meant (AlphaDropout also takes a retain probability)";
        } else {
            fix = wrapFix(n, "Dropouts.standard(" + keepText + ")") + " to drop " + percent(keep)
                    + " as probably meant; " + wrapFix(n, "Dropouts.standard(" + dropText + ")")
                    + " if you do mean to drop " + percent(1.0 - keep) + " (Dropouts take the drop rate)";
        }
        add(Severity.WARNING, AuditCheck.RETAIN_PROBABILITY_CONFUSION, n,
                describe(d) + " keeps each " + unit + " with probability " + keepText + ", so it drops "
                        + percent(1.0 - keep) + " of them.",
                "DL4J's Dropout, SpatialDropout and AlphaDropout, and .dropOut(double), take the probability of"
                        + " RETAINING a unit, while Keras and PyTorch take the probability of dropping it; Srivastava"
                        + " et al. (2014, JMLR, Appendix A.4) retain 0.5 to 0.8 of hidden units and more of the"
                        + " inputs, so a value below 0.5 is almost always a drop rate written where DL4J expects a"
                        + " retain probability.",
                fix);
    }

    private void dropConnectRetainConfusion(LayerNode n, IWeightNoise noise) {
        OptionalDouble retain = DropoutInfo.retainProbability(noise);
        if (noise == null || retain.isEmpty() || retain.getAsDouble() >= LOWEST_USUAL_RETAIN) {
            return;
        }
        double keep = retain.getAsDouble();
        add(Severity.WARNING, AuditCheck.RETAIN_PROBABILITY_CONFUSION, n,
                "DL4J DropConnect(" + format(keep) + ") keeps each weight with probability " + format(keep)
                        + ", so it drops " + percent(1.0 - keep) + " of the weights.",
                "DL4J's DropConnect takes the probability of RETAINING a weight; Wan et al. (2013, 'Regularization"
                        + " of Neural Networks using DropConnect', ICML) keep half of the weights or more, so a value"
                        + " below 0.5 is almost always a drop rate written where DL4J expects a retain probability.",
                ".weightNoise(new DropConnect(" + format(1.0 - keep) + ")) to drop " + percent(keep)
                        + " of the weights as probably meant");
    }

    private void inputTooHigh(LayerNode n, IDropout d, Layer inner) {
        if (!n.onlyNetworkInput()) {
            return;
        }
        OptionalDouble rate = DropoutInfo.dropRate(d);
        if (rate.isEmpty() || rate.getAsDouble() <= INPUT_DROP_RATE) {
            return;
        }
        double r = rate.getAsDouble();
        Severity severity = r >= HIDDEN_DROP_RATE ? Severity.WARNING : Severity.INFO;
        String replacement = sameKindWithRate(d, inner, INPUT_DROP_RATE);
        add(severity, AuditCheck.INPUT_DROPOUT_TOO_HIGH, n,
                describe(d) + " drops " + percent(r) + " of the network input" + (r >= HIDDEN_DROP_RATE
                        ? ", a hidden-layer rate" : "") + " (DL4J applies a layer's dropout to the layer's input,"
                        + " and this layer reads the network input).",
                "Srivastava et al. (2014, JMLR, Section 1 and Appendix A.4) keep input units with a probability"
                        + " closer to 1 than hidden units: typically 0.8 (drop 0.2) for real-valued inputs, against"
                        + " 0.5 for hidden units. What is dropped from the input no later layer can recover.",
                (replacement == null ? "a drop rate of at most 0.2" : wrapFix(n, replacement))
                        + " on this layer, or no dropout on the input");
    }

    private void elementWiseOnFeatureMaps(LayerNode n, IDropout d, Layer inner) {
        if (!DropoutInfo.isElementWise(d) || n.anyNetworkInput()) {
            return;
        }
        String fmt = code(n.isDropoutLayer() ? consumerFeatureMapLayout(n) : Dl4jLayers.featureMapLayout(inner));
        if (fmt == null) {
            return;
        }
        add(Severity.WARNING, AuditCheck.ELEMENTWISE_DROPOUT_ON_FEATURE_MAPS, n,
                describe(d) + " drops single activations of the feature maps "
                        + (n.isDropoutLayer() ? "going into the next convolution or pooling layer."
                        : "this " + inner.getClass().getSimpleName() + " reads."),
                "Neighbouring activations of a feature map are strongly correlated, so an element-wise mask removes"
                        + " little information and barely regularizes; dropping whole feature maps does (Tompson et"
                        + " al. 2015, 'Efficient Object Localization Using Convolutional Networks', CVPR,"
                        + " Section 3.2).",
                wrapFix(n, "Dropouts.spatial(" + rateText(d) + ", " + fmt + ")"));
    }

    private void dl4jSpatialChannelsLast(LayerNode n, IDropout d, Layer inner) {
        if (!(d instanceof SpatialDropout)) {
            return;
        }
        DataLayout layout = formatOf(n, inner);
        if (layout == null || !layout.channelsLast()) {
            return;
        }
        String fmt = layout.code();
        String dropped = layout == DataLayout.NHWC ? "rows (the height dimension)"
                : layout == DataLayout.NWC ? "whole time steps (or positions)" : "depth slices";
        String replacement = layout.isSequence() && Dl4jLayers.recurrentFormat(inner) != null
                && !n.isDropoutLayer()
                ? "Dropouts.timeShared(" + rateText(d) + ", " + fmt + ")"
                : "Dropouts.spatial(" + rateText(d) + ", " + fmt + ")";
        add(Severity.ERROR, AuditCheck.DL4J_SPATIAL_DROPOUT_CHANNELS_LAST, n,
                describe(d) + " is on " + layout + " activations, but it always"
                        + " draws its mask over dimensions 0 and 1: here it drops " + dropped + ", not channels.",
                "DL4J 1.0.0-M2.1's SpatialDropout.applyDropout creates a [minibatch, size(1)] mask and broadcasts it"
                        + " along dimensions 0 and 1 whatever the layer's data format; it has no format setting.",
                wrapFix(n, replacement));
    }

    private void perStepOnRecurrent(LayerNode n, IDropout d, Layer inner) {
        if (!DropoutInfo.isElementWise(d)) {
            return;
        }
        RNNFormat fmt;
        Layer recurrent = inner;
        if (n.isDropoutLayer()) {
            fmt = null;
            for (LayerNode c : n.consumers()) {
                Layer l = c.inner();
                if (Dl4jLayers.recurrentFormat(l) != null) {
                    fmt = Dl4jLayers.recurrentFormat(l);
                    recurrent = l;
                    break;
                }
            }
        } else {
            fmt = Dl4jLayers.recurrentFormat(inner);
        }
        if (fmt == null) {
            return;
        }
        String shared = "Dropouts.timeShared(" + rateText(d) + ", RNNFormat." + fmt + ")";
        String fix;
        boolean dl4jLstm = LayerConfs.runsDl4jRuntimeOf(recurrent, org.deeplearning4j.nn.conf.layers.LSTM.class);
        if (!n.isDropoutLayer() && fmt == RNNFormat.NWC && dl4jLstm) {
            fix = "Dropouts.layer(" + shared + ") before this LSTM (an NWC LSTM mishandles"
                    + " dropout on its own input, see FORMAT_MISMATCH), or RNNFormat.NCW and .dropOut(Dropouts"
                    + ".timeShared(" + rateText(d) + "))";
        } else {
            fix = wrapFix(n, shared);
        }
        if (recurrent instanceof VariationalLSTM || recurrent instanceof VariationalSimpleRnn) {
            boolean recurrentDropout = recurrent instanceof VariationalLSTM
                    ? ((VariationalLSTM) recurrent).hasRecurrentDropout()
                    : ((VariationalSimpleRnn) recurrent).hasRecurrentDropout();
            if (!n.isDropoutLayer() && !recurrentDropout) {
                fix += "; for the recurrent state add .recurrentDropout(" + rateText(d) + ")";
            }
        } else if (!n.isDropoutLayer() && recurrent instanceof BaseLayer
                && ((BaseLayer) recurrent).getWeightNoise() == null
                && io.github.dl4jdropout.dropout.RecurrentWeightDropout.supports(recurrent)) {
            fix += "; for the recurrent connections add .weightNoise(Dropouts.recurrentWeights(" + rateText(d) + "))";
        }
        boolean dl4jSimpleRnn = LayerConfs.runsDl4jRuntimeOf(recurrent,
                org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.class);
        if (dl4jLstm || dl4jSimpleRnn) {
            String variational = dl4jLstm ? "VariationalLSTM" : "VariationalSimpleRnn";
            fix += "; or, for Keras-style recurrent dropout (one mask per example on the recurrent state), replace the "
                    + (dl4jLstm ? "LSTM" : "SimpleRnn") + " by new " + variational + ".Builder()...dropOut(Dropouts"
                    + ".timeShared(" + rateText(d) + (fmt == RNNFormat.NWC ? ", RNNFormat.NWC" : "") + "))"
                    + ".recurrentDropout(" + rateText(d) + ").build() (the same parameters, see"
                    + " docs/variational-lstm.md)";
        }
        add(Severity.WARNING, AuditCheck.PER_STEP_DROPOUT_ON_RECURRENT, n,
                describe(d) + " on the input of " + (n.isDropoutLayer() ? "the next " : "this ")
                        + recurrent.getClass().getSimpleName() + " draws a new mask at every time step.",
                "Gal and Ghahramani (2016, 'A Theoretically Grounded Application of Dropout in Recurrent Neural"
                        + " Networks', NeurIPS) derive dropout for recurrent networks as variational inference, which"
                        + " uses one mask per sequence for all time steps, and it regularizes better than the"
                        + " per-step masks of Zaremba et al. (2014) in their language-model and sentiment"
                        + " experiments.",
                fix);
    }

    private void dl4jDropoutLayerOnSequences(LayerNode n) {
        if (n.layer().getClass() != org.deeplearning4j.nn.conf.layers.DropoutLayer.class) {
            return;
        }
        boolean sequences = n.dropoutInputLayout() != null && n.dropoutInputLayout().isSequence();
        for (LayerNode c : n.consumers()) {
            sequences |= Dl4jLayers.recurrentFormat(c.inner()) != null;
        }
        if (!sequences) {
            return;
        }
        IDropout d = n.layer().getIDropout();
        String code = d == null ? null : sameKindWithRate(d, n.inner(), DropoutInfo.dropRate(d).orElse(0.5));
        add(Severity.WARNING, AuditCheck.DL4J_DROPOUT_LAYER_ON_SEQUENCES, n,
                "DL4J's DropoutLayer on sequences fails on the first minibatch with a features mask (padded"
                        + " sequences): 'Mismatched shapes' in fit, output and Monte Carlo evaluation.",
                "DL4J 1.0.0-M2.1's DropoutLayer multiplies its output by the [minibatch, time] features mask as a"
                        + " column vector, whatever dropout it carries; after one failed masked fit even unmasked"
                        + " fits fail. This library's mask-aware dropout layer broadcasts the mask over the"
                        + " features.",
                "Dropouts.layer(" + (code == null ? "<its dropout>" : code) + ") in its place");
    }

    private void beforeBatchNorm(LayerNode n, IDropout d) {
        if (!n.isDropoutLayer() || !DropoutInfo.isStochastic(d)) {
            return;
        }
        for (LayerNode c : n.consumers()) {
            if (c.inner() instanceof BatchNormalization) {
                add(Severity.WARNING, AuditCheck.DROPOUT_BEFORE_BATCH_NORM, n,
                        describe(d) + " in this DropoutLayer feeds " + c.location() + " directly.",
                        "In training, dropout changes the variance of the activations that BatchNormalization"
                                + " normalizes; at inference dropout is off, so the running variance BN learned no"
                                + " longer matches its input and the error grows: the 'variance shift' of Li, Chen,"
                                + " Hu and Yang (2019, 'Understanding the Disharmony between Dropout and Batch"
                                + " Normalization by Variance Shift', CVPR).",
                        "remove this DropoutLayer and apply dropout after the last BatchNormalization instead (Li et"
                                + " al.'s first remedy), for example .dropOut(Dropouts.standard(" + rateText(d)
                                + ")) on the output layer");
                return;
            }
        }
    }

    private void ignored(LayerNode n, List<Layer> applying) {
        for (Layer l : applying) {
            if (l.getIDropout() != null) {
                return;
            }
        }
        IDropout d = Dl4jLayers.anyConfiguredDropout(n.layer());
        if (d == null || (everyLayerDropout != null && everyLayerDropout.equals(d))) {
            return;
        }
        Layer outer = n.layer();
        String simple = outer.getClass().getSimpleName();
        String reason;
        String fix;
        if (outer instanceof FrozenLayer || outer instanceof FrozenLayerWithBackprop) {
            reason = "frozen layers always run in inference mode";
            fix = "remove the dropout from the frozen layer, or unfreeze it";
        } else if (outer instanceof Bidirectional || outer instanceof BaseWrapperLayer) {
            reason = "a wrapper's own dropout is not used, only that of the layer it wraps";
            fix = "set the dropout on the wrapped layer, for example new " + simple + "(new LSTM.Builder()"
                    + ".dropOut(...).build())";
        } else if (outer instanceof BatchNormalization) {
            reason = "its implementation never calls applyDropOutIfNecessary";
            fix = "remove it; dropout is best applied after the last BatchNormalization (see"
                    + " DROPOUT_BEFORE_BATCH_NORM)";
        } else {
            reason = "its implementation never calls applyDropOutIfNecessary";
            fix = "move it to the next layer that applies dropout (a layer's dropout acts on its input), or use a"
                    + " DropoutLayer";
        }
        add(Severity.INFO, AuditCheck.DROPOUT_IGNORED, n,
                describe(d) + " is set on this " + simple + ", but DL4J 1.0.0-M2.1 never applies it there: "
                        + reason + ".",
                "The network trains without the regularization you configured, and nothing says so (read from the"
                        + " DL4J 1.0.0-M2.1 layer implementations in org.deeplearning4j.nn.layers).",
                fix);
    }

    /** The dropout that every layer applying dropout has, if at least two do and all are equal; else null. */
    private IDropout commonDropoutOfEveryLayer() {
        IDropout common = null;
        int count = 0;
        for (LayerNode n : view.nodes()) {
            List<Layer> applying = Dl4jLayers.applyingLayers(n.layer());
            if (n.isDropoutLayer() || applying.isEmpty()) {
                continue;
            }
            IDropout d = applying.get(0).getIDropout();
            if (d == null || (common != null && !common.equals(d))) {
                return null;
            }
            common = d;
            count++;
        }
        return count >= 2 ? common : null;
    }

    private void dropoutOnEveryLayer() {
        List<String> ignoredOn = new ArrayList<>();
        for (LayerNode n : view.nodes()) {
            if (Dl4jLayers.applyingLayers(n.layer()).isEmpty()
                    && everyLayerDropout.equals(Dl4jLayers.anyConfiguredDropout(n.layer()))) {
                ignoredOn.add(n.location());
            }
        }
        addNetwork(Severity.INFO, AuditCheck.DROPOUT_ON_EVERY_LAYER,
                "Every layer that applies dropout has the same " + describe(everyLayerDropout) + ", on the network"
                        + " input and on the output layer's input too; usually the global"
                        + " NeuralNetConfiguration.Builder.dropOut(...)."
                        + (ignoredOn.isEmpty() ? "" : " It is also set on " + String.join(", ", ignoredOn)
                        + ", where DL4J ignores it."),
                "Srivastava et al. (2014, JMLR, Appendix A.4) keep more of the input than of hidden units, and the"
                        + " Javadoc of DL4J's dropOut notes that dropout is often not wanted on the input and output"
                        + " layers: one rate for all layers either under-regularizes the hidden layers or drops too"
                        + " much of the input.",
                "set dropout per layer instead of globally: .dropOut(Dropouts.standard(0.2)) or none on the first"
                        + " layer, .dropOut(Dropouts.standard(0.5)) on hidden layers (Dropouts.spatial for"
                        + " convolutions, Dropouts.timeShared for recurrent layers). To exempt one layer from a"
                        + " global dropOut use .dropOut(Dropouts.standard(0.0)): DL4J replaces a layer's"
                        + " .dropOut(0.0) by the global value.");
    }

    // -------------------------------------------------------------------------------------------------- helpers

    /**
     * The layout of the activations a dropout sees, if they are sequences or feature maps: its layer's, or for a
     * DropoutLayer what arrives there; null for 2-D activations or when unknown.
     */
    private static DataLayout formatOf(LayerNode n, Layer inner) {
        DataLayout layout = n.isDropoutLayer() ? n.dropoutInputLayout() : Dl4jLayers.dropoutInputLayout(inner);
        return layout == DataLayout.FEED_FORWARD ? null : layout;
    }

    /** The feature-map layout of the first convolution or pooling layer a DropoutLayer feeds, or null. */
    private static DataLayout consumerFeatureMapLayout(LayerNode n) {
        for (LayerNode c : n.consumers()) {
            DataLayout layout = Dl4jLayers.featureMapLayout(c.inner());
            if (layout != null) {
                return layout;
            }
        }
        return null;
    }

    /** @return a layout as the DL4J constant naming it, or null */
    private static String code(DataLayout layout) {
        return layout == null ? null : layout.code();
    }

    /** The drop rate as code: the number at the start of training, or {@code rate} if unknown. */
    private static String rateText(IDropout d) {
        OptionalDouble r = DropoutInfo.dropRate(d);
        return r.isPresent() ? format(r.getAsDouble()) : "rate";
    }

    /**
     * A dropout as the code that puts it where this node's dropout is: on the layer, or in a dropout layer (this
     * library's, which handles sequence masks) for a dropout layer or a layer whose dropout DL4J does not
     * backpropagate.
     */
    private static String wrapFix(LayerNode n, String dropoutCode) {
        if (n.isDropoutLayer()) {
            return "Dropouts.layer(" + dropoutCode + ")";
        }
        if (!Dl4jLayers.backpropagatesDropout(n.inner())) {
            return "Dropouts.layer(" + dropoutCode + ") before this layer (and no dropout on it)";
        }
        return ".dropOut(" + dropoutCode + ")";
    }

    /** The same kind of dropout with another drop rate, as code; null if there is no such factory. */
    private static String sameKindWithRate(IDropout d, Layer inner, double dropRate) {
        String r = format(dropRate);
        if (d instanceof InvertedDropout || d instanceof Dropout) {
            return "Dropouts.standard(" + r + ")";
        }
        if (d instanceof TimeSharedDropout) {
            return "Dropouts.timeShared(" + r + ", RNNFormat." + ((TimeSharedDropout) d).dataFormat() + ")";
        }
        if (d instanceof SpatialChannelDropout) {
            return "Dropouts.spatial(" + r + spatialArgument(((SpatialChannelDropout) d).dataFormat()) + ")";
        }
        if (d instanceof SpatialDropout) {
            String fmt = code(Dl4jLayers.featureMapLayout(inner));
            return "Dropouts.spatial(" + r + (fmt == null ? "" : ", " + fmt) + ")";
        }
        if (d instanceof GaussianDropout) {
            return "new GaussianDropout(" + r + ")";
        }
        if (d instanceof AlphaDropout) {
            return "new AlphaDropout(" + format(1.0 - dropRate) + ")";
        }
        return null;
    }

    private static String spatialArgument(SpatialFormat f) {
        return f == SpatialFormat.CHANNELS_FIRST ? "" : ", " + DataLayout.valueOf(f.name()).code();
    }

    private static String percent(double fraction) {
        String s = format(fraction * 100.0);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
    }
}
