package io.github.dl4jdropout.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNormBp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer that runs a {@link VariationalSimpleRnn} configuration: DL4J 1.0.0-M2.1's {@code SimpleRnn} layer
 * (Apache License 2.0, adapted) with a recurrent mask on {@code h(t-1)} and input dropout backpropagated in the
 * layer's own data format.
 *
 * <p>The mask lifecycle is {@link VariationalLstmLayer}'s: the first training-mode forward pass after
 * {@code setInput} draws the mask; later passes on the same input (the forward pass DL4J repeats in backprop) reuse
 * it; stored-state passes (truncated BPTT) keep the mask of their stream until {@code rnnClearPreviousState()}.
 *
 * <p>With mask {@code m}: forward {@code z(t) = x(t) W + (h(t-1) * m) RW + b}; backprop
 * {@code dL/dRW += (h(t-1) * m)^T dL/dz(t)} and {@code dL/dh(t-1) += (dL/dz(t) RW^T) * m}.
 */
final class VariationalSimpleRnnLayer extends BaseRecurrentLayer<org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn> {

    /** State-map key of the previous output, as DL4J's SimpleRnn. */
    static final String STATE_KEY_PREV_ACTIVATION = org.deeplearning4j.nn.layers.recurrent.SimpleRnn.STATE_KEY_PREV_ACTIVATION;
    /** State-map key of the recurrent mask of a stream (truncated BPTT, stored-state passes in training mode). */
    static final String STATE_KEY_RECURRENT_MASK = RecurrentDropoutRates.STATE_KEY_RECURRENT_MASK;

    /** The recurrent mask of the current input ({@code [minibatch, nOut]}, scaled), or null if none was drawn. */
    private INDArray recurrentMask;

    VariationalSimpleRnnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private VariationalSimpleRnn variationalConf() {
        return (VariationalSimpleRnn) layerConf();
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
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        INDArray last = stateMap.get(STATE_KEY_PREV_ACTIVATION);
        INDArray out = activateHelper(last, false, false, null, workspaceMgr)[0];
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stateMap.put(STATE_KEY_PREV_ACTIVATION, lastStep(out));
        }
        return out;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        INDArray last = tBpttStateMap.get(STATE_KEY_PREV_ACTIVATION);
        INDArray out = activateHelper(last, training, false, tBpttStateMap, workspaceMgr)[0];
        if (storeLastForTBPTT) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                tBpttStateMap.put(STATE_KEY_PREV_ACTIVATION, lastStep(out));
            }
            if (training && recurrentMask != null) {
                // Detached when drawn for a stream: kept with the state until rnnClearPreviousState().
                tBpttStateMap.put(STATE_KEY_RECURRENT_MASK, recurrentMask);
            }
        }
        return out;
    }

    /** The last time step of an output in the layer's format, as {@code [minibatch, nOut]}. */
    private INDArray lastStep(INDArray out) {
        INDArray ncw = permuteIfNWC(out);
        return ncw.get(all(), all(), point(ncw.size(2) - 1)).dup();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        long nOut = layerConf().getNOut();

        // As DL4J's SimpleRnn: repeat the forward pass keeping the pre-activations (same dropped input, same mask).
        // DL4J's SimpleRnn starts this pass from no previous state even under truncated BPTT; so does this layer.
        INDArray[] p = activateHelper(null, true, true, null, workspaceMgr);
        INDArray input = permuteIfNWC(this.input.castTo(dataType));
        INDArray mask = recurrentMask;

        INDArray w = getParamWithNoise(SimpleRnnParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray rw = getParamWithNoise(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);
        INDArray b = getParamWithNoise(SimpleRnnParamInitializer.BIAS_KEY, true, workspaceMgr);
        INDArray g = hasLayerNorm() ? gains(getParamWithNoise(SimpleRnnParamInitializer.GAIN_KEY, true,
                workspaceMgr)) : null;
        INDArray gx = g != null ? g.get(interval(0, nOut)) : null;
        INDArray gr = g != null ? g.get(interval(nOut, nOut * 2)) : null;

        INDArray wg = gradientViews.get(SimpleRnnParamInitializer.WEIGHT_KEY);
        INDArray rwg = gradientViews.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray bg = gradientViews.get(SimpleRnnParamInitializer.BIAS_KEY);
        INDArray gg = hasLayerNorm() ? gains(gradientViews.get(SimpleRnnParamInitializer.GAIN_KEY)) : null;
        INDArray gxg = gg != null ? gg.get(interval(0, nOut)) : null;
        INDArray grg = gg != null ? gg.get(interval(nOut, nOut * 2)) : null;

        gradientsFlattened.assign(0);
        IActivation a = layerConf().getActivationFn();
        long tsLength = input.size(2);
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
                'f');

        epsilon = permuteIfNWC(epsilon);
        if (epsilon.ordering() != 'f' || !Shape.hasDefaultStridesForShape(epsilon)) {
            epsilon = epsilon.dup('f');
        }
        INDArray dldzNext = null;
        long end = tbpttBackLength > 0 ? Math.max(0, tsLength - tbpttBackLength) : 0;
        for (long i = tsLength - 1; i >= end; i--) {
            INDArray dldaCurrent = epsilon.get(all(), all(), point(i)).dup();
            INDArray aCurrent = p[0].get(all(), all(), point(i));
            INDArray zCurrent = p[1].get(all(), all(), point(i));
            INDArray nCurrent = hasLayerNorm() ? p[2].get(all(), all(), point(i)) : null;
            INDArray rCurrent = hasLayerNorm() ? p[3].get(all(), all(), point(i)) : null;
            INDArray inCurrent = input.get(all(), all(), point(i));
            INDArray epsOutCurrent = epsOut.get(all(), all(), point(i));

            if (dldzNext != null) {
                // The recurrent path: step i's output entered step i + 1 as a(i) * m.
                if (mask == null) {
                    Nd4j.gemm(dldzNext, rw, dldaCurrent, false, true, 1.0, 1.0);
                    Nd4j.gemm(aCurrent, dldzNext, rwg, true, false, 1.0, 1.0);
                } else {
                    INDArray recurrentGrad = Nd4j.gemm(dldzNext, rw, false, true);
                    dldaCurrent.addi(recurrentGrad.muli(mask));
                    Nd4j.gemm(aCurrent.mul(mask), dldzNext, rwg, true, false, 1.0, 1.0);
                }
            }
            INDArray dldzCurrent = a.backprop(zCurrent.dup(), dldaCurrent).getFirst();

            INDArray maskCol = null;
            if (maskArray != null) {
                // Padded steps: no error into the parameters or the layer below (as DL4J's SimpleRnn).
                maskCol = maskArray.getColumn(i, true).castTo(dataType);
                dldzCurrent.muliColumnVector(maskCol);
            }

            INDArray dldnCurrent;
            if (hasLayerNorm()) {
                dldnCurrent = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dldzCurrent.dataType(),
                        dldzCurrent.shape());
                INDArray ggCur = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, gg.dataType(), gxg.shape());
                INDArray bgCur = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, bg.dataType(), bg.shape());
                Nd4j.getExecutioner().exec(new LayerNormBp(nCurrent, gx, b, dldzCurrent, dldnCurrent, ggCur, bgCur,
                        true, 1));
                gxg.addi(ggCur);
                bg.addi(bgCur);
            } else {
                dldnCurrent = dldzCurrent;
                bg.addi(dldzCurrent.sum(0));
            }

            Nd4j.gemm(inCurrent, dldnCurrent, wg, true, false, 1.0, 1.0);
            Nd4j.gemm(dldnCurrent, w, epsOutCurrent, false, true, 1.0, 0.0);

            if (hasLayerNorm() && i > end) {
                dldzNext = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dldzCurrent.dataType(),
                        dldzCurrent.shape());
                INDArray ggCur = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, gg.dataType(), grg.shape());
                Nd4j.getExecutioner().exec(new LayerNormBp(rCurrent, gr, dldzCurrent, dldzNext, ggCur, true, 1));
                grg.addi(ggCur);
            } else {
                dldzNext = dldzCurrent;
            }

            if (maskArray != null) {
                epsOutCurrent.muliColumnVector(maskCol);
            }
        }

        weightNoiseParams.clear();

        Gradient grad = new DefaultGradient(gradientsFlattened);
        grad.gradientForVariable().put(SimpleRnnParamInitializer.WEIGHT_KEY, wg);
        grad.gradientForVariable().put(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, rwg);
        grad.gradientForVariable().put(SimpleRnnParamInitializer.BIAS_KEY, bg);
        if (hasLayerNorm()) {
            grad.gradientForVariable().put(SimpleRnnParamInitializer.GAIN_KEY,
                    gradientViews.get(SimpleRnnParamInitializer.GAIN_KEY));
        }

        // The input dropout ran on the input in the layer's own format, so its gradient goes back in that format
        // (DL4J's SimpleRnn backpropagates it before permuting back).
        epsOut = backpropDropOutIfPresent(permuteIfNWC(epsOut));
        return new Pair<>(grad, epsOut);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return activateHelper(null, training, false, null, workspaceMgr)[0];
    }

    /**
     * @param stream the state map of a stream, whose recurrent mask (if any) this pass uses, or null
     * @return output, pre-activations, input pre-norm and recurrent pre-norm (the last three for backprop only, all
     *         NCW then; the output is in the layer's format unless {@code forBackprop})
     */
    private INDArray[] activateHelper(INDArray prevStepOut, boolean training, boolean forBackprop,
                                      Map<String, INDArray> stream, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 3) {
            throw new IllegalStateException(layerName() + " needs rank-3 input, " + (getDataFormat()
                    == org.deeplearning4j.nn.conf.RNNFormat.NCW ? "[minibatch, size, time] (NCW)"
                    : "[minibatch, time, size] (NWC)") + ", but received shape " + Arrays.toString(input.shape()));
        }
        if (prevStepOut != null && prevStepOut.size(0) != input.size(0)) {
            throw new IllegalStateException(layerName() + ": the stored state is for a minibatch of "
                    + prevStepOut.size(0) + " examples but the input has " + input.size(0) + "; call"
                    + " rnnClearPreviousState() between streams of different minibatch size");
        }

        applyDropOutIfNecessary(training, workspaceMgr);

        INDArray input = permuteIfNWC(this.input.castTo(dataType));
        long m = input.size(0);
        long tsLength = input.size(2);
        long nOut = layerConf().getNOut();

        INDArray w = getParamWithNoise(SimpleRnnParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray rw = getParamWithNoise(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(SimpleRnnParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray g = hasLayerNorm() ? gains(getParamWithNoise(SimpleRnnParamInitializer.GAIN_KEY, training,
                workspaceMgr)) : null;
        INDArray gx = g != null ? g.get(interval(0, nOut)) : null;
        INDArray gr = g != null ? g.get(interval(nOut, nOut * 2)) : null;
        INDArray mask = training ? recurrentMask(m, w.dataType(), stream, workspaceMgr) : null;

        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(),
                new long[]{m, nOut, tsLength}, 'f');
        INDArray outZ = forBackprop ? workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(),
                out.shape()) : null;
        INDArray outPreNorm = forBackprop && hasLayerNorm() ? workspaceMgr.createUninitialized(
                ArrayType.BP_WORKING_MEM, w.dataType(), out.shape(), 'f') : null;
        INDArray recPreNorm = forBackprop && hasLayerNorm() ? workspaceMgr.createUninitialized(
                ArrayType.BP_WORKING_MEM, w.dataType(), out.shape(), 'f') : null;

        if (input.ordering() != 'f' || Shape.strideDescendingCAscendingF(input)) {
            input = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'f');
        }
        if (!hasLayerNorm()) {
            Nd4j.getExecutioner().exec(new BroadcastCopyOp(out, b, out, 1));
        }

        IActivation a = layerConf().getActivationFn();
        for (int i = 0; i < tsLength; i++) {
            INDArray currOut = out.get(all(), all(), point(i));
            INDArray currIn = input.get(all(), all(), point(i));
            if (hasLayerNorm()) {
                INDArray currOutPreNorm = (forBackprop ? outPreNorm : out).get(all(), all(), point(i));
                Nd4j.gemm(currIn, w, currOutPreNorm, false, false, 1.0, 0.0);
                Nd4j.getExecutioner().exec(new LayerNorm(currOutPreNorm, gx, b, currOut, true, 1));
            } else {
                Nd4j.gemm(currIn, w, currOut, false, false, 1.0, 1.0);
            }

            if (i > 0 || prevStepOut != null) {
                INDArray prev = mask == null ? prevStepOut : prevStepOut.mul(mask);
                if (hasLayerNorm()) {
                    INDArray currRecPreNorm = forBackprop ? recPreNorm.get(all(), all(), point(i))
                            : workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, currOut.dataType(),
                            currOut.shape(), 'f');
                    Nd4j.gemm(prev, rw, currRecPreNorm, false, false, 1.0, 0.0);
                    INDArray recNorm = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, currOut.dataType(),
                            currOut.shape(), 'f');
                    Nd4j.getExecutioner().exec(new LayerNorm(currRecPreNorm, gr, recNorm, true, 1));
                    currOut.addi(recNorm);
                } else {
                    Nd4j.gemm(prev, rw, currOut, false, false, 1.0, 1.0);
                }
            }

            if (forBackprop) {
                outZ.get(all(), all(), point(i)).assign(currOut);
            }
            a.getActivation(currOut, training);

            if (maskArray != null) {
                INDArray maskCol = maskArray.getColumn(i, true).castTo(dataType);
                currOut.muliColumnVector(maskCol);
            }
            prevStepOut = currOut;
        }

        if (maskArray != null) {
            INDArray featuresMask = maskArray.castTo(dataType);
            Nd4j.getExecutioner().exec(new BroadcastMulOp(out, featuresMask, out, 0, 2));
            if (forBackprop) {
                Nd4j.getExecutioner().exec(new BroadcastMulOp(outZ, featuresMask, outZ, 0, 2));
            }
        }
        if (!forBackprop) {
            out = permuteIfNWC(out);
        }
        return new INDArray[]{out, outZ, outPreNorm, recPreNorm};
    }

    /** The recurrent mask of a training-mode pass (see {@link RecurrentDropoutRates#mask}); remembered for backprop. */
    private INDArray recurrentMask(long minibatch, DataType dataType, Map<String, INDArray> stream,
                                   LayerWorkspaceMgr workspaceMgr) {
        double dropRate = variationalConf().recurrentDropoutRateAt(getIterationCount(), getEpochCount());
        recurrentMask = RecurrentDropoutRates.mask(dropRate, recurrentMask, minibatch, layerConf().getNOut(), dataType,
                stream, workspaceMgr, layerName());
        return recurrentMask;
    }

    /**
     * The layer-norm gains {@code [g_input, g_recurrent]} as a rank-1 view {@code [2 nOut]}, the shape the
     * {@code layer_norm} op takes. DL4J 1.0.0-M2.1 stores them rank-1 but its own SimpleRnn indexes them as a row
     * ("Indices are out of range"), so DL4J's SimpleRnn with {@code hasLayerNorm(true)} cannot run at all.
     */
    private static INDArray gains(INDArray g) {
        return g.rank() == 1 ? g : g.reshape(g.length());
    }

    /** For tests: the recurrent mask of the current input ({@code [minibatch, nOut]}, scaled), or null. */
    INDArray currentRecurrentMask() {
        return recurrentMask;
    }

    private String layerName() {
        String name = layerConf().getLayerName();
        return "VariationalSimpleRnn" + (name == null ? "" : " '" + name + "'") + " (layer index " + getIndex() + ")";
    }

    @Override
    public boolean hasLayerNorm() {
        return layerConf().hasLayerNorm();
    }
}
