package io.github.dl4jdropout.layers;

import static io.github.dl4jdropout.layers.LstmFixtures.SEED;
import static io.github.dl4jdropout.layers.LstmFixtures.featuresMask;
import static io.github.dl4jdropout.layers.LstmFixtures.maxAbsDiff;
import static io.github.dl4jdropout.layers.LstmFixtures.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.assertj.core.data.Offset;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * VariationalSimpleRnn: parity with DL4J's SimpleRnn (rate 0 and inference), DL4J gradient checks in double precision
 * with the RNG reseeded before every pass (so the input and recurrent masks are fixed), the recurrent mask's
 * statistics and its effect on the forward pass, streaming, serialization and the Monte Carlo evaluator.
 */
class VariationalSimpleRnnTest {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private static MultiLayerNetwork net(Layer rnn, long nIn, long hidden, RNNFormat format, DataType dataType) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(dataType)
                .updater(new NoOp()).dist(new NormalDistribution(0, 0.5))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).list()
                .layer(rnn)
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(hidden).nOut(3).dataFormat(format)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(nIn, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray labels(RNNFormat format, DataType dataType, int examples, int steps) {
        INDArray y = Nd4j.zeros(dataType, format == RNNFormat.NCW
                ? new long[]{examples, 3, steps} : new long[]{examples, steps, 3});
        for (int i = 0; i < examples; i++) {
            for (int t = 0; t < steps; t++) {
                int c = (i + 2 * t) % 3;
                y.putScalar(format == RNNFormat.NCW ? new long[]{i, c, t} : new long[]{i, t, c}, 1.0);
            }
        }
        return y;
    }

    private static VariationalSimpleRnn.Builder variational(RNNFormat format, long nIn, long nOut) {
        return new VariationalSimpleRnn.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH)
                .dataFormat(format);
    }

    /**
     * With recurrent rate 0 and no input dropout, outputs (FLOAT, 1e-5) and training gradients (1e-5) equal DL4J's
     * SimpleRnn on the same parameters, with and without a features mask.
     */
    @ParameterizedTest(name = "{0}, masked {1}")
    @CsvSource({"NCW, false", "NCW, true", "NWC, false", "NWC, true"})
    void equalsDl4jSimpleRnnWithoutDropout(RNNFormat format, boolean masked) {
        MultiLayerNetwork ours = net(variational(format, 4, 6).build(), 4, 6, format, DataType.FLOAT);
        MultiLayerNetwork dl4j = net(new SimpleRnn.Builder().nIn(4).nOut(6).activation(Activation.TANH)
                .dataFormat(format).build(), 4, 6, format, DataType.FLOAT);
        assertThat(ours.numParams()).isEqualTo(dl4j.numParams());
        dl4j.setParams(ours.params());
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(format, DataType.FLOAT, 5, 4, 7);
        INDArray mask = masked ? featuresMask(DataType.FLOAT, 5, 7) : null;
        INDArray y = labels(format, DataType.FLOAT, 5, 7);

        assertThat(maxAbsDiff(ours.output(x, false, mask, null), dl4j.output(x, false, mask, null)))
                .isLessThan(1e-5);
        assertThat(maxAbsDiff(LstmFixtures.gradient(ours, x, y, mask, SEED),
                LstmFixtures.gradient(dl4j, x, y, mask, SEED))).isLessThan(1e-5);
    }

    /**
     * DL4J 1.0.0-M2.1's SimpleRnn with layer normalization cannot run (it indexes its rank-1 gain view as a row);
     * this layer runs it, with the same parameter count, and its gradients are checked below.
     */
    @Test
    void layerNormRunsWhereDl4jsSimpleRnnFails() {
        MultiLayerNetwork dl4j = net(new SimpleRnn.Builder().nIn(4).nOut(6).activation(Activation.TANH)
                .hasLayerNorm(true).build(), 4, 6, RNNFormat.NCW, DataType.FLOAT);
        MultiLayerNetwork ours = net(variational(RNNFormat.NCW, 4, 6).hasLayerNorm(true).build(), 4, 6,
                RNNFormat.NCW, DataType.FLOAT);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 5, 4, 7);
        assertThatThrownBy(() -> dl4j.output(x, false)).hasMessageContaining("Indices are out of range");
        assertThat(ours.numParams()).isEqualTo(dl4j.numParams());
        assertThat(ours.output(x, false).isNaN().any()).isFalse();
    }

    /** Inference uses no mask: with recurrent and input dropout set, output(x, false) still equals DL4J's. */
    @Test
    void inferenceIgnoresTheMasks() {
        MultiLayerNetwork ours = net(variational(RNNFormat.NCW, 4, 6).dropOut(Dropouts.timeShared(0.3))
                .recurrentDropout(0.5).build(), 4, 6, RNNFormat.NCW, DataType.FLOAT);
        MultiLayerNetwork dl4j = net(new SimpleRnn.Builder().nIn(4).nOut(6).activation(Activation.TANH).build(),
                4, 6, RNNFormat.NCW, DataType.FLOAT);
        dl4j.setParams(ours.params());
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 5, 4, 7);
        assertThat(maxAbsDiff(ours.output(x, false), dl4j.output(x, false))).isLessThan(1e-6);
        assertThat(maxAbsDiff(ours.output(x, true), dl4j.output(x, false))).as("training mode samples")
                .isGreaterThan(1e-3);
    }

    private static boolean gradientCheck(MultiLayerNetwork net, INDArray x, INDArray y, INDArray mask) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask).labelMask(mask).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .callEachIter(n -> Nd4j.getRandom().setSeed(SEED)));
    }

    /**
     * DL4J's gradient check (relative error 1e-3, absolute 1e-8, step 1e-6; DL4J's own tolerances for dropout) of
     * two stacked layers with time-shared input dropout and recurrent dropout, in both formats, with and without
     * padding. A missing mask on the recurrent-weight gradient or on the error into h(t-1), or the input dropout
     * backpropagated in the wrong layout (DL4J's SimpleRnn in NWC), fails it.
     */
    @ParameterizedTest(name = "{0}, masked {1}")
    @CsvSource({"NCW, false", "NCW, true", "NWC, false", "NWC, true"})
    void gradientCheckWithInputAndRecurrentDropout(RNNFormat format, boolean masked) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).dist(new NormalDistribution(0, 1)).list()
                    .layer(variational(format, 3, 4).dropOut(Dropouts.timeShared(0.3, format))
                            .recurrentDropout(0.4).build())
                    .layer(variational(format, 4, 4).dropOut(Dropouts.timeShared(0.2, format))
                            .recurrentDropout(0.5).build())
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(3).dataFormat(format)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.recurrent(3, 5, format))
                    .build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            Nd4j.getRandom().setSeed(SEED);
            INDArray x = sequences(format, DataType.DOUBLE, 4, 3, 5);
            INDArray mask = masked ? featuresMask(DataType.DOUBLE, 4, 5) : null;
            assertThat(gradientCheck(net, x, labels(format, DataType.DOUBLE, 4, 5), mask)).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    /** Gradient check with layer normalization, and inside a Bidirectional wrapper. */
    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void gradientCheckWithLayerNormInsideBidirectional(RNNFormat format) {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).dist(new NormalDistribution(0, 1)).list()
                    .layer(new Bidirectional(Bidirectional.Mode.CONCAT, variational(format, 3, 4)
                            .hasLayerNorm(true).recurrentDropout(0.4).build()))
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(3).dataFormat(format)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.recurrent(3, 5, format))
                    .build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            Nd4j.getRandom().setSeed(SEED);
            INDArray x = sequences(format, DataType.DOUBLE, 3, 3, 5);
            assertThat(gradientCheck(net, x, labels(format, DataType.DOUBLE, 3, 5), null)).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    /**
     * Rate 0.3 on a [1000, 400] mask (n = 400,000): zeros within 5 sigma of 0.3 (sigma = sqrt(0.21 / n) = 7.2e-4, so
     * 0.0036), kept values exactly 1 / 0.7 (1e-6), and every example its own mask (equal rows of 400 units have
     * probability about 0.58^400).
     */
    @Test
    void onePerExampleMaskDropsTheRateAndScalesTheRest() {
        MultiLayerNetwork net = net(variational(RNNFormat.NCW, 2, 400).recurrentDropout(0.3).build(), 2, 400,
                RNNFormat.NCW, DataType.FLOAT);
        VariationalSimpleRnnLayer layer = (VariationalSimpleRnnLayer) net.getLayer(0);
        Nd4j.getRandom().setSeed(SEED);
        layer.activate(sequences(RNNFormat.NCW, DataType.FLOAT, 1000, 2, 2), true, NO_WS);
        INDArray mask = layer.currentRecurrentMask();
        assertThat(mask.shape()).containsExactly(1000, 400);
        INDArray isZero = mask.eq(0.0).castTo(DataType.DOUBLE);
        INDArray isKept = Transforms.abs(mask.castTo(DataType.DOUBLE).sub(1.0 / 0.7)).lt(1e-6)
                .castTo(DataType.DOUBLE);
        assertThat(isZero.add(isKept).minNumber().doubleValue()).isEqualTo(1.0);
        assertThat(isZero.meanNumber().doubleValue()).isCloseTo(0.3, Offset.offset(0.0036));
        java.util.Set<String> rows = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(mask.getRow(i).toString());
        }
        assertThat(rows).hasSize(1000);
    }

    /**
     * The training-mode output equals a step-by-step computation of tanh(x(t) W + (h(t-1) * m) RW + b) with the
     * layer's one mask m at every step (NWC, so the layout handling is covered too); a per-step mask would not.
     */
    @Test
    void theSameMaskAtEveryStep() {
        MultiLayerNetwork net = net(variational(RNNFormat.NWC, 3, 5).recurrentDropout(0.5).build(), 3, 5,
                RNNFormat.NWC, DataType.DOUBLE);
        VariationalSimpleRnnLayer layer = (VariationalSimpleRnnLayer) net.getLayer(0);
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NWC, DataType.DOUBLE, 4, 3, 6);
        INDArray out = layer.activate(x, true, NO_WS).dup();
        INDArray m = layer.currentRecurrentMask();
        INDArray w = net.getParam("0_" + SimpleRnnParamInitializer.WEIGHT_KEY);
        INDArray rw = net.getParam("0_" + SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray b = net.getParam("0_" + SimpleRnnParamInitializer.BIAS_KEY);
        INDArray h = Nd4j.zeros(DataType.DOUBLE, 4, 5);
        for (int t = 0; t < 6; t++) {
            INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
            h = Transforms.tanh(xt.mmul(w).add(h.mul(m).mmul(rw)).addRowVector(b));
            assertThat(maxAbsDiff(out.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()), h))
                    .as("step " + t).isLessThan(1e-10);
        }
    }

    /** rnnTimeStep (inference, no mask) step by step equals the whole-sequence output, in both formats. */
    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void rnnTimeStepMatchesTheWholeSequence(RNNFormat format) {
        MultiLayerNetwork net = net(variational(format, 3, 5).recurrentDropout(0.5).build(), 3, 5, format,
                DataType.FLOAT);
        INDArray x = sequences(format, DataType.FLOAT, 2, 3, 4);
        INDArray whole = net.output(x, false);
        net.rnnClearPreviousState();
        for (int t = 0; t < 4; t++) {
            INDArray step = format == RNNFormat.NCW
                    ? x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1))
                    : x.get(NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1), NDArrayIndex.all());
            INDArray expected = format == RNNFormat.NCW
                    ? whole.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1))
                    : whole.get(NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1), NDArrayIndex.all());
            assertThat(maxAbsDiff(net.rnnTimeStep(step), expected)).as("step " + t).isLessThan(1e-5);
        }
    }

    /** JSON and ModelSerializer round trips keep the class, the rate and the parameters; the copy samples too. */
    @Test
    void serializationRoundTrips() throws Exception {
        MultiLayerNetwork net = net(variational(RNNFormat.NWC, 3, 5).dropOut(Dropouts.timeShared(0.2, RNNFormat.NWC))
                .recurrentDropout(0.25).hasLayerNorm(true).build(), 3, 5, RNNFormat.NWC, DataType.FLOAT);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertThat(back).isEqualTo(net.getLayerWiseConfigurations());
        VariationalSimpleRnn read = (VariationalSimpleRnn) back.getConf(0).getLayer();
        assertThat(read.recurrentDropoutRateAt(0, 0)).isEqualTo(0.25);
        assertThat(read.hasLayerNorm()).isTrue();
        assertThat(read.getRnnDataFormat()).isEqualTo(RNNFormat.NWC);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(bytes.toByteArray()), false);
        assertThat(restored.params()).isEqualTo(net.params());
        INDArray x = sequences(RNNFormat.NWC, DataType.FLOAT, 2, 3, 4);
        assertThat(maxAbsDiff(restored.output(x, false), net.output(x, false))).isEqualTo(0.0);
        assertThat(restored.getLayer(0)).isInstanceOf(VariationalSimpleRnnLayer.class);
    }

    /** Clones are independent and equal; a DL4J SimpleRnn with the same settings is not equal, either way. */
    @Test
    void cloneEqualsAndToString() {
        VariationalSimpleRnn conf = variational(RNNFormat.NCW, 3, 5).recurrentDropout(0.25).build();
        VariationalSimpleRnn copy = conf.clone();
        assertThat(copy).isEqualTo(conf).hasSameHashCodeAs(conf);
        assertThat(copy.recurrentDropoutSchedule()).isNotSameAs(conf.recurrentDropoutSchedule());
        SimpleRnn dl4j = new SimpleRnn.Builder().nIn(3).nOut(5).activation(Activation.TANH).build();
        assertThat(conf).isNotEqualTo(dl4j);
        assertThat(dl4j).isNotEqualTo(conf);
        assertThat(conf.toString()).startsWith("VariationalSimpleRnn(recurrentDropRate=0.25");
        assertThat(variational(RNNFormat.NCW, 3, 5).recurrentDropout(0.3).build()).isNotEqualTo(conf);
    }

    /** Bad rates and DL4J's recurrentWeights noise are refused at configuration time, naming the setting. */
    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new VariationalSimpleRnn.Builder().recurrentDropout(1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recurrentDropout")
                .hasMessageContaining("1.0");
        assertThatThrownBy(() -> new VariationalSimpleRnn.Builder().recurrentDropout(-0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recurrentDropout");
        assertThatThrownBy(() -> new VariationalSimpleRnn.Builder().nIn(2).nOut(3)
                .weightNoise(Dropouts.recurrentWeights(0.2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".recurrentDropout(rate)");
    }

    /**
     * The Monte Carlo evaluator counts a network whose only noise is the recurrent mask as stochastic and samples it
     * it: the predictive variance is positive.
     */
    @Test
    void monteCarloSamplesTheRecurrentMask() {
        MultiLayerNetwork net = net(variational(RNNFormat.NCW, 3, 8).recurrentDropout(0.5).build(), 3, 8,
                RNNFormat.NCW, DataType.FLOAT);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 6, 3, 5);
        McPrediction p = MonteCarloEvaluator.builder(net).samples(40).seed(7).build().predict(x);
        assertThat(p.variance().maxNumber().doubleValue()).isGreaterThan(1e-4);
    }
}
