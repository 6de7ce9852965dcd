package io.github.dl4jdropout.layers;

import static io.github.dl4jdropout.layers.LstmFixtures.SEED;
import static io.github.dl4jdropout.layers.LstmFixtures.maxAbsDiff;
import static io.github.dl4jdropout.layers.LstmFixtures.sequences;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.Dropouts;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Streams: {@code rnnTimeStep} (inference, no mask, as DL4J), stored-state passes in training mode (the recurrent mask
 * is drawn at the first chunk and kept until {@code rnnClearPreviousState()}), and truncated BPTT (one recurrent mask
 * per sequence, kept across its segments).
 */
class StreamsAndTbpttTest {

    private static final int STEPS = 9;

    private static MultiLayerNetwork net(WorkspaceMode ws, BackpropType backprop, double inputDropRate) {
        VariationalLSTM.Builder lstm = new VariationalLSTM.Builder().nIn(3).nOut(6).activation(Activation.TANH)
                .recurrentDropout(0.5);
        if (inputDropRate > 0) {
            lstm.dropOut(Dropouts.timeShared(inputDropRate));
        }
        NeuralNetConfiguration.ListBuilder list = LstmFixtures.base(DataType.FLOAT, ws).updater(new Sgd(0.1)).list()
                .layer(lstm.build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nIn(6).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.recurrent(3));
        if (backprop == BackpropType.TruncatedBPTT) {
            list.backpropType(BackpropType.TruncatedBPTT).tBPTTLength(3);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static INDArray steps(INDArray x, long from, long to) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup();
    }

    private static INDArray lastLayer(List<INDArray> activations) {
        return activations.get(activations.size() - 1);
    }

    /** rnnTimeStep, one step at a time, gives the inference output of the whole sequence: no mask, deterministic. */
    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void rnnTimeStepIsInferenceWithoutMasks(WorkspaceMode ws) {
        MultiLayerNetwork net = net(ws, BackpropType.Standard, 0.3);
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 4, 3, STEPS);
        INDArray whole = net.output(x);
        for (int repeat = 0; repeat < 2; repeat++) {
            net.rnnClearPreviousState();
            List<INDArray> outs = new ArrayList<>();
            for (int t = 0; t < STEPS; t++) {
                outs.add(net.rnnTimeStep(steps(x, t, t + 1)));
                assertThat(((VariationalLstmLayer) net.getLayer(0)).currentRecurrentMask()).isNull();
            }
            assertThat(maxAbsDiff(Nd4j.concat(2, outs.toArray(new INDArray[0])), whole)).isLessThan(1e-6);
        }
    }

    /**
     * A stream in training mode ({@code rnnActivateUsingStoredState(x, true, true)} chunk by chunk) draws its
     * recurrent mask at the first chunk and keeps it: after the same seed it gives exactly the training output of the
     * whole sequence in one pass, which draws one mask. After {@code rnnClearPreviousState()} the next stream draws a
     * new mask.
     */
    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void trainingModeStreamKeepsItsMaskUntilCleared(WorkspaceMode ws) {
        MultiLayerNetwork net = net(ws, BackpropType.Standard, 0.0);
        VariationalLstmLayer layer = (VariationalLstmLayer) net.getLayer(0);
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 4, 3, STEPS);

        net.rnnClearPreviousState();
        Nd4j.getRandom().setSeed(11);
        INDArray whole = lastLayer(net.rnnActivateUsingStoredState(x, true, true));

        net.rnnClearPreviousState();
        Nd4j.getRandom().setSeed(11);
        List<INDArray> chunks = new ArrayList<>();
        INDArray firstMask = null;
        for (int start = 0; start < STEPS; start += 3) {
            chunks.add(lastLayer(net.rnnActivateUsingStoredState(steps(x, start, start + 3), true, true)));
            INDArray mask = layer.currentRecurrentMask();
            if (firstMask == null) {
                firstMask = mask.dup();
            }
            assertThat(mask).as("mask of the chunk starting at %s", start).isEqualTo(firstMask);
        }
        assertThat(maxAbsDiff(Nd4j.concat(2, chunks.toArray(new INDArray[0])), whole)).isLessThan(1e-6);

        net.rnnClearPreviousState();
        net.rnnActivateUsingStoredState(steps(x, 0, 3), true, true);
        assertThat(layer.currentRecurrentMask()).isNotEqualTo(firstMask);
    }

    /**
     * Truncated BPTT over 9 steps in segments of 3: the three forward passes of one {@code fit} use one recurrent
     * mask (the sequence's), the next {@code fit} another; training runs with workspaces on and off and changes the
     * parameters without producing NaN.
     */
    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void truncatedBpttKeepsOneMaskPerSequenceAcrossSegments(WorkspaceMode ws) {
        MultiLayerNetwork net = net(ws, BackpropType.TruncatedBPTT, 0.2);
        List<INDArray> masks = new ArrayList<>();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void onForwardPass(Model model, List<INDArray> activations) {
                INDArray mask = ((VariationalLstmLayer) net.getLayer(0)).currentRecurrentMask();
                // A stream's mask outlives the iteration's workspaces, like DL4J's stored state.
                assertThat(mask.isAttached()).isFalse();
                try (org.nd4j.linalg.api.memory.MemoryWorkspace ignored =
                             Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    masks.add(mask.dup());
                }
            }
        });
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 4, 3, STEPS);
        INDArray y = sequences(RNNFormat.NCW, DataType.FLOAT, 4, 2, STEPS);
        INDArray before = net.params().dup();
        net.fit(x, y);
        net.fit(x, y);

        assertThat(masks).hasSize(6);
        assertThat(masks.get(1)).isEqualTo(masks.get(0));
        assertThat(masks.get(2)).isEqualTo(masks.get(0));
        assertThat(masks.get(4)).isEqualTo(masks.get(3));
        assertThat(masks.get(5)).isEqualTo(masks.get(3));
        assertThat(masks.get(3)).isNotEqualTo(masks.get(0));
        assertThat(net.params().isNaN().any()).isFalse();
        assertThat(maxAbsDiff(net.params(), before)).isGreaterThan(0.0);
        assertThat(net.rnnGetPreviousState(0)).as("state cleared after fit").isEmpty();
    }

    @Test
    void standardFitInEveryWorkspaceModeAndBothTypes() {
        for (WorkspaceMode ws : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
            for (DataType dataType : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
                MultiLayerConfiguration conf = LstmFixtures.base(dataType, ws).updater(new Sgd(0.1)).list()
                        .layer(new VariationalLSTM.Builder().nIn(3).nOut(6).dropOut(Dropouts.timeShared(0.2))
                                .recurrentDropout(0.3).build())
                        .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nIn(6).nOut(2)
                                .activation(Activation.IDENTITY).build())
                        .setInputType(InputType.recurrent(3))
                        .build();
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init();
                Nd4j.getRandom().setSeed(SEED);
                INDArray x = sequences(RNNFormat.NCW, dataType, 4, 3, STEPS);
                INDArray y = sequences(RNNFormat.NCW, dataType, 4, 2, STEPS);
                double first = net.score(new org.nd4j.linalg.dataset.DataSet(x, y));
                for (int i = 0; i < 30; i++) {
                    net.fit(x, y);
                }
                assertThat(net.params().isNaN().any()).as("%s %s", ws, dataType).isFalse();
                assertThat(net.score(new org.nd4j.linalg.dataset.DataSet(x, y))).as("%s %s: loss decreases", ws,
                        dataType).isLessThan(first);
            }
        }
    }
}
