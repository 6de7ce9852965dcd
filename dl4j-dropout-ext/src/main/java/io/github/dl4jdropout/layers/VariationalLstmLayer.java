package io.github.dl4jdropout.layers;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer that runs a {@link VariationalLSTM} configuration: DL4J's {@code LSTM} layer (1.0.0-M2.1) with the
 * recurrent mask of {@link VariationalLstmHelpers}, and input dropout applied in the layer's own data format.
 *
 * <p>Deliberately not a subclass of DL4J's runtime {@code LSTM}: this library's dropout variants recognize that class
 * by type to refuse its NWC dropout bug, which this layer does not have.
 *
 * <p><b>Mask lifecycle.</b> Like DL4J's input dropout ({@code dropoutApplied}), the recurrent mask belongs to the
 * input: the first training-mode forward pass after {@code setInput} draws it, and every later pass on the same input
 * (in particular the forward pass DL4J repeats inside {@code backpropGradient}) reuses it. Passes with stored state
 * ({@code rnnActivateUsingStoredState}, truncated BPTT) take the mask of their stream from the state map, where it
 * stays until {@code rnnClearPreviousState()}.
 */
final class VariationalLstmLayer extends BaseRecurrentLayer<org.deeplearning4j.nn.conf.layers.LSTM> {

    /** State-map key of the hidden state, as DL4J's LSTM. */
    static final String STATE_KEY_PREV_ACTIVATION = org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_ACTIVATION;
    /** State-map key of the cell state, as DL4J's LSTM. */
    static final String STATE_KEY_PREV_MEMCELL = org.deeplearning4j.nn.layers.recurrent.LSTM.STATE_KEY_PREV_MEMCELL;
    /** State-map key of the recurrent mask of a stream (truncated BPTT, stored-state passes in training mode). */
    static final String STATE_KEY_RECURRENT_MASK = RecurrentDropoutRates.STATE_KEY_RECURRENT_MASK;

    /** The recurrent mask of the current input, or null if none was drawn (inference, rate 0, no pass yet). */
    private INDArray recurrentMask;

    VariationalLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private VariationalLSTM variationalConf() {
        return (VariationalLSTM) layerConf();
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        super.setInput(input, workspaceMgr);
        recurrentMask = null;
    }

    @Override
    public void clear() {
        super.clear();
        recurrentMask = null;
    }

    @Override
    public Gradient gradient() {
        throw new UnsupportedOperationException("gradient() is for layerwise pretraining, which " + layerId()
                + " does not support");
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backpropGradientHelper(epsilon, false, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackwardLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        return backpropGradientHelper(epsilon, true, tbpttBackwardLength, workspaceMgr);
    }

    private Pair<Gradient, INDArray> backpropGradientHelper(INDArray epsilon, boolean truncatedBPTT,
                                                            int tbpttBackwardLength, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray inputWeights = getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, true, workspaceMgr);
        INDArray recurrentWeights = getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);

        // As DL4J's LSTM: repeat the forward pass, keeping every intermediate (same dropped input, same mask).
        FwdPassReturn fwdPass;
        if (truncatedBPTT) {
            fwdPass = activateHelper(true, stateMap.get(STATE_KEY_PREV_ACTIVATION),
                    stateMap.get(STATE_KEY_PREV_MEMCELL), true, null, workspaceMgr);
            tBpttStateMap.put(STATE_KEY_PREV_ACTIVATION, fwdPass.lastAct.detach());
            tBpttStateMap.put(STATE_KEY_PREV_MEMCELL, fwdPass.lastMemCell.detach());
        } else {
            fwdPass = activateHelper(true, null, null, true, null, workspaceMgr);
        }

        Pair<Gradient, INDArray> p = VariationalLstmHelpers.backpropGradient(layerConf().getActivationFn(),
                layerConf().getGateActivationFn(), permuteIfNWC(input), recurrentWeights, inputWeights,
                permuteIfNWC(epsilon), truncatedBPTT, tbpttBackwardLength, fwdPass, gradientViews, maskArray,
                recurrentMask, workspaceMgr);
        weightNoiseParams.clear();
        // The input dropout ran on the input in the layer's own format, so its gradient goes back in that format.
        p.setSecond(backpropDropOutIfPresent(permuteIfNWC(p.getSecond())));
        return p;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return activateHelper(training, null, null, false, null, workspaceMgr).fwdPassOutput;
    }

    /**
     * @param stream the state map of a stream, whose recurrent mask (if any) this pass uses, or null for a pass on
     *               its own
     */
    private FwdPassReturn activateHelper(boolean training, INDArray prevOutputActivations, INDArray prevMemCellState,
                                         boolean forBackprop, Map<String, INDArray> stream,
                                         LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 3) {
            throw new IllegalStateException(layerName() + " needs rank-3 input, " + (getDataFormat()
                    == org.deeplearning4j.nn.conf.RNNFormat.NCW ? "[minibatch, size, time] (NCW)"
                    : "[minibatch, time, size] (NWC)") + ", but received shape " + Arrays.toString(input.shape()));
        }
        // Unlike DL4J's LSTM, dropout runs on the input in the layer's own format, and the dropped input is what
        // the gradients are computed from (DL4J's NWC LSTM restores the undropped input before backprop).
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = permuteIfNWC(input);

        INDArray recurrentWeights = getParamWithNoise(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, training,
                workspaceMgr);
        INDArray inputWeights = getParamWithNoise(LSTMParamInitializer.INPUT_WEIGHT_KEY, training, workspaceMgr);
        INDArray biases = getParamWithNoise(LSTMParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray mask = training ? recurrentMask(x.size(0), recurrentWeights.dataType(), stream, workspaceMgr)
                : null;

        FwdPassReturn fwd = VariationalLstmHelpers.activate(layerName(), layerConf().getActivationFn(),
                layerConf().getGateActivationFn(), x, recurrentWeights, inputWeights, biases, training,
                prevOutputActivations, prevMemCellState, forBackprop, maskArray, mask, workspaceMgr);
        fwd.fwdPassOutput = permuteIfNWC(fwd.fwdPassOutput);
        return fwd;
    }

    /** The recurrent mask of a training-mode pass (see {@link RecurrentDropoutRates#mask}); remembered for backprop. */
    private INDArray recurrentMask(long minibatch, DataType dataType, Map<String, INDArray> stream,
                                   LayerWorkspaceMgr workspaceMgr) {
        double dropRate = variationalConf().recurrentDropoutRateAt(getIterationCount(), getEpochCount());
        recurrentMask = RecurrentDropoutRates.mask(dropRate, recurrentMask, minibatch, layerConf().getNOut(), dataType,
                stream, workspaceMgr, layerName());
        return recurrentMask;
    }


    /** For tests: the recurrent mask of the current input ({@code [minibatch, nOut]}, scaled), or null. */
    INDArray currentRecurrentMask() {
        return recurrentMask;
    }

    private String layerName() {
        String name = layerConf().getLayerName();
        return "VariationalLSTM" + (name == null ? "" : " '" + name + "'") + " (layer index " + getIndex() + ")";
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        // As DL4J's LSTM: the mask passes through unchanged; masking happens inside the layer.
        return new Pair<>(maskArray, MaskState.Passthrough);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        FwdPassReturn fwdPass = activateHelper(false, stateMap.get(STATE_KEY_PREV_ACTIVATION),
                stateMap.get(STATE_KEY_PREV_MEMCELL), false, null, workspaceMgr);
        stateMap.put(STATE_KEY_PREV_ACTIVATION, fwdPass.lastAct.detach());
        stateMap.put(STATE_KEY_PREV_MEMCELL, fwdPass.lastMemCell.detach());
        return fwdPass.fwdPassOutput;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        FwdPassReturn fwdPass = activateHelper(training, tBpttStateMap.get(STATE_KEY_PREV_ACTIVATION),
                tBpttStateMap.get(STATE_KEY_PREV_MEMCELL), false, tBpttStateMap, workspaceMgr);
        if (storeLastForTBPTT) {
            tBpttStateMap.put(STATE_KEY_PREV_ACTIVATION, fwdPass.lastAct.detach());
            tBpttStateMap.put(STATE_KEY_PREV_MEMCELL, fwdPass.lastMemCell.detach());
            if (training && recurrentMask != null) {
                // Detached when drawn: kept with the state until rnnClearPreviousState().
                tBpttStateMap.put(STATE_KEY_RECURRENT_MASK, recurrentMask);
            }
        }
        return fwdPass.fwdPassOutput;
    }

    @Override
    public LayerHelper getHelper() {
        return null;
    }
}
