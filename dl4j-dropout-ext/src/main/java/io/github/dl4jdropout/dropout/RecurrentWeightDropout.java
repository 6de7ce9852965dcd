package io.github.dl4jdropout.dropout;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.LayerConfs;
import io.github.dl4jdropout.internal.RecurrentGradientMask;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.recurrent.GravesLSTM;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Dropout on the recurrent connections of {@code LSTM}, {@code GravesLSTM} and {@code SimpleRnn}: each hidden unit's
 * output is dropped from the recurrence (its row of the recurrent weight matrix is zeroed, kept rows are scaled by
 * {@code 1 / (1 - dropRate)}), with one mask per training step, so the same units are dropped at every time step.
 *
 * <p>This is the recurrent part of Gal and Ghahramani, "A Theoretically Grounded Application of Dropout in Recurrent
 * Neural Networks", NeurIPS 2016 (Keras {@code LSTM(recurrent_dropout=...)}), with one mask for the whole minibatch,
 * as in the weight-dropped LSTM of Merity, Keskar and Socher, "Regularizing and Optimizing LSTM Language Models",
 * ICLR 2018, which makes it a weight transformation that DL4J's {@code IWeightNoise} can express. Input weights,
 * biases and GravesLSTM's peephole weights are untouched; at inference ({@code output}) the full weights are used.
 * Unlike DL4J's {@code DropConnect}, the gradient of a dropped row is zero (the exact gradient of the masked
 * network), which gradient checks confirm.
 *
 * <p>Attach it with {@code new LSTM.Builder().weightNoise(Dropouts.recurrentWeights(0.25))}. On any other layer the
 * first training forward pass throws {@link IllegalStateException}; {@link io.github.dl4jdropout.Dropouts#checkFormats}
 * reports that before training.
 *
 * @since 0.1.0
 */
public final class RecurrentWeightDropout extends ScheduledDropRate implements IWeightNoise {

    private static final long serialVersionUID = 1L;

    /**
     * @param dropRate probability of dropping each hidden unit from the recurrence, in {@code [0, 1)}
     * @throws IllegalArgumentException if {@code dropRate} is NaN, infinite, negative or {@code >= 1}
     */
    public RecurrentWeightDropout(double dropRate) {
        this(new FixedSchedule(Checks.dropRate("dropRate", dropRate)));
    }

    /**
     * @param dropRateSchedule schedule of the drop rate; every value must be in {@code [0, 1)}
     * @throws IllegalArgumentException if {@code dropRateSchedule} is null
     */
    @JsonCreator
    public RecurrentWeightDropout(@JsonProperty("dropRateSchedule") ISchedule dropRateSchedule) {
        super(dropRateSchedule);
    }

    /**
     * Whether this weight noise can be used on a layer configuration.
     *
     * @param layer a DL4J layer configuration
     * @return true for DL4J's {@code LSTM}, {@code GravesLSTM} and {@code SimpleRnn} (not for this library's
     *         {@code VariationalLSTM}, which has its own {@code recurrentDropout})
     */
    public static boolean supports(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return LayerConfs.runsDl4jRuntimeOf(layer, org.deeplearning4j.nn.conf.layers.LSTM.class)
                || LayerConfs.runsDl4jRuntimeOf(layer, org.deeplearning4j.nn.conf.layers.GravesLSTM.class)
                || LayerConfs.runsDl4jRuntimeOf(layer, org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.class);
    }

    @Override
    public INDArray getParameter(Layer layer, String paramKey, int iteration, int epoch, boolean train,
                                 LayerWorkspaceMgr workspaceMgr) {
        long hiddenColumns = hiddenColumns(layer);
        INDArray param = layer.getParam(paramKey);
        if (!train || !LSTMParamInitializer.RECURRENT_WEIGHT_KEY.equals(paramKey)) {
            return param;
        }
        double dropRate = dropRateAt(iteration, epoch);
        if (dropRate == 0.0) {
            return param;
        }
        // Called by DL4J outside any workspace: these arrays are detached and live until the layer's backprop.
        INDArray rowMask = Nd4j.createUninitialized(param.dataType(), param.size(0), 1).assign(1.0);
        Nd4j.getExecutioner().exec(new DropOutInverted(rowMask, rowMask, 1.0 - dropRate));
        INDArray noisy = param.dup(param.ordering());
        noisy.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hiddenColumns)).muliColumnVector(rowMask);
        RecurrentGradientMask.on((BaseLayer<?>) layer).expect(paramKey, rowMask, hiddenColumns);
        return noisy;
    }

    /**
     * The number of leading columns of the recurrent weights that take the previous hidden state: all of them for
     * SimpleRnn and LSTM, all but the three peephole columns for GravesLSTM.
     */
    private static long hiddenColumns(Layer layer) {
        if (layer instanceof LSTM || layer instanceof GravesLSTM) {
            return 4 * layer.getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY).size(0);
        }
        if (layer instanceof SimpleRnn) {
            return layer.getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY).size(0);
        }
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf() == null ? null : layer.conf().getLayer();
        String name = conf == null || conf.getLayerName() == null ? "" : " '" + conf.getLayerName() + "'";
        throw new IllegalStateException("RecurrentWeightDropout drops recurrent connections of LSTM, GravesLSTM and"
                + " SimpleRnn layers, but was attached to layer" + name + " (index " + layer.getIndex() + ") of type "
                + (conf == null ? layer.getClass().getSimpleName() : conf.getClass().getSimpleName())
                + ". Set it per layer with .weightNoise(...) on the recurrent layers only, not on the global"
                + " NeuralNetConfiguration.Builder; for other layers use dropOut(Dropouts.standard(rate)).");
    }

    @Override
    public RecurrentWeightDropout clone() {
        return new RecurrentWeightDropout(dropRateSchedule().clone());
    }

    @Override
    public String toString() {
        return "RecurrentWeightDropout(" + describeRate() + ")";
    }
}
