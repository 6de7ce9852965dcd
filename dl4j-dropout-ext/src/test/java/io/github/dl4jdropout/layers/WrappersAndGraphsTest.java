package io.github.dl4jdropout.layers;

import static io.github.dl4jdropout.layers.LstmFixtures.SEED;
import static io.github.dl4jdropout.layers.LstmFixtures.maxAbsDiff;
import static io.github.dl4jdropout.layers.LstmFixtures.sequences;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.Dropouts;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Inside DL4J's Bidirectional and LastTimeStep wrappers and in ComputationGraphs, in both formats, FLOAT and DOUBLE,
 * with workspaces on and off: it trains (loss decreases, no NaN); with rate 0 it equals the same wrapper around DL4J's
 * LSTM (tolerance 1e-5 in FLOAT, 1e-12 in DOUBLE), and at inference it equals it whatever the rates.
 */
class WrappersAndGraphsTest {

    static Stream<Arguments> settings() {
        List<Arguments> cases = new ArrayList<>();
        for (RNNFormat format : RNNFormat.values()) {
            for (DataType dataType : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
                for (WorkspaceMode ws : new WorkspaceMode[]{WorkspaceMode.ENABLED, WorkspaceMode.NONE}) {
                    cases.add(Arguments.of(format, dataType, ws));
                }
            }
        }
        return cases.stream();
    }

    private static double tolerance(DataType dataType) {
        return dataType == DataType.FLOAT ? 1e-5 : 1e-12;
    }

    private static Layer recurrent(boolean variational, RNNFormat format, double dropRate) {
        if (!variational) {
            return new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).dataFormat(format).build();
        }
        VariationalLSTM.Builder b = new VariationalLSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH)
                .dataFormat(format).recurrentDropout(dropRate);
        if (dropRate > 0) {
            b.dropOut(Dropouts.timeShared(dropRate, format));
        }
        return b.build();
    }

    private static MultiLayerNetwork bidirectional(boolean variational, RNNFormat format, DataType dataType,
                                                   WorkspaceMode ws, double dropRate) {
        MultiLayerConfiguration conf = LstmFixtures.base(dataType, ws).updater(new Adam(0.05)).list()
                .layer(new Bidirectional(Bidirectional.Mode.CONCAT, recurrent(variational, format, dropRate)))
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nIn(8).nOut(2).activation(Activation.IDENTITY)
                        .dataFormat(format).build())
                .setInputType(InputType.recurrent(3, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static MultiLayerNetwork lastTimeStep(boolean variational, RNNFormat format, DataType dataType,
                                                  WorkspaceMode ws, double dropRate) {
        MultiLayerConfiguration conf = LstmFixtures.base(dataType, ws).updater(new Adam(0.05)).list()
                .layer(new LastTimeStep(recurrent(variational, format, dropRate)))
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.recurrent(3, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void assertTrains(MultiLayerNetwork net, INDArray x, INDArray y, INDArray mask, String what) {
        DataSet data = new DataSet(x, y, mask, null);
        double before = net.score(data);
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        assertThat(net.params().isNaN().any()).as("%s: no NaN", what).isFalse();
        assertThat(net.score(data)).as("%s: loss decreases", what).isLessThan(before);
    }

    @ParameterizedTest(name = "{0} {1} workspaces {2}")
    @MethodSource("settings")
    void insideBidirectional(RNNFormat format, DataType dataType, WorkspaceMode ws) {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(format, dataType, 4, 3, 6);
        INDArray y = sequences(format, dataType, 4, 2, 6);
        INDArray mask = LstmFixtures.featuresMask(dataType, 4, 6);
        String what = "Bidirectional " + format + " " + dataType + " " + ws;

        MultiLayerNetwork dl4j = bidirectional(false, format, dataType, ws, 0);
        MultiLayerNetwork zero = bidirectional(true, format, dataType, ws, 0);
        assertThat(zero.params()).isEqualTo(dl4j.params());
        Nd4j.getRandom().setSeed(SEED);
        INDArray expected = dl4j.output(x, true, mask, null);
        assertThat(maxAbsDiff(zero.output(x, true, mask, null), expected)).as(what)
                .isLessThanOrEqualTo(tolerance(dataType));
        assertThat(maxAbsDiff(LstmFixtures.gradient(zero, x, y, mask, SEED),
                LstmFixtures.gradient(dl4j, x, y, mask, SEED))).as(what).isLessThanOrEqualTo(tolerance(dataType));

        MultiLayerNetwork dropped = bidirectional(true, format, dataType, ws, 0.3);
        assertThat(maxAbsDiff(dropped.output(x, false, mask, null), dl4j.output(x, false, mask, null)))
                .as("%s: inference", what).isLessThanOrEqualTo(tolerance(dataType));
        assertThat(maxAbsDiff(dropped.output(x, true, mask, null), dl4j.output(x, false, mask, null)))
                .as("%s: training draws masks", what).isGreaterThan(1e-4);
        assertTrains(dropped, x, y, mask, what);
    }

    @ParameterizedTest(name = "{0} {1} workspaces {2}")
    @MethodSource("settings")
    void insideLastTimeStep(RNNFormat format, DataType dataType, WorkspaceMode ws) {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(format, dataType, 4, 3, 6);
        INDArray y = Nd4j.rand(dataType, 4, 2);
        INDArray mask = LstmFixtures.featuresMask(dataType, 4, 6);
        String what = "LastTimeStep " + format + " " + dataType + " " + ws;

        MultiLayerNetwork dl4j = lastTimeStep(false, format, dataType, ws, 0);
        MultiLayerNetwork zero = lastTimeStep(true, format, dataType, ws, 0);
        assertThat(maxAbsDiff(zero.output(x, true, mask, null), dl4j.output(x, true, mask, null))).as(what)
                .isLessThanOrEqualTo(tolerance(dataType));
        MultiLayerNetwork dropped = lastTimeStep(true, format, dataType, ws, 0.3);
        assertThat(maxAbsDiff(dropped.output(x, false, mask, null), dl4j.output(x, false, mask, null)))
                .as("%s: inference", what).isLessThanOrEqualTo(tolerance(dataType));
        assertTrains(dropped, x, y, mask, what);
    }

    /**
     * In a ComputationGraph: trains, and {@code output(train = true)} (which DL4J runs with the layer-input workspace
     * closed) draws masks without failing.
     */
    @ParameterizedTest(name = "{0} {1} workspaces {2}")
    @MethodSource("settings")
    void inAComputationGraph(RNNFormat format, DataType dataType, WorkspaceMode ws) {
        ComputationGraphConfiguration conf = LstmFixtures.base(dataType, ws).updater(new Adam(0.05)).graphBuilder()
                .addInputs("in")
                .addLayer("lstm", recurrent(true, format, 0.3), "in")
                .addLayer("bi", new Bidirectional(Bidirectional.Mode.ADD, recurrent(true, format, 0.2)), "in")
                .addVertex("sum", new org.deeplearning4j.nn.conf.graph.ElementWiseVertex(
                        org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add), "lstm", "bi")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunction.MSE).nIn(4).nOut(2)
                        .activation(Activation.IDENTITY).dataFormat(format).build(), "sum")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(3, format))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(format, dataType, 4, 3, 6);
        INDArray y = sequences(format, dataType, 4, 2, 6);
        INDArray inference = graph.outputSingle(x);
        assertThat(graph.outputSingle(x)).isEqualTo(inference);
        assertThat(maxAbsDiff(graph.outputSingle(true, x), inference)).isGreaterThan(1e-4);
        DataSet data = new DataSet(x, y);
        double before = graph.score(data);
        for (int i = 0; i < 5; i++) {
            graph.fit(data);
        }
        assertThat(graph.params().isNaN().any()).isFalse();
        assertThat(graph.score(data)).isLessThan(before);
    }
}
