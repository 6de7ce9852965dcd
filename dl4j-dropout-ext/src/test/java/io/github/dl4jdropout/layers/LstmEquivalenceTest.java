package io.github.dl4jdropout.layers;

import static io.github.dl4jdropout.layers.LstmFixtures.SEED;
import static io.github.dl4jdropout.layers.LstmFixtures.gradient;
import static io.github.dl4jdropout.layers.LstmFixtures.maxAbsDiff;
import static io.github.dl4jdropout.layers.LstmFixtures.net;
import static io.github.dl4jdropout.layers.LstmFixtures.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * With a recurrent drop rate of 0, a VariationalLSTM is DL4J's LSTM: the same parameters (layout and
 * initialization), the same outputs and the same gradients, for every activation and gate activation DL4J offers,
 * both data formats, FLOAT and DOUBLE, with and without workspaces and features masks.
 *
 * <p>Tolerance: 1e-5 absolute in FLOAT (the brief's bound; the computations are the same operations in the same
 * order, so the differences seen are 0), 1e-12 in DOUBLE.
 */
class LstmEquivalenceTest {

    private static final long N_IN = 4;
    private static final long HIDDEN = 5;
    private static final long N_OUT = 3;
    private static final long EXAMPLES = 3;
    private static final long STEPS = 6;

    /**
     * Every activation of DL4J's {@link Activation} with the two gate activations DL4J's LSTM documents (sigmoid,
     * its fast path, and hard sigmoid, the generic path), and every activation as gate activation with tanh. Run with
     * {@code -Dvlstm.allActivationPairs=true} for the full cross product of 441 pairs (about a minute on 2 idle cores;
     * it adds no code path: the layer activation and the non-sigmoid gate activation are each called through one
     * generic path).
     */
    static Stream<Arguments> activationPairs() {
        boolean all = Boolean.getBoolean("vlstm.allActivationPairs");
        List<Arguments> pairs = new ArrayList<>();
        for (Activation activation : Activation.values()) {
            for (Activation gate : Activation.values()) {
                boolean documentedGate = gate == Activation.SIGMOID || gate == Activation.HARDSIGMOID;
                if (all || documentedGate || activation == Activation.TANH) {
                    pairs.add(Arguments.of(activation, gate));
                }
            }
        }
        return pairs.stream();
    }

    private static LSTM dl4j(Activation activation, Activation gate, RNNFormat format) {
        return new LSTM.Builder().nIn(N_IN).nOut(HIDDEN).activation(activation).gateActivationFunction(gate)
                .dataFormat(format).build();
    }

    private static VariationalLSTM ours(Activation activation, Activation gate, RNNFormat format) {
        return new VariationalLSTM.Builder().nIn(N_IN).nOut(HIDDEN).activation(activation)
                .gateActivationFunction(gate).dataFormat(format).build();
    }

    private static void assertSameAsDl4j(MultiLayerNetwork dl4j, MultiLayerNetwork ours, INDArray x, INDArray y,
                                         INDArray mask, double tolerance, String what) {
        assertThat(ours.params()).as("%s: same seed, same parameters", what).isEqualTo(dl4j.params());
        assertThat(ours.getLayer(0).paramTable().keySet()).isEqualTo(dl4j.getLayer(0).paramTable().keySet());
        for (String key : dl4j.getLayer(0).paramTable().keySet()) {
            assertThat(ours.getLayer(0).getParam(key).shape()).isEqualTo(dl4j.getLayer(0).getParam(key).shape());
        }
        for (boolean training : new boolean[]{false, true}) {
            Nd4j.getRandom().setSeed(SEED);
            INDArray expected = dl4j.output(x, training, mask, null);
            Nd4j.getRandom().setSeed(SEED);
            INDArray actual = ours.output(x, training, mask, null);
            assertThat(maxAbsDiff(actual, expected)).as("%s: output, training=%s", what, training)
                    .isLessThanOrEqualTo(tolerance);
        }
        INDArray gExpected = gradient(dl4j, x, y, mask, SEED);
        INDArray gActual = gradient(ours, x, y, mask, SEED);
        assertThat(maxAbsDiff(gActual, gExpected)).as("%s: gradient", what).isLessThanOrEqualTo(tolerance);
        assertThat(ours.score()).as("%s: score", what).isCloseTo(dl4j.score(), org.assertj.core.data.Offset.offset(
                tolerance));
    }

    /**
     * The (activation, gate activation) pairs of {@link #activationPairs()}; DL4J's LSTM accepts every
     * {@link Activation} in both roles. RRELU samples in training mode: both layers draw in the same order after the
     * same seed.
     */
    @ParameterizedTest(name = "activation {0}, gates {1}")
    @MethodSource("activationPairs")
    void sameOutputsAndGradientsAsDl4jLstmForEveryActivationPair(Activation activation, Activation gate) {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, EXAMPLES, N_IN, STEPS);
        INDArray y = sequences(RNNFormat.NCW, DataType.FLOAT, EXAMPLES, N_OUT, STEPS);
        MultiLayerNetwork dl4j = net(dl4j(activation, gate, RNNFormat.NCW), N_IN, HIDDEN, N_OUT, RNNFormat.NCW,
                DataType.FLOAT, WorkspaceMode.ENABLED);
        MultiLayerNetwork ours = net(ours(activation, gate, RNNFormat.NCW), N_IN, HIDDEN, N_OUT, RNNFormat.NCW,
                DataType.FLOAT, WorkspaceMode.ENABLED);
        assertSameAsDl4j(dl4j, ours, x, y, null, 1e-5, activation + "/" + gate);
    }

    static Stream<Arguments> formatsTypesWorkspacesMasks() {
        List<Arguments> cases = new ArrayList<>();
        for (RNNFormat format : RNNFormat.values()) {
            for (DataType dataType : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
                for (WorkspaceMode ws : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
                    for (boolean masked : new boolean[]{false, true}) {
                        cases.add(Arguments.of(format, dataType, ws, masked));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} workspaces {2} masked {3}")
    @MethodSource("formatsTypesWorkspacesMasks")
    void sameAsDl4jLstmInEveryFormatTypeAndWorkspaceMode(RNNFormat format, DataType dataType, WorkspaceMode ws,
                                                        boolean masked) {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(format, dataType, EXAMPLES, N_IN, STEPS);
        INDArray y = sequences(format, dataType, EXAMPLES, N_OUT, STEPS);
        INDArray mask = masked ? LstmFixtures.featuresMask(dataType, EXAMPLES, STEPS) : null;
        MultiLayerNetwork dl4j = net(dl4j(Activation.TANH, Activation.SIGMOID, format), N_IN, HIDDEN, N_OUT, format,
                dataType, ws);
        MultiLayerNetwork ours = net(ours(Activation.TANH, Activation.SIGMOID, format), N_IN, HIDDEN, N_OUT, format,
                dataType, ws);
        assertSameAsDl4j(dl4j, ours, x, y, mask, dataType == DataType.FLOAT ? 1e-5 : 1e-12,
                format + " " + dataType + " " + ws + (masked ? " masked" : ""));
    }

    /**
     * NCW input dropout is correct in DL4J's LSTM: with the same time-shared dropout and seed, both layers draw the
     * same input mask, so outputs and gradients still agree.
     */
    @Test
    void sameAsDl4jLstmWithTheSameInputDropoutInNcw() {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, EXAMPLES, N_IN, STEPS);
        INDArray y = sequences(RNNFormat.NCW, DataType.FLOAT, EXAMPLES, N_OUT, STEPS);
        MultiLayerNetwork dl4j = net(new LSTM.Builder().nIn(N_IN).nOut(HIDDEN).activation(Activation.TANH)
                .dropOut(Dropouts.timeShared(0.4)).build(), N_IN, HIDDEN, N_OUT, RNNFormat.NCW, DataType.FLOAT,
                WorkspaceMode.ENABLED);
        MultiLayerNetwork ours = net(new VariationalLSTM.Builder().nIn(N_IN).nOut(HIDDEN).activation(Activation.TANH)
                .dropOut(Dropouts.timeShared(0.4)).build(), N_IN, HIDDEN, N_OUT, RNNFormat.NCW, DataType.FLOAT,
                WorkspaceMode.ENABLED);
        assertSameAsDl4j(dl4j, ours, x, y, null, 1e-5, "NCW input dropout");
    }

    /**
     * A DL4J LSTM's parameters (randomized, as after training) copied into a VariationalLSTM give DL4J's inference
     * outputs, also with both drop rates above 0 (inference uses no mask); copied back, they are unchanged.
     */
    @Test
    void parametersOfADl4jLstmCopyInAndOut() {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, EXAMPLES, N_IN, STEPS);
        MultiLayerNetwork dl4j = net(dl4j(Activation.TANH, Activation.SIGMOID, RNNFormat.NCW), N_IN, HIDDEN, N_OUT,
                RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        dl4j.setParams(Nd4j.rand(DataType.FLOAT, 1, dl4j.numParams()).subi(0.5));
        MultiLayerNetwork ours = net(new VariationalLSTM.Builder().nIn(N_IN).nOut(HIDDEN).activation(Activation.TANH)
                        .dropOut(Dropouts.timeShared(0.3)).recurrentDropout(0.3).build(), N_IN, HIDDEN, N_OUT,
                RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        assertThat(ours.numParams()).isEqualTo(dl4j.numParams());
        for (String key : dl4j.getLayer(0).paramTable().keySet()) {
            ours.getLayer(0).setParam(key, dl4j.getLayer(0).getParam(key).dup());
        }
        ours.getLayer(1).setParams(dl4j.getLayer(1).params().dup());
        assertThat(maxAbsDiff(ours.output(x), dl4j.output(x))).isLessThanOrEqualTo(1e-5);
        MultiLayerNetwork back = net(dl4j(Activation.TANH, Activation.SIGMOID, RNNFormat.NCW), N_IN, HIDDEN, N_OUT,
                RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        back.setParams(ours.params().dup());
        assertThat(back.params()).isEqualTo(dl4j.params());
    }

    @Test
    void rejectsInputOfTheWrongSizeNamingTheLayerAndShape() {
        MultiLayerNetwork ours = net(new VariationalLSTM.Builder().nIn(N_IN).nOut(HIDDEN).name("encoder").build(),
                N_IN, HIDDEN, N_OUT, RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        assertThatThrownBy(() -> ours.output(Nd4j.rand(DataType.FLOAT, 2, N_IN + 1, 4)))
                .hasMessageContaining("VariationalLSTM 'encoder'").hasMessageContaining("[2, 5, 4]")
                .hasMessageContaining("nIn = 4");
    }
}
