package io.github.dl4jdropout.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The mask-aware dropout layer: the README's recurrent configuration (LSTM, time-shared dropout layer, RnnOutputLayer)
 * with padded sequences, which DL4J's own {@code DropoutLayer} cannot run.
 */
class MaskAwareDropoutLayerTest {

    private static final long SEED = 7;
    private static final int N = 6;
    private static final int FEATURES = 3;
    private static final int STEPS = 5;
    private static final int HIDDEN = 4;
    private static final int CLASSES = 2;

    static MultiLayerConfiguration rnn(Layer dropoutLayer, RNNFormat format, boolean inputType) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(SEED)
                .dataType(DataType.DOUBLE).updater(new Adam(1e-2)).list()
                .layer(new LSTM.Builder().nIn(FEATURES).nOut(HIDDEN).dataFormat(format).build())
                .layer(dropoutLayer)
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .dataFormat(format).activation(Activation.SOFTMAX).build());
        if (inputType) {
            b.setInputType(InputType.recurrent(FEATURES, format));
        }
        return b.build();
    }

    /** Sequences of lengths STEPS, STEPS - 1, ..., with padded steps masked in features and labels. */
    static DataSet paddedSequences(RNNFormat format, long seed) {
        Nd4j.getRandom().setSeed(seed);
        long[] featureShape = format == RNNFormat.NCW ? new long[]{N, FEATURES, STEPS} : new long[]{N, STEPS, FEATURES};
        long[] labelShape = format == RNNFormat.NCW ? new long[]{N, CLASSES, STEPS} : new long[]{N, STEPS, CLASSES};
        INDArray x = Nd4j.randn(DataType.DOUBLE, featureShape);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, labelShape);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, N, STEPS);
        for (int i = 0; i < N; i++) {
            int length = Math.max(1, STEPS - i);
            for (int t = 0; t < STEPS; t++) {
                int c = (i + t) % CLASSES;
                y.putScalar(format == RNNFormat.NCW ? new long[]{i, c, t} : new long[]{i, t, c}, 1.0);
                mask.putScalar(i, t, t < length ? 1.0 : 0.0);
            }
        }
        return new DataSet(x, y, mask, mask.dup());
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void dl4jDropoutLayerFailsOnPaddedSequencesWhichIsWhyThisLayerExists() {
        // The DL4J bug this layer fixes, kept as a test so that a DL4J upgrade that fixes it is noticed.
        MultiLayerNetwork net = init(rnn(new DropoutLayer.Builder(Dropouts.timeShared(0.25)).build(), RNNFormat.NCW,
                true));
        DataSet data = paddedSequences(RNNFormat.NCW, 1);
        assertThatThrownBy(() -> net.fit(data)).hasMessageContaining("Mismatched shapes");
        assertThatThrownBy(() -> net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null))
                .hasMessageContaining("Mismatched shapes");
    }

    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void paddedSequencesTrainPredictAndEvaluate(RNNFormat format) {
        MultiLayerNetwork net = init(rnn(Dropouts.layer(Dropouts.timeShared(0.25, format)), format, true));
        DataSet data = paddedSequences(format, 1);
        double before = net.score(data);
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        // Thirty Adam steps on six sequences lower the masked loss; a broken mask or gradient would not.
        assertThat(net.score(data)).isLessThan(before);
        // Unmasked data still trains after masked data (DL4J's DropoutLayer fails here once a masked fit failed).
        net.fit(new DataSet(data.getFeatures(), data.getLabels()));

        INDArray out = net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null);
        assertThat(out.shape()).isEqualTo(data.getLabels().shape());

        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(8).build();
        McPrediction p = mc.predict(data.getFeatures(), data.getFeaturesMaskArray());
        assertThat(p.mean().shape()).isEqualTo(data.getLabels().shape());
        // Dropout is live in the Monte Carlo passes: the spread of the samples is not zero.
        assertThat(p.variance().maxNumber().doubleValue()).isGreaterThan(1e-8);
        McReport report = mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(data)));
        // Exactly the unmasked steps are scored: sum of the lengths 5 + 4 + 3 + 2 + 1 + 1.
        assertThat(report.mc().count()).isEqualTo(16);
    }

    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void paddedStepsAreZeroAndTheMaskIsSharedOverValidSteps(RNNFormat format) {
        MaskAwareDropoutLayer conf = Dropouts.layer(Dropouts.timeShared(0.5, format));
        MultiLayerNetwork net = init(rnn(conf, format, true));
        DataSet data = paddedSequences(format, 3);
        INDArray x = Nd4j.ones(DataType.DOUBLE, data.getFeatures().shape());
        net.setLayerMaskArrays(data.getFeaturesMaskArray(), null);
        org.deeplearning4j.nn.api.Layer layer = net.getLayer(1);
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray dropped = layer.activate(true, LayerWorkspaceMgr.noWorkspaces());
        int timeDim = format == RNNFormat.NCW ? 2 : 1;
        for (int i = 0; i < N; i++) {
            int length = Math.max(1, STEPS - i);
            for (int f = 0; f < FEATURES; f++) {
                double first = value(dropped, format, i, f, 0);
                // Kept values are 1 / (1 - 0.5) = 2, dropped ones 0, the same at every valid step.
                assertThat(first).isIn(0.0, 2.0);
                for (int t = 0; t < STEPS; t++) {
                    assertThat(value(dropped, format, i, f, t)).as("example %d feature %d step %d", i, f, t)
                            .isEqualTo(t < length ? first : 0.0);
                }
            }
        }
        assertThat(dropped.size(timeDim)).isEqualTo(STEPS);
        // Inference: padded steps are zero, valid ones unchanged, and an input the layer may not modify (the
        // network's own input, at layer 0) is left as it was; DL4J's DropoutLayer multiplies it in place.
        INDArray y = Nd4j.ones(DataType.DOUBLE, data.getFeatures().shape());
        layer.allowInputModification(false);
        layer.setInput(y, LayerWorkspaceMgr.noWorkspaces());
        INDArray inference = layer.activate(false, LayerWorkspaceMgr.noWorkspaces());
        assertThat(value(inference, format, N - 2, 0, STEPS - 1)).isZero();
        assertThat(value(inference, format, 0, 0, STEPS - 1)).isEqualTo(1.0);
        assertThat(y).isEqualTo(Nd4j.ones(DataType.DOUBLE, data.getFeatures().shape()));
    }

    private static double value(INDArray a, RNNFormat format, int example, int feature, int step) {
        return format == RNNFormat.NCW ? a.getDouble(example, feature, step) : a.getDouble(example, step, feature);
    }

    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void gradientsAreCorrectWithPaddedSequences(RNNFormat format) {
        // DL4J's gradient check in double precision, masks held fixed by reseeding before every pass; tolerances
        // are DL4J's own for its dropout gradient checks (relative 1e-3, absolute 1e-8, step 1e-6).
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (IDropout d : new IDropout[]{Dropouts.timeShared(0.4, format), Dropouts.standard(0.4),
                    Dropouts.spatial(0.4, format)}) {
                MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED)
                        .dataType(DataType.DOUBLE).updater(new NoOp()).dist(new NormalDistribution(0, 1)).list()
                        .layer(new LSTM.Builder().nIn(FEATURES).nOut(HIDDEN).dataFormat(format)
                                .activation(Activation.TANH).build())
                        .layer(Dropouts.layer(d))
                        .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                                .dataFormat(format).activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.recurrent(FEATURES, format)).build();
                MultiLayerNetwork net = init(conf);
                DataSet data = paddedSequences(format, 8);
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                        .input(data.getFeatures()).labels(data.getLabels())
                        .inputMask(data.getFeaturesMaskArray()).labelMask(data.getLabelsMaskArray())
                        .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                        .callEachIter(n -> Nd4j.getRandom().setSeed(SEED)));
                assertThat(ok).as("%s with %s", format, d).isTrue();
            }
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void paddedInputValuesDoNotChangeValidOutputs() {
        MultiLayerNetwork net = init(rnn(Dropouts.layer(Dropouts.timeShared(0.3)), RNNFormat.NCW, true));
        DataSet data = paddedSequences(RNNFormat.NCW, 4);
        INDArray changed = data.getFeatures().dup();
        changed.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.point(STEPS - 1)).assign(100.0);
        Nd4j.getRandom().setSeed(11);
        INDArray a = net.output(data.getFeatures(), true, data.getFeaturesMaskArray(), null);
        Nd4j.getRandom().setSeed(11);
        INDArray b = net.output(changed, true, data.getFeaturesMaskArray(), null);
        // Same masks (same seed): the only difference is a padded input step, which must not leak anywhere.
        assertThat(a.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all()))
                .isEqualTo(b.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all()));
        assertThat(a.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(0, STEPS - 1)))
                .isEqualTo(b.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(0, STEPS - 1)));
    }

    @Test
    void worksInAGraphWithPaddedSequences() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE)
                .updater(new Adam(1e-2)).graphBuilder().addInputs("in")
                .addLayer("lstm", new LSTM.Builder().nIn(FEATURES).nOut(HIDDEN).build(), "in")
                .addLayer("drop", Dropouts.layer(Dropouts.timeShared(0.25)), "lstm")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "drop")
                .setOutputs("out").setInputTypes(InputType.recurrent(FEATURES)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        DataSet data = paddedSequences(RNNFormat.NCW, 5);
        double before = graph.score(data);
        for (int i = 0; i < 20; i++) {
            graph.fit(data);
        }
        assertThat(graph.score(data)).isLessThan(before);
        McPrediction p = MonteCarloEvaluator.builder(graph).samples(4).build()
                .predict(data.getFeatures(), data.getFeaturesMaskArray());
        assertThat(p.mean().shape()).isEqualTo(data.getLabels().shape());
        LayerVertex vertex = (LayerVertex) conf.getVertices().get("drop");
        assertThat(((MaskAwareDropoutLayer) vertex.getLayerConf().getLayer()).recordedInputType())
                .isEqualTo(InputType.recurrent(HIDDEN));
    }

    @Test
    void recordsTheInputTypeAndRefusesAMismatchedDropoutAtTheFirstStep() {
        MaskAwareDropoutLayer layer = Dropouts.layer(Dropouts.timeShared(0.3, RNNFormat.NWC));
        MultiLayerConfiguration conf = rnn(layer, RNNFormat.NCW, true);
        MaskAwareDropoutLayer built = (MaskAwareDropoutLayer) conf.getConf(1).getLayer();
        assertThat(built.recordedInputType()).isEqualTo(InputType.recurrent(HIDDEN, RNNFormat.NCW));
        assertThatThrownBy(() -> Dropouts.checkFormats(conf)).hasMessageContaining("layer 1")
                .hasMessageContaining("Dropouts.layer(Dropouts.timeShared(0.3, RNNFormat.NCW))");
        MultiLayerNetwork net = init(conf);
        assertThatThrownBy(() -> net.fit(paddedSequences(RNNFormat.NCW, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MaskAwareDropoutLayer")
                .hasMessageContaining("Dropouts.layer(Dropouts.timeShared(0.3, RNNFormat.NCW))");
    }

    @Test
    void withoutAnInputTypeAnAmbiguousMaskIsRefusedNotGuessed() {
        // Standard dropout declares no format; FEATURES == STEPS makes NCW and NWC indistinguishable by shape, and a
        // dropout layer first in the list keeps DL4J from inferring the input type (it does for a first LSTM).
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).list()
                .layer(Dropouts.layer(Dropouts.standard(0.3)))
                .layer(new LSTM.Builder().nIn(STEPS).nOut(STEPS).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(STEPS).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = init(conf);
        INDArray x = Nd4j.randn(DataType.DOUBLE, N, STEPS, STEPS);
        INDArray mask = paddedSequences(RNNFormat.NCW, 1).getFeaturesMaskArray();
        assertThatThrownBy(() -> net.output(x, false, mask, null)).hasMessageContaining("setInputType")
                .hasMessageContaining("[6, 5, 5]");
    }

    @Test
    void jsonModelSerializerAndCloneKeepTheDropoutAndTheInputType() throws IOException {
        MultiLayerConfiguration conf = rnn(Dropouts.layer(Dropouts.timeShared(0.25)), RNNFormat.NCW, true);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertThat(back).isEqualTo(conf);
        MaskAwareDropoutLayer layer = (MaskAwareDropoutLayer) back.getConf(1).getLayer();
        assertThat(layer.getIDropout()).isEqualTo(Dropouts.timeShared(0.25));
        assertThat(layer.recordedInputType()).isEqualTo(InputType.recurrent(HIDDEN));

        MultiLayerNetwork net = init(conf);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(bytes.toByteArray()), true);
        DataSet data = paddedSequences(RNNFormat.NCW, 2);
        Nd4j.getRandom().setSeed(3);
        INDArray a = net.output(data.getFeatures(), true, data.getFeaturesMaskArray(), null);
        Nd4j.getRandom().setSeed(3);
        INDArray b = restored.output(data.getFeatures(), true, data.getFeaturesMaskArray(), null);
        assertThat(b).isEqualTo(a);

        MaskAwareDropoutLayer original = (MaskAwareDropoutLayer) conf.getConf(1).getLayer();
        MaskAwareDropoutLayer clone = original.clone();
        assertThat(clone).isEqualTo(original).isNotSameAs(original);
        assertThat(clone.recordedInputType()).isNotSameAs(original.recordedInputType());
        clone.setNIn(InputType.recurrent(9, RNNFormat.NWC), true);
        assertThat(original.recordedInputType()).isEqualTo(InputType.recurrent(HIDDEN));
    }

    @Test
    void refusesANullDropout() {
        assertThatThrownBy(() -> Dropouts.layer((IDropout) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropout").hasMessageContaining("got null");
        assertThatThrownBy(() -> new MaskAwareDropoutLayer.Builder(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropout");
    }
}
