package io.github.dl4jdropout.layers;

import static io.github.dl4jdropout.layers.LstmFixtures.SEED;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.Dropouts;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * DL4J's gradient checks (central differences in double precision against backprop) of VariationalLSTM with
 * recurrent dropout and input dropout together. The RNG is reseeded before every pass, so every pass draws the same
 * input and recurrent masks and the network is a fixed function of its parameters. Tolerances are DL4J's own for its
 * dropout gradient checks: relative error 1e-3, absolute 1e-8, step 1e-6.
 *
 * <p>A wrong recurrent-mask term in backprop (the masked h(t-1) in the recurrent-weight gradient, or the mask on the
 * error flowing into h(t-1)) fails these checks; so does NWC input dropout computed from the undropped input, which
 * is what DL4J's own LSTM does.
 */
class VariationalLstmGradientCheckTest {

    private static DataType previousDefault;
    private static DataType previousFloatingDefault;

    @BeforeAll
    static void doublePrecision() {
        previousDefault = Nd4j.dataType();
        previousFloatingDefault = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDefault, previousFloatingDefault);
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new NoOp())
                .dist(new NormalDistribution(0, 1));
    }

    private static boolean check(MultiLayerConfiguration conf, INDArray features, INDArray labels, INDArray mask) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(features)
                .labels(labels).inputMask(mask).labelMask(labels.rank() == 3 ? mask : null).epsilon(1e-6)
                .maxRelError(1e-3).minAbsoluteError(1e-8).callEachIter(n -> Nd4j.getRandom().setSeed(SEED)));
    }

    private static VariationalLSTM.Builder lstm(RNNFormat format, long nIn, long nOut) {
        return new VariationalLSTM.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).dataFormat(format)
                .dropOut(Dropouts.timeShared(0.3, format)).recurrentDropout(0.4);
    }

    /** One-hot labels per step, in the format's layout. */
    static INDArray sequenceLabels(RNNFormat format, int examples, int classes, int steps) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, format == RNNFormat.NCW
                ? new long[]{examples, classes, steps} : new long[]{examples, steps, classes});
        for (int i = 0; i < examples; i++) {
            for (int t = 0; t < steps; t++) {
                int c = (i + t) % classes;
                y.putScalar(format == RNNFormat.NCW ? new long[]{i, c, t} : new long[]{i, t, c}, 1.0);
            }
        }
        return y;
    }

    /**
     * Two stacked VariationalLSTMs, both with input and recurrent dropout, in both formats, with and without a
     * features mask (post- and pre-padded examples): the second layer's input gradient goes through the first
     * layer's input-dropout backprop in the layer's own format.
     */
    @ParameterizedTest(name = "{0}, masked {1}")
    @CsvSource({"NCW, false", "NCW, true", "NWC, false", "NWC, true"})
    void stackedWithInputAndRecurrentDropout(RNNFormat format, boolean masked) {
        MultiLayerConfiguration conf = base().list()
                .layer(lstm(format, 3, 4).build())
                .layer(lstm(format, 4, 4).recurrentDropout(0.5).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).dataFormat(format)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 5, format))
                .build();
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = LstmFixtures.sequences(format, DataType.DOUBLE, 4, 3, 5);
        INDArray mask = masked ? LstmFixtures.featuresMask(DataType.DOUBLE, 4, 5) : null;
        assertThat(check(conf, x, sequenceLabels(format, 4, 2, 5), mask)).isTrue();
    }

    /** Gates other than sigmoid take DL4J's generic gate path (tanh gates: smooth, as a gradient check needs). */
    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void genericGatePathWithSoftsignActivation(RNNFormat format) {
        MultiLayerConfiguration conf = base().list()
                .layer(lstm(format, 3, 4).activation(Activation.SOFTSIGN).gateActivationFunction(Activation.TANH)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).dataFormat(format)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 5, format))
                .build();
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = LstmFixtures.sequences(format, DataType.DOUBLE, 3, 3, 5);
        assertThat(check(conf, x, sequenceLabels(format, 3, 2, 5), null)).isTrue();
    }

    /** Inside DL4J's Bidirectional wrapper: the backward copy has its own masks. */
    @ParameterizedTest(name = "{0}, {1}, masked {2}")
    @CsvSource({"NCW, CONCAT, false", "NCW, ADD, true", "NWC, CONCAT, true", "NWC, MUL, false"})
    void insideBidirectional(RNNFormat format, Bidirectional.Mode mode, boolean masked) {
        long out = mode == Bidirectional.Mode.CONCAT ? 8 : 4;
        MultiLayerConfiguration conf = base().list()
                .layer(new Bidirectional(mode, lstm(format, 3, 4).build()))
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(out).nOut(2).dataFormat(format)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 5, format))
                .build();
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = LstmFixtures.sequences(format, DataType.DOUBLE, 3, 3, 5);
        INDArray mask = masked ? LstmFixtures.featuresMask(DataType.DOUBLE, 3, 5) : null;
        assertThat(check(conf, x, sequenceLabels(format, 3, 2, 5), mask)).isTrue();
    }

    /** Inside LastTimeStep (with a mask, it takes each example's last real step) and with a scheduled rate. */
    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void insideLastTimeStepWithAScheduledRate(RNNFormat format) {
        MultiLayerConfiguration conf = base().list()
                .layer(new LastTimeStep(lstm(format, 3, 4).recurrentDropout(
                        new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.3, 10, 0.1))).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(3, 6, format))
                .build();
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = LstmFixtures.sequences(format, DataType.DOUBLE, 4, 3, 6);
        INDArray labels = Nd4j.eye(2).castTo(DataType.DOUBLE).getRows(0, 1, 0, 1);
        assertThat(check(conf, x, labels, LstmFixtures.featuresMask(DataType.DOUBLE, 4, 6))).isTrue();
    }

    @Test
    void inAComputationGraph() {
        ComputationGraphConfiguration conf = base().graphBuilder().addInputs("in")
                .addLayer("lstm", lstm(RNNFormat.NCW, 3, 4).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "lstm")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(3, 5))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = LstmFixtures.sequences(RNNFormat.NCW, DataType.DOUBLE, 3, 3, 5);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{sequenceLabels(RNNFormat.NCW, 3, 2, 5)})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .callEachIter(g -> Nd4j.getRandom().setSeed(SEED)));
        assertThat(ok).isTrue();
    }
}
