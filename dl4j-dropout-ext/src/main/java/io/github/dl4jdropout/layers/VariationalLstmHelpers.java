/*
 * Adapted from Deeplearning4j 1.0.0-M2.1, org.deeplearning4j.nn.layers.recurrent.LSTMHelpers
 * (activateHelper and backpropGradientHelper), Copyright the Eclipse Deeplearning4j contributors,
 * licensed under the Apache License, Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0).
 *
 * Changes from the original: a recurrent dropout mask multiplies h(t-1) before the recurrent matrix product in the
 * forward pass, and the matching terms are added to the backward pass (the recurrent-weight gradient reads the masked
 * h(t-1); the error flowing back into h(t-1) is multiplied by the mask). Removed: peephole connections (GravesLSTM
 * only), the cuDNN/MKL-DNN helper, cache-mode paths (DL4J's LSTM always runs with CacheMode.NONE), backwards
 * iteration (Bidirectional reverses the input instead) and rank-2 inputs (DL4J's LSTM only accepts rank 3). With no
 * recurrent mask, every remaining operation is DL4J's, in DL4J's order, so results are identical.
 */
package io.github.dl4jdropout.layers;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.same.TimesOneMinus;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * Forward and backward pass of an LSTM with a recurrent dropout mask, on NCW arrays ({@code [minibatch, size, time]}).
 * Gate order and parameter layout are DL4J's: {@code [i, f, o, g]} blocks of {@code nOut} columns, where {@code i} is
 * the block input (layer activation) and {@code f, o, g} are the forget, output and input gates (gate activation).
 */
final class VariationalLstmHelpers {

    private VariationalLstmHelpers() {
    }

    /**
     * The forward pass.
     *
     * @param layerName          for error messages
     * @param afn                the layer activation (block input and cell output)
     * @param gateActivationFn   the gate activation
     * @param input              {@code [minibatch, nIn, time]}, any order
     * @param recurrentWeights   {@code [nOut, 4 nOut]}
     * @param inputWeights       {@code [nIn, 4 nOut]}
     * @param biases             {@code [1, 4 nOut]}
     * @param training           passed to the activation functions
     * @param prevOutput         stored hidden state {@code [minibatch, nOut]}, or null for zeros
     * @param prevMemCell        stored cell state {@code [minibatch, nOut]}, or null for zeros
     * @param forBackprop        true to keep every intermediate for {@link #backpropGradient}
     * @param featuresMask       {@code [minibatch, time]} (1 = real step, 0 = padding), or null
     * @param recurrentMask      {@code [minibatch, nOut]}, already scaled, applied to {@code h(t-1)} at every step; or
     *                           null for none
     * @param workspaceMgr       DL4J's workspaces
     * @return the output {@code [minibatch, nOut, time]} (not filled when {@code forBackprop}, as in DL4J) and, for
     * backprop, every intermediate
     */
    static FwdPassReturn activate(String layerName, IActivation afn, IActivation gateActivationFn, INDArray input,
                                  INDArray recurrentWeights, INDArray inputWeights, INDArray biases,
                                  boolean training, INDArray prevOutput, INDArray prevMemCell,
                                  boolean forBackprop, INDArray featuresMask, INDArray recurrentMask,
                                  LayerWorkspaceMgr workspaceMgr) {
        DataType dataType = inputWeights.dataType();
        if (featuresMask != null) {
            featuresMask = featuresMask.castTo(recurrentWeights.dataType());
        }
        input = input.castTo(dataType);
        int timeSeriesLength = Math.toIntExact(input.size(2));
        int hiddenLayerSize = Math.toIntExact(recurrentWeights.size(0));
        int miniBatchSize = Math.toIntExact(input.size(0));
        if (input.size(1) != inputWeights.size(0)) {
            throw new DL4JInvalidInputException(layerName + " received input of shape "
                    + Arrays.toString(input.shape()) + " ([minibatch, size, time] after any NWC permute) whose size "
                    + input.size(1) + " does not match the layer's nIn = " + inputWeights.size(0));
        }
        if (prevOutput != null && prevOutput.size(0) != miniBatchSize) {
            throw new IllegalStateException(layerName + ": the stored RNN state is for a minibatch of "
                    + prevOutput.size(0) + " examples but the input " + Arrays.toString(input.shape()) + " has "
                    + miniBatchSize + "; call rnnClearPreviousState() between streams of different minibatch size");
        }

        INDArray prevMemCellState = prevMemCell == null
                ? Nd4j.create(dataType, new long[]{miniBatchSize, hiddenLayerSize}, 'f')
                : prevMemCell.dup('f');
        INDArray recurrentWeightsIFOG = recurrentWeights.get(all(), interval(0, 4 * hiddenLayerSize)).dup('f');
        boolean sigmoidGates = gateActivationFn instanceof ActivationSigmoid;

        FwdPassReturn toReturn = new FwdPassReturn();
        INDArray outputActivations = null;
        if (forBackprop) {
            toReturn.fwdPassOutputAsArrays = new INDArray[timeSeriesLength];
            toReturn.memCellState = new INDArray[timeSeriesLength];
            toReturn.memCellActivations = new INDArray[timeSeriesLength];
            toReturn.iz = new INDArray[timeSeriesLength];
            toReturn.ia = new INDArray[timeSeriesLength];
            toReturn.fa = new INDArray[timeSeriesLength];
            toReturn.oa = new INDArray[timeSeriesLength];
            toReturn.ga = new INDArray[timeSeriesLength];
            if (!sigmoidGates) {
                toReturn.fz = new INDArray[timeSeriesLength];
                toReturn.oz = new INDArray[timeSeriesLength];
                toReturn.gz = new INDArray[timeSeriesLength];
            }
        } else {
            // F order keeps the time steps together.
            outputActivations = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(),
                    new long[]{miniBatchSize, hiddenLayerSize, timeSeriesLength}, 'f');
            toReturn.fwdPassOutput = outputActivations;
        }

        INDArray prevOutputActivations = prevOutput == null
                ? Nd4j.zeros(input.dataType(), miniBatchSize, hiddenLayerSize) : prevOutput;
        // A zero state stays zero under any mask: skip the multiply then.
        boolean prevIsZero = prevOutput == null;

        for (int time = 0; time < timeSeriesLength; time++) {
            try (MemoryWorkspace ignored = workspaceMgr.notifyScopeEntered(ArrayType.RNN_FF_LOOP_WORKING_MEM)) {
                INDArray miniBatchData = Shape.toMmulCompatible(input.tensorAlongDimension(time, 1, 0));
                INDArray ifogActivations = miniBatchData.mmul(inputWeights); // [miniBatch, 4 * hiddenLayerSize]

                // The variational recurrent dropout: h(t-1) * mask, the same mask at every step.
                INDArray recurrentInput = recurrentMask == null || prevIsZero
                        ? prevOutputActivations : prevOutputActivations.mul(recurrentMask);
                Nd4j.gemm(recurrentInput, recurrentWeightsIFOG, ifogActivations, false, false, 1.0, 1.0);
                ifogActivations.addiRowVector(biases);

                INDArray inputActivations = ifogActivations.get(all(), interval(0, hiddenLayerSize));
                if (forBackprop) {
                    toReturn.iz[time] = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, inputActivations, 'f');
                }
                afn.getActivation(inputActivations, training);
                if (forBackprop) {
                    toReturn.ia[time] = workspaceMgr.leverageTo(ArrayType.BP_WORKING_MEM, inputActivations);
                }

                INDArray forgetGateActivations = ifogActivations.get(all(),
                        interval(hiddenLayerSize, 2 * hiddenLayerSize));
                if (forBackprop && !sigmoidGates) {
                    toReturn.fz[time] = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, forgetGateActivations, 'f');
                }
                gateActivationFn.getActivation(forgetGateActivations, training);
                if (forBackprop) {
                    toReturn.fa[time] = workspaceMgr.leverageTo(ArrayType.BP_WORKING_MEM, forgetGateActivations);
                }

                INDArray inputModGateActivations = ifogActivations.get(all(),
                        interval(3 * hiddenLayerSize, 4 * hiddenLayerSize));
                if (forBackprop && !sigmoidGates) {
                    toReturn.gz[time] = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, inputModGateActivations, 'f');
                }
                gateActivationFn.getActivation(inputModGateActivations, training);
                if (forBackprop) {
                    toReturn.ga[time] = workspaceMgr.leverageTo(ArrayType.BP_WORKING_MEM, inputModGateActivations);
                }

                INDArray currentMemoryCellState;
                INDArray inputModMulInput;
                if (forBackprop) {
                    currentMemoryCellState = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, prevMemCellState, 'f')
                            .muli(forgetGateActivations);
                    inputModMulInput = inputModGateActivations.dup('f').muli(inputActivations);
                } else {
                    currentMemoryCellState = workspaceMgr.leverageTo(ArrayType.FF_WORKING_MEM,
                            forgetGateActivations.muli(prevMemCellState));
                    inputModMulInput = inputModGateActivations.muli(inputActivations);
                }
                currentMemoryCellState.addi(inputModMulInput);

                INDArray outputGateActivations = ifogActivations.get(all(),
                        interval(2 * hiddenLayerSize, 3 * hiddenLayerSize));
                if (forBackprop && !sigmoidGates) {
                    toReturn.oz[time] = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, outputGateActivations, 'f');
                }
                gateActivationFn.getActivation(outputGateActivations, training);
                if (forBackprop) {
                    toReturn.oa[time] = workspaceMgr.leverageTo(ArrayType.BP_WORKING_MEM, outputGateActivations);
                }

                INDArray currMemoryCellActivation = workspaceMgr.dup(ArrayType.FF_WORKING_MEM,
                        currentMemoryCellState, 'f');
                currMemoryCellActivation = afn.getActivation(currMemoryCellActivation, training);

                INDArray currHiddenUnitActivations;
                if (forBackprop) {
                    currHiddenUnitActivations = workspaceMgr.dup(ArrayType.BP_WORKING_MEM, currMemoryCellActivation,
                            'f').muli(outputGateActivations);
                } else {
                    currHiddenUnitActivations = currMemoryCellActivation.muli(outputGateActivations);
                }

                if (featuresMask != null) {
                    // As DL4J: padded steps output 0 and reset the cell state to 0.
                    INDArray timeStepMaskColumn = featuresMask.getColumn(time, true);
                    currHiddenUnitActivations.muliColumnVector(timeStepMaskColumn);
                    currentMemoryCellState.muliColumnVector(timeStepMaskColumn);
                }

                currentMemoryCellState = workspaceMgr.leverageTo(ArrayType.FF_WORKING_MEM, currentMemoryCellState);
                if (forBackprop) {
                    toReturn.fwdPassOutputAsArrays[time] = currHiddenUnitActivations;
                    toReturn.memCellState[time] = currentMemoryCellState;
                    toReturn.memCellActivations[time] = currMemoryCellActivation;
                } else {
                    outputActivations.tensorAlongDimension(time, 1, 0).assign(currHiddenUnitActivations);
                }

                prevOutputActivations = currHiddenUnitActivations;
                prevIsZero = false;
                prevMemCellState = currentMemoryCellState;
                toReturn.lastAct = currHiddenUnitActivations;
                toReturn.lastMemCell = currentMemoryCellState;
            }
        }

        toReturn.prevAct = prevOutput;
        toReturn.prevMemCell = prevMemCell;
        return toReturn;
    }

    /**
     * The backward pass, from the intermediates of {@link #activate} with {@code forBackprop}.
     *
     * @param afn                 the layer activation
     * @param gateActivationFn    the gate activation
     * @param input               {@code [minibatch, nIn, time]}, the input the forward pass saw (after dropout)
     * @param recurrentWeights    {@code [nOut, 4 nOut]}
     * @param inputWeights        {@code [nIn, 4 nOut]}
     * @param epsilon             dL/d(output), {@code [minibatch, nOut, time]}
     * @param truncatedBPTT       true to stop after {@code tbpttBackwardLength} steps
     * @param tbpttBackwardLength steps to go back with truncated BPTT
     * @param fwdPass             the forward pass
     * @param gradientViews       the layer's gradient views, written here
     * @param featuresMask        {@code [minibatch, time]}, or null
     * @param recurrentMask       the mask of the forward pass, or null
     * @param workspaceMgr        DL4J's workspaces
     * @return the gradients and dL/d(input), {@code [minibatch, nIn, time]} in F order
     */
    static Pair<Gradient, INDArray> backpropGradient(IActivation afn, IActivation gateActivationFn, INDArray input,
                                                     INDArray recurrentWeights, INDArray inputWeights,
                                                     INDArray epsilon, boolean truncatedBPTT,
                                                     int tbpttBackwardLength, FwdPassReturn fwdPass,
                                                     Map<String, INDArray> gradientViews, INDArray featuresMask,
                                                     INDArray recurrentMask, LayerWorkspaceMgr workspaceMgr) {
        DataType dataType = inputWeights.dataType();
        input = input.castTo(dataType);
        if (featuresMask != null) {
            featuresMask = featuresMask.castTo(recurrentWeights.dataType());
        }
        long hiddenLayerSize = recurrentWeights.size(0);
        long prevLayerSize = inputWeights.size(0);
        long miniBatchSize = epsilon.size(0);
        long timeSeriesLength = epsilon.size(2);

        INDArray wIFOG = recurrentWeights.get(all(), interval(0, 4 * hiddenLayerSize));
        INDArray epsilonNext = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(),
                new long[]{miniBatchSize, prevLayerSize, timeSeriesLength}, 'f');

        INDArray nablaCellStateNext = null;
        INDArray deltaifogNext = Nd4j.create(dataType, new long[]{miniBatchSize, 4 * hiddenLayerSize}, 'f');
        INDArray deltaiNext = deltaifogNext.get(all(), interval(0, hiddenLayerSize));
        INDArray deltafNext = deltaifogNext.get(all(), interval(hiddenLayerSize, 2 * hiddenLayerSize));
        INDArray deltaoNext = deltaifogNext.get(all(), interval(2 * hiddenLayerSize, 3 * hiddenLayerSize));
        INDArray deltagNext = deltaifogNext.get(all(), interval(3 * hiddenLayerSize, 4 * hiddenLayerSize));
        // dL/dh(t-1) through the recurrence before the mask, reused at every step.
        INDArray recurrentError = recurrentMask == null ? null
                : Nd4j.create(dataType, new long[]{miniBatchSize, hiddenLayerSize}, 'f');

        long endIdx = truncatedBPTT ? Math.max(0, timeSeriesLength - tbpttBackwardLength) : 0;

        INDArray iwGradientsOut = gradientViews.get(LSTMParamInitializer.INPUT_WEIGHT_KEY);
        INDArray rwGradientsOut = gradientViews.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray bGradientsOut = gradientViews.get(LSTMParamInitializer.BIAS_KEY);
        iwGradientsOut.assign(0);
        rwGradientsOut.assign(0);
        bGradientsOut.assign(0);
        INDArray rwGradientsIFOG = rwGradientsOut.get(all(), interval(0, 4 * hiddenLayerSize));

        boolean sigmoidGates = gateActivationFn instanceof ActivationSigmoid;
        INDArray timeStepMaskColumn = null;
        for (long iTimeIndex = timeSeriesLength - 1; iTimeIndex >= endIdx; iTimeIndex--) {
            try (MemoryWorkspace ignored = workspaceMgr.notifyScopeEntered(ArrayType.RNN_BP_LOOP_WORKING_MEM)) {
                int time = Math.toIntExact(iTimeIndex);

                INDArray nablaCellState = Nd4j.create(dataType, new long[]{miniBatchSize, hiddenLayerSize}, 'f');
                INDArray prevMemCellState = iTimeIndex == 0 ? fwdPass.prevMemCell : fwdPass.memCellState[time - 1];
                INDArray prevHiddenUnitActivation = iTimeIndex == 0
                        ? fwdPass.prevAct : fwdPass.fwdPassOutputAsArrays[time - 1];
                INDArray currMemCellState = fwdPass.memCellState[time];

                // dL/dh(t): the error from above plus, through the recurrence, mask * (delta(t+1) W_rec^T).
                INDArray epsilonSlice = epsilon.tensorAlongDimension(time, 1, 0);
                INDArray nablaOut = Shape.toOffsetZeroCopy(epsilonSlice, 'f');
                if (iTimeIndex != timeSeriesLength - 1) {
                    if (recurrentMask == null) {
                        Nd4j.gemm(deltaifogNext, wIFOG, nablaOut, false, true, 1.0, 1.0);
                    } else {
                        Nd4j.gemm(deltaifogNext, wIFOG, recurrentError, false, true, 1.0, 0.0);
                        nablaOut.addi(recurrentError.muli(recurrentMask));
                    }
                }

                // Output gate deltas.
                INDArray sigmahOfS = fwdPass.memCellActivations[time];
                INDArray ao = fwdPass.oa[time];
                INDArray deltao = deltaoNext;
                Nd4j.getExecutioner().exec(new MulOp(nablaOut, sigmahOfS, deltao));
                if (sigmoidGates) {
                    INDArray sigmaoPrimeOfZo = Nd4j.getExecutioner().exec(new TimesOneMinus(ao.dup('f')));
                    deltao.muli(sigmaoPrimeOfZo);
                } else {
                    deltao.assign(gateActivationFn.backprop(fwdPass.oz[time], deltao).getFirst());
                }

                // Memory cell error.
                INDArray temp = afn.backprop(currMemCellState.dup('f'), ao.muli(nablaOut)).getFirst();
                nablaCellState.addi(temp);
                if (iTimeIndex != timeSeriesLength - 1) {
                    INDArray nextForgetGateAs = fwdPass.fa[time + 1];
                    nablaCellState.addi(nextForgetGateAs.muli(nablaCellStateNext));
                }
                nablaCellStateNext = workspaceMgr.leverageTo(ArrayType.BP_WORKING_MEM, nablaCellState);

                // Forget gate delta; at t = 0 without a stored cell state it would be multiplied by 0.
                INDArray af = fwdPass.fa[time];
                if (iTimeIndex > 0 || prevMemCellState != null) {
                    INDArray deltaf = deltafNext;
                    if (sigmoidGates) {
                        Nd4j.getExecutioner().exec(new TimesOneMinus(af, deltaf));
                        deltaf.muli(nablaCellState);
                        deltaf.muli(prevMemCellState);
                    } else {
                        INDArray temp2 = nablaCellState.mul(prevMemCellState);
                        deltaf.assign(gateActivationFn.backprop(fwdPass.fz[time].dup('f'), temp2).getFirst());
                    }
                }

                // Input modulation gate delta.
                INDArray ag = fwdPass.ga[time];
                INDArray ai = fwdPass.ia[time];
                INDArray deltag = deltagNext;
                if (sigmoidGates) {
                    Nd4j.getExecutioner().exec(new TimesOneMinus(ag, deltag));
                    deltag.muli(ai);
                    deltag.muli(nablaCellState);
                } else {
                    INDArray temp2 = Nd4j.getExecutioner().exec(new MulOp(ai, nablaCellState,
                            Nd4j.createUninitialized(dataType, ai.shape(), 'f')))[0];
                    deltag.assign(gateActivationFn.backprop(fwdPass.gz[time], temp2).getFirst());
                }

                // Block input delta.
                INDArray zi = fwdPass.iz[time];
                INDArray deltai = deltaiNext;
                temp = Nd4j.getExecutioner().exec(new MulOp(ag, nablaCellState,
                        Nd4j.createUninitialized(dataType, deltai.shape(), 'f')))[0];
                deltai.assign(afn.backprop(zi, temp).getFirst());

                if (featuresMask != null) {
                    // Padded steps contribute no parameter gradient.
                    timeStepMaskColumn = featuresMask.getColumn(time, true);
                    deltaifogNext.muli(timeStepMaskColumn);
                }

                boolean hasPrevious = iTimeIndex > 0 || prevHiddenUnitActivation != null;
                INDArray prevLayerActivationSlice = Shape.toMmulCompatible(input.tensorAlongDimension(time, 1, 0));
                if (hasPrevious) {
                    Nd4j.gemm(prevLayerActivationSlice, deltaifogNext, iwGradientsOut, true, false, 1.0, 1.0);
                } else {
                    // No forget gate contribution at t = 0 without a stored state.
                    INDArray iwGradientsI = iwGradientsOut.get(all(), interval(0, hiddenLayerSize));
                    Nd4j.gemm(prevLayerActivationSlice, deltai, iwGradientsI, true, false, 1.0, 1.0);
                    INDArray iwGradientsOG = iwGradientsOut.get(all(),
                            interval(2 * hiddenLayerSize, 4 * hiddenLayerSize));
                    INDArray deltaog = deltaifogNext.get(all(), interval(2 * hiddenLayerSize, 4 * hiddenLayerSize));
                    Nd4j.gemm(prevLayerActivationSlice, deltaog, iwGradientsOG, true, false, 1.0, 1.0);
                }

                if (hasPrevious) {
                    // The recurrent weights saw the masked h(t-1).
                    INDArray recurrentInput = recurrentMask == null
                            ? prevHiddenUnitActivation : prevHiddenUnitActivation.mul(recurrentMask);
                    Nd4j.gemm(recurrentInput, deltaifogNext, rwGradientsIFOG, true, false, 1.0, 1.0);
                }

                INDArray bGradientsOutReshape = bGradientsOut.reshape(bGradientsOut.length());
                if (hasPrevious) {
                    bGradientsOut.addi(deltaifogNext.sum(true, 0).reshape(bGradientsOut.shape()));
                } else {
                    INDArray bGradientsI = bGradientsOutReshape.get(interval(0, hiddenLayerSize));
                    bGradientsI.addi(deltai.sum(true, 0).reshape(bGradientsI.shape()));
                    INDArray ogBiasToAdd = deltaifogNext.get(all(),
                            interval(2 * hiddenLayerSize, 4 * hiddenLayerSize)).sum(true, 0);
                    INDArray ogBiasGrad = bGradientsOutReshape.get(interval(2 * hiddenLayerSize, 4 * hiddenLayerSize));
                    ogBiasGrad.addi(ogBiasToAdd.reshape(ogBiasGrad.shape()));
                }

                // dL/d(input) at this step: the four gates' deltas times the input weights.
                INDArray epsilonNextSlice = epsilonNext.tensorAlongDimension(time, 1, 0);
                if (hasPrevious) {
                    Nd4j.gemm(deltaifogNext, inputWeights, epsilonNextSlice, false, true, 1.0, 1.0);
                } else {
                    INDArray wi = inputWeights.get(all(), interval(0, hiddenLayerSize));
                    Nd4j.gemm(deltai, wi, epsilonNextSlice, false, true, 1.0, 1.0);
                    INDArray deltaog = deltaifogNext.get(all(), interval(2 * hiddenLayerSize, 4 * hiddenLayerSize));
                    INDArray wog = inputWeights.get(all(), interval(2 * hiddenLayerSize, 4 * hiddenLayerSize));
                    Nd4j.gemm(deltaog, wog, epsilonNextSlice, false, true, 1.0, 1.0);
                }

                if (featuresMask != null) {
                    epsilonNextSlice.muli(timeStepMaskColumn);
                }
            }
        }

        Gradient retGradient = new DefaultGradient();
        retGradient.gradientForVariable().put(LSTMParamInitializer.INPUT_WEIGHT_KEY, iwGradientsOut);
        retGradient.gradientForVariable().put(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, rwGradientsOut);
        retGradient.gradientForVariable().put(LSTMParamInitializer.BIAS_KEY, bGradientsOut);
        return new Pair<>(retGradient, epsilonNext);
    }
}
