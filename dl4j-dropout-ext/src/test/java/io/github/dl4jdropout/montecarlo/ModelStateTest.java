package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The model and ND4J's random generator are left exactly as they were. */
class ModelStateTest {

    @Test
    void networkParametersStatisticsCountersAndStoredInputsAreUnchanged() {
        MultiLayerNetwork net = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
        DataSet ds = TestNets.classificationData(8, 2);
        INDArray params = net.params().dup(); // includes BatchNorm's running mean and variance
        int iterations = net.getIterationCount();
        int epochs = net.getEpochCount();
        INDArray stored = Nd4j.rand(DataType.DOUBLE, 3, 8);
        net.getLayer(2).setInput(stored, LayerWorkspaceMgr.noWorkspaces());
        INDArray storedMask = Nd4j.ones(DataType.DOUBLE, 3, 1);
        net.getLayer(2).setMaskArray(storedMask);
        Layer untouched = net.getLayer(0);
        assertThat(untouched.input()).isNull();

        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(5).build();
        mc.predict(ds.getFeatures());
        mc.evaluate(new ExistingDataSetIterator(TestNets.batches(ds, 3)));

        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getIterationCount()).isEqualTo(iterations);
        assertThat(net.getEpochCount()).isEqualTo(epochs);
        assertThat(net.getLayer(2).input()).isSameAs(stored);
        assertThat(net.getLayer(2).getMaskArray()).isSameAs(storedMask);
        assertThat(untouched.input()).isNull();
        assertThat(net.getLayer(3).getMaskArray()).isNull();
        assertThat(iterations).isGreaterThan(0);
    }

    @Test
    void recurrentStateIsUnchanged() {
        MultiLayerNetwork rnn = TestNets.sequenceClassifier();
        Nd4j.getRandom().setSeed(3);
        rnn.rnnTimeStep(Nd4j.randn(DataType.DOUBLE, 2, TestNets.N_IN, 3));
        Map<String, INDArray> before = rnn.rnnGetPreviousState(1);
        Map<String, INDArray> copy = new java.util.HashMap<>();
        before.forEach((k, v) -> copy.put(k, v.dup()));
        assertThat(copy).isNotEmpty();

        MonteCarloEvaluator.builder(rnn).samples(4).build().predict(Nd4j.randn(DataType.DOUBLE, 5, TestNets.N_IN, 3));

        Map<String, INDArray> after = rnn.rnnGetPreviousState(1);
        assertThat(after.keySet()).isEqualTo(copy.keySet());
        copy.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
        assertThat(rnn.getLayer(1)).isInstanceOf(LSTM.class);
    }

    @Test
    void graphInputsAndMasksAreUnchanged() {
        ComputationGraph graph = TestNets.twoInputGraph(new Dropout(0.5));
        INDArray a = Nd4j.rand(DataType.DOUBLE, 2, TestNets.N_IN);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 2, 4);
        graph.setInputs(a, b);
        INDArray params = graph.params().dup();
        MonteCarloEvaluator.builder(graph).samples(3).build()
                .predict(new INDArray[] {Nd4j.rand(DataType.DOUBLE, 4, TestNets.N_IN),
                    Nd4j.rand(DataType.DOUBLE, 4, 4)}, null);
        assertThat(graph.getInput(0)).isSameAs(a);
        assertThat(graph.getInput(1)).isSameAs(b);
        assertThat(graph.getInputMaskArrays()).isNull();
        assertThat(graph.params()).isEqualTo(params);
    }

    @Test
    void globalRandomGeneratorContinuesAsIfNothingHappened() {
        MultiLayerNetwork net = TestNets.classifierWithBatchNorm(new Dropout(0.5));
        INDArray x = TestNets.classificationData(4, 1).getFeatures();
        Nd4j.getRandom().setSeed(77);
        double expected = Nd4j.rand(DataType.DOUBLE, 1).getDouble(0);
        Nd4j.getRandom().setSeed(77);
        MonteCarloEvaluator.builder(net).samples(3).build().predict(x);
        assertThat(Nd4j.rand(DataType.DOUBLE, 1).getDouble(0)).isEqualTo(expected);
    }
}
