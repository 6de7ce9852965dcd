package io.github.dl4jdropout.montecarlo;

import java.util.Arrays;

import io.github.dl4jdropout.dropout.InvertedDropout;
import io.github.dl4jdropout.internal.facts.DropoutInfo;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@code DenseLayer} or {@code OutputLayer} with element-wise input dropout, to be run as a thinned network for
 * {@link McSampling#PER_PASS}: each replica (one Monte Carlo sample of the whole minibatch) draws one keep/drop
 * decision per input unit and computes {@code activation(x[:, kept] W[kept, :] / (1 - dropRate) + b)}, which is
 * exactly what DL4J's layer computes on the input multiplied element-wise by that mask (scaled by
 * {@code 1 / (1 - dropRate)}): the dropped inputs contribute nothing to the product. It draws {@code nIn} random
 * numbers per sample instead of {@code minibatch * nIn}, and the product has {@code (1 - dropRate) nIn} instead of
 * {@code nIn} inner terms.
 *
 * <p>Eligible: exactly DL4J's runtime {@code DenseLayer} and {@code OutputLayer} classes (not subclasses, not frozen
 * or wrapped layers) whose dropout is this library's {@link InvertedDropout} or DL4J's {@code Dropout}, without
 * weight noise, layer normalization or a stochastic activation (RReLU). Any deterministic activation is applied
 * through the layer's own {@code IActivation}, bias and per-example mask as in {@code BaseLayer.activate}.
 * Everything else keeps DL4J's per-example masks ({@link #reasonNotThinned}). {@link ThinnedChain} runs them.
 */
final class ThinnedDenseLayer {

    private final BaseLayer<?> layer;
    private final IDropout dropout;

    private ThinnedDenseLayer(BaseLayer<?> layer, IDropout dropout) {
        this.layer = layer;
        this.dropout = dropout;
    }

    /**
     * @param layer a runtime layer that samples in training mode
     * @return its thinned form, or null if it must keep per-example masks
     */
    static ThinnedDenseLayer of(Layer layer) {
        return reasonNotThinned(layer) == null
                ? new ThinnedDenseLayer((BaseLayer<?>) layer, layer.conf().getLayer().getIDropout()) : null;
    }

    /**
     * @param layer a runtime layer
     * @return why it cannot run thinned, or null if it can
     */
    static String reasonNotThinned(Layer layer) {
        if (layer == null || (layer.getClass() != DenseLayer.class && layer.getClass() != OutputLayer.class)) {
            return "not a DenseLayer or OutputLayer (" + (layer == null ? "none" : layer.getClass().getSimpleName())
                    + ")";
        }
        BaseLayer<?> base = (BaseLayer<?>) layer;
        org.deeplearning4j.nn.conf.layers.BaseLayer conf = (org.deeplearning4j.nn.conf.layers.BaseLayer)
                layer.conf().getLayer();
        IDropout d = conf.getIDropout();
        if (!(d instanceof InvertedDropout) && (d == null || d.getClass() != Dropout.class)) {
            return "its dropout is not element-wise InvertedDropout or DL4J Dropout ("
                    + (d == null ? "none" : DropoutInfo.describe(d)) + ")";
        }
        if (conf.getWeightNoise() != null) {
            return "it has weight noise";
        }
        if (base.hasLayerNorm()) {
            return "it has layer normalization";
        }
        if (DropoutInfo.isStochastic(conf.getActivationFn())) {
            return "its activation samples (RReLU)";
        }
        return null;
    }

    /** The layer's drop rate at its current iteration and epoch, as its dropout would read it in training. */
    double dropRate() {
        int iteration = layer.getIterationCount();
        int epoch = layer.getEpochCount();
        double rate = dropout instanceof InvertedDropout ? ((InvertedDropout) dropout).dropRateAt(iteration, epoch)
                : DropoutInfo.dropRate(dropout, iteration, epoch).orElse(Double.NaN);
        if (!(rate >= 0.0 && rate < 1.0)) {
            throw new IllegalStateException("drop rate of " + describe() + " must be in [0, 1) at iteration "
                    + iteration + ", epoch " + epoch + ", got " + rate + " (" + DropoutInfo.describe(dropout) + ")");
        }
        return rate;
    }

    /** The weights {@code [nIn, nOut]}. */
    INDArray weights() {
        return layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
    }

    /** The bias {@code [1, nOut]}, or null if the layer has none. */
    INDArray bias() {
        return layer.hasBias() ? layer.getParam(DefaultParamInitializer.BIAS_KEY) : null;
    }

    /** The layer's activation function. */
    IActivation activation() {
        return layer.layerConf().getActivationFn();
    }

    /** The per-example (or, for an output layer, per-output) mask DL4J set on the layer, or null. */
    INDArray maskArray() {
        return layer.getMaskArray();
    }

    /**
     * Whether the activation acts on each value alone, so that computing a subset of the layer's output units gives
     * exactly those units of the full output: every built-in DL4J activation except softmax (which normalizes
     * over the row) and RReLU (stochastic). Activations of other classes are not assumed to be element-wise.
     */
    boolean elementWiseActivation() {
        return ELEMENT_WISE.contains(activation().getClass());
    }

    private static final java.util.Set<Class<?>> ELEMENT_WISE = elementWiseActivations();

    private static java.util.Set<Class<?>> elementWiseActivations() {
        java.util.Set<Class<?>> classes = new java.util.HashSet<>();
        for (Activation a : Activation.values()) {
            if (a != Activation.SOFTMAX && a != Activation.RRELU) {
                classes.add(a.getActivationFunction().getClass());
            }
        }
        return java.util.Collections.unmodifiableSet(classes);
    }

    /** DL4J's per-example mask (a column vector) or, for an output layer, per-output mask (the output's shape). */
    void applyMask(INDArray to, INDArray mask) {
        if (mask.isColumnVectorOrScalar()) {
            to.muliColumnVector(mask.castTo(to.dataType()));
        } else if (Arrays.equals(to.shape(), mask.shape())) {
            to.muli(mask.castTo(to.dataType()));
        } else {
            throw new IllegalStateException(describe() + " has a mask of shape " + Arrays.toString(mask.shape())
                    + " for an output of shape " + Arrays.toString(to.shape()) + "; accepted: [" + to.size(0)
                    + ", 1] or the output's shape");
        }
    }

    /**
     * Per replica, the input units a Bernoulli draw with keep probability {@code 1 - dropRate} keeps: one ND4J
     * random op of {@code replicas * nIn} values, read back as indices (a few thousand values, not the activations).
     */
    static int[][] keptUnits(int replicas, long nIn, double dropRate) {
        int[][] kept = new int[replicas][];
        if (dropRate == 0.0) {
            int[] all = new int[(int) nIn];
            Arrays.setAll(all, j -> j);
            Arrays.fill(kept, all);
            return kept;
        }
        INDArray flags = Nd4j.createUninitialized(DataType.FLOAT, (long) replicas * nIn);
        Nd4j.getExecutioner().exec(new BernoulliDistribution(flags, 1.0 - dropRate));
        float[] values = flags.toFloatVector();
        int[] buffer = new int[(int) nIn];
        for (int r = 0; r < replicas; r++) {
            int k = 0;
            int base = (int) (r * nIn);
            for (int j = 0; j < nIn; j++) {
                if (values[base + j] != 0.0f) {
                    buffer[k++] = j;
                }
            }
            kept[r] = Arrays.copyOf(buffer, k);
        }
        return kept;
    }

    long nIn() {
        return layer.getParam(DefaultParamInitializer.WEIGHT_KEY).size(0);
    }

    String describe() {
        String name = layer.conf().getLayer().getLayerName();
        return "layer " + layer.getIndex() + " (" + (name == null ? "" : "'" + name + "', ")
                + layer.getClass().getSimpleName() + ")";
    }
}
