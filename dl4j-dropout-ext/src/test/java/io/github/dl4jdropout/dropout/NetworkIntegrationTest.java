package io.github.dl4jdropout.dropout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The variants inside real networks: shared instances, clones, the global builder, graphs, DropoutLayer, transfer
 * learning, workspaces, data types, determinism and that each kind of network still learns.
 */
class NetworkIntegrationTest {

    private static final long SEED = 42;

    private static DataSet classification(int examples, int features, int classes, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, examples, features);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, classes);
        // A learnable rule: the class is the index of the largest of the first `classes` features.
        INDArray argmax = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, classes)).argMax(1);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, argmax.getInt(i), 1.0);
        }
        return new DataSet(x, labels);
    }

    private static MultiLayerConfiguration mlp(IDropout d0, IDropout d1, IDropout d2, WorkspaceMode mode,
                                               DataType dataType) {
        // SGD, not Adam: DL4J's Adam diverges to NaN in HALF precision even without dropout (epsilon underflows).
        IUpdater updater = dataType == DataType.HALF ? new Sgd(0.1) : new Adam(1e-2);
        return new NeuralNetConfiguration.Builder().seed(SEED).updater(updater).dataType(dataType)
                .trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode).list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(16).activation(Activation.RELU).dropOut(d0).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).dropOut(d1).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX)
                        .dropOut(d2).build())
                .build();
    }

    private static INDArray train(MultiLayerNetwork net, DataSet data, int iterations) {
        Nd4j.getRandom().setSeed(SEED);
        for (int i = 0; i < iterations; i++) {
            net.fit(data);
        }
        return net.params().dup();
    }

    @Test
    void oneInstanceOnEveryLayerTrainsExactlyLikeOneInstancePerLayer() {
        DataSet data = classification(32, 10, 3, 1);
        IDropout shared = Dropouts.standard(0.3);
        MultiLayerNetwork sharedNet = new MultiLayerNetwork(mlp(shared, shared, shared, WorkspaceMode.ENABLED,
                DataType.FLOAT));
        sharedNet.init();
        MultiLayerNetwork separateNet = new MultiLayerNetwork(mlp(shared.clone(), shared.clone(), shared.clone(),
                WorkspaceMode.ENABLED, DataType.FLOAT));
        separateNet.init();
        assertThat(sharedNet.getLayer(0).conf().getLayer().getIDropout())
                .isSameAs(sharedNet.getLayer(1).conf().getLayer().getIDropout());
        assertThat(train(sharedNet, data, 10)).isEqualTo(train(separateNet, data, 10));
    }

    @Test
    void dl4jsOwnDropoutFailsInTheSameSharedSetting() {
        // The scenario above is the one that breaks DL4J's own class: proof that the test exercises sharing.
        IDropout shared = new Dropout(0.7);
        MultiLayerNetwork net = new MultiLayerNetwork(mlp(shared, shared, shared, WorkspaceMode.ENABLED,
                DataType.FLOAT));
        net.init();
        assertThatThrownBy(() -> net.fit(classification(8, 10, 3, 1))).hasMessageContaining("mask array is absent");
    }

    @Test
    void sharedTimeSharedDropoutAndRecurrentWeightDropoutMatchSeparateInstances() {
        DataSet data = sequenceData(8, 3, 6, 2, RNNFormat.NCW, 2);
        IDropout shared = Dropouts.timeShared(0.3);
        IWeightNoise sharedNoise = Dropouts.recurrentWeights(0.2);
        BiFunction<IDropout[], IWeightNoise[], MultiLayerConfiguration> conf = (d, w) ->
                new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2)).list()
                        .layer(new LSTM.Builder().nIn(3).nOut(5).dropOut(d[0]).weightNoise(w[0]).build())
                        .layer(new LSTM.Builder().nIn(5).nOut(5).dropOut(d[1]).weightNoise(w[1]).build())
                        .layer(new DropoutLayer.Builder().dropOut(d[2]).build())
                        .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(5).nOut(2)
                                .activation(Activation.SOFTMAX).build())
                        .build();
        MultiLayerNetwork a = new MultiLayerNetwork(conf.apply(new IDropout[]{shared, shared, shared},
                new IWeightNoise[]{sharedNoise, sharedNoise}));
        a.init();
        MultiLayerNetwork b = new MultiLayerNetwork(conf.apply(new IDropout[]{shared.clone(), shared.clone(),
                shared.clone()}, new IWeightNoise[]{sharedNoise.clone(), sharedNoise.clone()}));
        b.init();
        assertThat(((org.deeplearning4j.nn.conf.layers.BaseLayer) a.getLayer(0).conf().getLayer()).getWeightNoise())
                .isSameAs(((org.deeplearning4j.nn.conf.layers.BaseLayer) a.getLayer(1).conf().getLayer())
                        .getWeightNoise());
        assertThat(train(a, data, 5)).isEqualTo(train(b, data, 5));
    }

    @Test
    void globalBuilderSettingAndCloneBehaveLikeSeparateInstances() {
        DataSet data = classification(32, 10, 3, 2);
        MultiLayerConfiguration global = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2))
                .dropOut(Dropouts.standard(0.4)).list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(global);
        net.init();
        MultiLayerNetwork copy = net.clone();
        MultiLayerNetwork reference = new MultiLayerNetwork(mlp(Dropouts.standard(0.4), Dropouts.standard(0.4),
                Dropouts.standard(0.4), WorkspaceMode.ENABLED, DataType.FLOAT));
        reference.init();
        reference.setParams(net.params().dup());
        INDArray trained = train(net, data, 8);
        assertThat(train(copy, data, 8)).isEqualTo(trained);
        assertThat(train(reference, data, 8)).isEqualTo(trained);
    }

    @Test
    void computationGraphWithASharedInstanceMatchesSeparateInstancesAndItsClone() {
        DataSet data = classification(32, 10, 3, 3);
        IDropout shared = Dropouts.standard(0.3);
        Function<IDropout[], ComputationGraphConfiguration> conf = d -> new NeuralNetConfiguration.Builder()
                .seed(SEED).updater(new Adam(1e-2)).graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.RELU).dropOut(d[0])
                        .build(), "in")
                .addLayer("b", new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.TANH).dropOut(d[1])
                        .build(), "in")
                .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).dropOut(d[2]).build(), "merge")
                .setOutputs("out").build();
        ComputationGraph sharedNet = new ComputationGraph(conf.apply(new IDropout[]{shared, shared, shared}));
        sharedNet.init();
        ComputationGraph cloneOfShared = sharedNet.clone();
        ComputationGraph separate = new ComputationGraph(conf.apply(new IDropout[]{shared.clone(), shared.clone(),
                shared.clone()}));
        separate.init();
        INDArray expected = trainGraph(separate, data);
        assertThat(trainGraph(sharedNet, data)).isEqualTo(expected);
        assertThat(trainGraph(cloneOfShared, data)).isEqualTo(expected);
    }

    @Test
    void graphOutputInTrainingModeWorksWhereDl4jsDropoutFails() {
        Function<IDropout, ComputationGraph> graph = d -> {
            ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(SEED).graphBuilder()
                    .addInputs("in")
                    .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(4).build(), "in")
                    .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2)
                            .activation(Activation.SOFTMAX).dropOut(d).build(), "dense")
                    .setOutputs("out").build());
            g.init();
            return g;
        };
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4);
        // DL4J M2.1 leaves the INPUT workspace closed here; its own Dropout cannot allocate its mask.
        assertThatThrownBy(() -> graph.apply(new Dropout(0.8)).outputSingle(true, x))
                .hasMessageContaining("INPUT is not open");
        assertThat(graph.apply(Dropouts.standard(0.2)).outputSingle(true, x).shape()).containsExactly(3, 2);
    }

    private static INDArray trainGraph(ComputationGraph net, DataSet data) {
        Nd4j.getRandom().setSeed(SEED);
        for (int i = 0; i < 8; i++) {
            net.fit(data);
        }
        return net.params().dup();
    }

    @Test
    void workspacesOnAndOffGiveIdenticalTraining() {
        DataSet data = classification(32, 10, 3, 4);
        MultiLayerNetwork on = new MultiLayerNetwork(mlp(Dropouts.standard(0.2), Dropouts.standard(0.5),
                Dropouts.standard(0.5), WorkspaceMode.ENABLED, DataType.FLOAT));
        on.init();
        MultiLayerNetwork off = new MultiLayerNetwork(mlp(Dropouts.standard(0.2), Dropouts.standard(0.5),
                Dropouts.standard(0.5), WorkspaceMode.NONE, DataType.FLOAT));
        off.init();
        assertThat(train(on, data, 10)).isEqualTo(train(off, data, 10));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE", "HALF"})
    void trainsInEveryFloatingPointType(DataType dataType) {
        DataSet data = classification(64, 10, 3, 5);
        data.setFeatures(data.getFeatures().castTo(dataType));
        data.setLabels(data.getLabels().castTo(dataType));
        MultiLayerNetwork net = new MultiLayerNetwork(mlp(Dropouts.standard(0.1), Dropouts.standard(0.3),
                Dropouts.standard(0.3), WorkspaceMode.ENABLED, dataType));
        net.init();
        double before = net.score(data);
        train(net, data, 60);
        assertThat(net.params().dataType()).isEqualTo(dataType);
        assertThat(net.score(data)).isLessThan(before);
    }

    @Test
    void sameSeedSameTrainedParametersDifferentSeedDifferent() {
        DataSet data = classification(32, 10, 3, 6);
        MultiLayerNetwork a = new MultiLayerNetwork(mlp(Dropouts.standard(0.5), Dropouts.standard(0.5), null,
                WorkspaceMode.ENABLED, DataType.FLOAT));
        a.init();
        MultiLayerNetwork b = new MultiLayerNetwork(mlp(Dropouts.standard(0.5), Dropouts.standard(0.5), null,
                WorkspaceMode.ENABLED, DataType.FLOAT));
        b.init();
        MultiLayerNetwork c = b.clone();
        INDArray trained = train(a, data, 5);
        assertThat(train(b, data, 5)).isEqualTo(trained);
        // The masks are what differs: another RNG seed, another result.
        Nd4j.getRandom().setSeed(SEED + 1);
        for (int i = 0; i < 5; i++) {
            c.fit(data);
        }
        assertThat(c.params()).isNotEqualTo(trained);
    }

    private static DataSet sequenceData(int examples, int features, int steps, int classes, RNNFormat format,
                                        long seed) {
        Nd4j.getRandom().setSeed(seed);
        long[] xShape = format == RNNFormat.NCW ? new long[]{examples, features, steps}
                : new long[]{examples, steps, features};
        long[] yShape = format == RNNFormat.NCW ? new long[]{examples, classes, steps}
                : new long[]{examples, steps, classes};
        INDArray x = Nd4j.rand(DataType.FLOAT, xShape);
        INDArray y = Nd4j.zeros(DataType.FLOAT, yShape);
        for (int i = 0; i < examples; i++) {
            for (int t = 0; t < steps; t++) {
                double f0 = format == RNNFormat.NCW ? x.getDouble(i, 0, t) : x.getDouble(i, t, 0);
                int c = f0 > 0.5 ? 1 : 0;
                y.putScalar(format == RNNFormat.NCW ? new long[]{i, c, t} : new long[]{i, t, c}, 1.0);
            }
        }
        return new DataSet(x, y);
    }

    @Test
    void recurrentNetworksWithEveryWrapperLearnWithVariableLengthSequences() {
        DataSet data = sequenceData(16, 3, 8, 2, RNNFormat.NCW, 7);
        INDArray featureMask = Nd4j.ones(DataType.FLOAT, 16, 8);
        for (int i = 0; i < 16; i += 2) {
            for (int t = 5; t < 8; t++) {
                featureMask.putScalar(i, t, 0.0);
            }
        }
        data.setFeaturesMaskArray(featureMask);
        data.setLabelsMaskArray(featureMask.dup());
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(2e-2)).list()
                .layer(new Bidirectional(new LSTM.Builder().nIn(3).nOut(6).dropOut(Dropouts.timeShared(0.2))
                        .weightNoise(Dropouts.recurrentWeights(0.2)).build()))
                .layer(new LSTM.Builder().nIn(12).nOut(6).dropOut(Dropouts.timeShared(0.2))
                        .weightNoise(Dropouts.recurrentWeights(0.2)).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(3, 8))
                .build();
        Dropouts.checkFormats(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double before = net.score(data);
        train(net, data, 40);
        assertThat(net.score(data)).isLessThan(before);

        MultiLayerConfiguration last = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(2e-2)).list()
                .layer(new LastTimeStep(new LSTM.Builder().nIn(3).nOut(6).dropOut(Dropouts.timeShared(0.2))
                        .weightNoise(Dropouts.recurrentWeights(0.2)).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build();
        MultiLayerNetwork lastNet = new MultiLayerNetwork(last);
        lastNet.init();
        DataSet lastData = new DataSet(data.getFeatures(), data.getLabels().get(
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(4)), featureMask, null);
        double lastBefore = lastNet.score(lastData);
        train(lastNet, lastData, 40);
        assertThat(lastNet.score(lastData)).isLessThan(lastBefore);
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void cnnWithSpatialDropoutAndBatchNormLearns(CNN2DFormat format) {
        Nd4j.getRandom().setSeed(8);
        long[] shape = format == CNN2DFormat.NCHW ? new long[]{32, 2, 6, 6} : new long[]{32, 6, 6, 2};
        INDArray x = Nd4j.rand(DataType.FLOAT, shape);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 2);
        INDArray channelMeans = format == CNN2DFormat.NCHW ? x.mean(2, 3) : x.mean(1, 2);
        for (int i = 0; i < 32; i++) {
            y.putScalar(i, channelMeans.getDouble(i, 0) > channelMeans.getDouble(i, 1) ? 0 : 1, 1.0);
        }
        DataSet data = new DataSet(x, y);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).updater(new Adam(1e-2)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).dataFormat(format)
                        .build())
                .layer(new BatchNormalization.Builder().dataFormat(format).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(8).activation(Activation.RELU).dataFormat(format)
                        .dropOut(Dropouts.spatial(0.2, format)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX)
                        .dropOut(Dropouts.standard(0.3)).build())
                .setInputType(InputType.convolutional(6, 6, 2, format))
                .build();
        Dropouts.checkFormats(conf);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double before = net.score(data);
        train(net, data, 40);
        assertThat(net.score(data)).isLessThan(before);
    }

    @Test
    void dropoutOnAnNhwcConvolutionTrainsWhereDl4jsOwnDropoutFails() {
        Function<IDropout, MultiLayerNetwork> net = d -> {
            MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(SEED).list()
                    .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).dataFormat(CNN2DFormat.NHWC).build())
                    .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).dataFormat(CNN2DFormat.NHWC).dropOut(d).build())
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(6, 5, 2, CNN2DFormat.NHWC))
                    .build());
            n.init();
            return n;
        };
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 6, 5, 2), Nd4j.eye(2).getRows(0, 1, 0, 1));
        // DL4J backprops the dropout of an NHWC convolution with an NCHW gradient: its full-shape mask no longer fits.
        assertThatThrownBy(() -> net.apply(new Dropout(0.8)).fit(data)).isInstanceOf(RuntimeException.class);
        MultiLayerNetwork ours = net.apply(Dropouts.standard(0.2));
        ours.fit(data);
        assertThat(ours.params().isNaN().any()).isFalse();
    }

    @Test
    void fineTuneConfigurationAddsOurDropoutToEveryLayer() {
        DataSet data = classification(32, 10, 3, 9);
        MultiLayerNetwork base = new MultiLayerNetwork(mlp(null, null, null, WorkspaceMode.ENABLED, DataType.FLOAT));
        base.init();
        MultiLayerNetwork tuned = new TransferLearning.Builder(base)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().dropout(Dropouts.standard(0.3))
                        .updater(new Adam(1e-2)).build())
                .build();
        for (int i = 0; i < 3; i++) {
            assertThat(tuned.getLayer(i).conf().getLayer().getIDropout()).isEqualTo(Dropouts.standard(0.3));
        }
        double before = tuned.score(data);
        train(tuned, data, 30);
        assertThat(tuned.score(data)).isLessThan(before);
    }

    @Test
    void timeSharedOnRnnOutputLayerRefusesInsteadOfFallingBackToPerStepMasks() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX)
                        .dropOut(Dropouts.timeShared(0.3)).build())
                .build();
        assertThatThrownBy(() -> Dropouts.checkFormats(conf)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer 1").hasMessageContaining("Dropouts.layer(Dropouts.timeShared(0.3, RNNFormat.NCW))");
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> net.fit(sequenceData(4, 3, 7, 2, RNNFormat.NCW, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[28, 4]").hasMessageContaining("RnnOutputLayer");
    }

    @Test
    void nwcDropoutOnAnLstmIsRefusedBecauseDl4jWouldTrainItWrongly() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(SEED).list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).dataFormat(RNNFormat.NWC)
                        .dropOut(Dropouts.timeShared(0.3, RNNFormat.NWC)).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).dataFormat(RNNFormat.NWC)
                        .activation(Activation.SOFTMAX).build())
                .build();
        assertThatThrownBy(() -> Dropouts.checkFormats(conf)).hasMessageContaining("NWC");
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> net.fit(sequenceData(4, 3, 7, 2, RNNFormat.NWC, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NWC").hasMessageContaining("DropoutLayer");
    }

    @Test
    void formatMismatchesAreReportedBeforeTraining() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .dropOut(Dropouts.spatial(0.2)).build())
                .layer(new LSTM.Builder().nIn(4).nOut(4).dataFormat(RNNFormat.NCW)
                        .dropOut(Dropouts.timeShared(0.2, RNNFormat.NWC)).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).weightNoise(Dropouts.recurrentWeights(0.2)).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(4).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        assertThatThrownBy(() -> Dropouts.checkFormats(conf)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer 0").hasMessageContaining("CNN2DFormat.NHWC")
                .hasMessageContaining("layer 1").hasMessageContaining("RNNFormat.NCW")
                .hasMessageContaining("layer 2").hasMessageContaining("recurrent");
    }

    @Test
    void recurrentWeightDropoutOnADenseLayerFailsAtTheFirstTrainingStep() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(4).name("hidden")
                        .weightNoise(Dropouts.recurrentWeights(0.2)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        assertThatThrownBy(() -> net.fit(classification(4, 10, 3, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'hidden'").hasMessageContaining("DenseLayer")
                .hasMessageContaining("LSTM, GravesLSTM and SimpleRnn");
    }
}
