package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model and ND4J's random generator are left exactly as they were. Each test gives the state it checks a
 * distinctive value first (counters that are not 0, a stored input, stored masks, a non-empty RNN state), so that an
 * evaluator that resets, clears or overwrites that state fails the assertion after the call.
 */
class ModelStateTest {

    @Test
    void networkParametersStatisticsCountersAndStoredInputsAreUnchanged() {
        MultiLayerNetwork net = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
        DataSet ds = TestNets.classificationData(8, 2);
        INDArray params = net.params().dup(); // includes BatchNorm's running mean and variance, trained away from 0/1
        // Distinctive counters: an evaluator that reset them to 0 or advanced them (as fit does) would change them.
        net.setIterationCount(17);
        net.setEpochCount(3);
        INDArray stored = Nd4j.rand(DataType.DOUBLE, 3, 8);
        net.getLayer(2).setInput(stored, LayerWorkspaceMgr.noWorkspaces());
        INDArray storedMask = Nd4j.ones(DataType.DOUBLE, 3, 1);
        net.getLayer(2).setMaskArray(storedMask);
        Layer untouched = net.getLayer(0); // no stored input: the evaluator must not leave one there either

        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(5).build();
        mc.predict(ds.getFeatures());
        mc.evaluate(new ExistingDataSetIterator(TestNets.batches(ds, 3)));

        assertThat(net.params()).isEqualTo(params);
        assertThat(net.getIterationCount()).isEqualTo(17);
        assertThat(net.getEpochCount()).isEqualTo(3);
        assertThat(net.getLayer(2).input()).isSameAs(stored);
        assertThat(net.getLayer(2).getMaskArray()).isSameAs(storedMask);
        assertThat(untouched.input()).isNull();
        assertThat(net.getLayer(3).getMaskArray()).isNull();
    }

    @Test
    void recurrentStateIsUnchanged() {
        // Two identical networks stepped through the same sequence; only one of them is evaluated in between. The
        // next time step must then give both the same output: any change to the stored state (cleared, overwritten
        // by the Monte Carlo passes, advanced) changes it.
        MultiLayerNetwork rnn = TestNets.sequenceClassifier();
        MultiLayerNetwork reference = TestNets.sequenceClassifier();
        Nd4j.getRandom().setSeed(3);
        INDArray first = Nd4j.randn(DataType.DOUBLE, 2, TestNets.N_IN, 3);
        INDArray next = Nd4j.randn(DataType.DOUBLE, 2, TestNets.N_IN, 2);
        rnn.rnnTimeStep(first);
        reference.rnnTimeStep(first);
        Map<String, INDArray> before = new HashMap<>();
        rnn.rnnGetPreviousState(1).forEach((k, v) -> before.put(k, v.dup()));

        MonteCarloEvaluator.builder(rnn).samples(4).build().predict(Nd4j.randn(DataType.DOUBLE, 5, TestNets.N_IN, 3));

        Map<String, INDArray> after = rnn.rnnGetPreviousState(1);
        // LSTM keeps its last activation and memory cell: both must still be there, with the same values.
        assertThat(after.keySet()).containsExactlyInAnyOrder("prevAct", "prevMem");
        before.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
        assertThat(rnn.rnnTimeStep(next)).isEqualTo(reference.rnnTimeStep(next));
    }

    @Test
    void graphInputsAndMasksAreUnchanged() {
        ComputationGraph graph = TestNets.twoInputGraph(new Dropout(0.5));
        INDArray a = Nd4j.rand(DataType.DOUBLE, 2, TestNets.N_IN);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 2, 4);
        graph.setInputs(a, b);
        INDArray maskA = Nd4j.ones(DataType.DOUBLE, 2, 1);
        INDArray maskB = Nd4j.ones(DataType.DOUBLE, 2, 1);
        graph.setLayerMaskArrays(new INDArray[] {maskA, maskB}, null);
        INDArray params = graph.params().dup();
        MonteCarloEvaluator.builder(graph).samples(3).build()
                .predict(new INDArray[] {Nd4j.rand(DataType.DOUBLE, 4, TestNets.N_IN),
                    Nd4j.rand(DataType.DOUBLE, 4, 4)}, null);
        assertThat(graph.getInput(0)).isSameAs(a);
        assertThat(graph.getInput(1)).isSameAs(b);
        // The evaluation ran without masks: the stored ones must have been put back, not cleared.
        assertThat(graph.getInputMaskArrays()).containsExactly(maskA, maskB);
        assertThat(graph.getInputMaskArrays()[0]).isSameAs(maskA);
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
