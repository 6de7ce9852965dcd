package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A feature mask that does not fit its input is refused up front, naming the mask, its shape and the shapes accepted. */
class FeatureMaskShapeTest {

    private static MultiLayerNetwork nwcSequenceClassifier() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE).list()
                .layer(new LSTM.Builder().nIn(TestNets.N_IN).nOut(5).dataFormat(RNNFormat.NWC).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(TestNets.N_OUT)
                        .dataFormat(RNNFormat.NWC).activation(Activation.SOFTMAX).dropOut(new Dropout(0.7)).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void sequenceMaskMustBeExamplesByTimeSteps() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(TestNets.sequenceClassifier()).samples(2).build();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, TestNets.N_IN, 5); // NCW: 6 channels, 5 steps
        String expected = " (one value per example and time step of the NCW input of shape [4, 6, 5]), got ";
        assertThatThrownBy(() -> mc.predict(x, Nd4j.ones(DataType.DOUBLE, 4, 7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("featuresMask must have shape [4, 5]" + expected + "[4, 7]");
        // The channel axis instead of the time axis, another minibatch size, a rank-3 mask.
        for (INDArray bad : new INDArray[] {Nd4j.ones(DataType.DOUBLE, 4, 6), Nd4j.ones(DataType.DOUBLE, 3, 5),
            Nd4j.ones(DataType.DOUBLE, 4, 1, 5)}) {
            assertThatThrownBy(() -> mc.predict(x, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("featuresMask must have shape [4, 5]" + expected
                            + java.util.Arrays.toString(bad.shape()));
        }
        assertThat(mc.predict(x, Nd4j.ones(DataType.DOUBLE, 4, 5)).mean().shape()).containsExactly(4, 3, 5);
    }

    @Test
    void evaluateChecksTheDataSetsFeatureMask() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(TestNets.sequenceClassifier()).samples(2).build();
        DataSet ds = new DataSet(Nd4j.rand(DataType.DOUBLE, 2, TestNets.N_IN, 3),
                Nd4j.zeros(DataType.DOUBLE, 2, TestNets.N_OUT, 3), Nd4j.ones(DataType.DOUBLE, 2, 4), null);
        assertThatThrownBy(() -> mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(ds))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("featuresMask must have shape [2, 3]").hasMessageEndingWith("got [2, 4]");
    }

    @Test
    void timeAxisFollowsTheConsumingLayersFormat() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(nwcSequenceClassifier()).samples(2).build();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4, TestNets.N_IN); // NWC: 4 steps, 6 channels
        assertThatThrownBy(() -> mc.predict(x, Nd4j.ones(DataType.DOUBLE, 3, TestNets.N_IN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("featuresMask must have shape [3, 4] (one value per example and time step of the NWC"
                        + " input of shape [3, 4, 6]), got [3, 6]");
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 3, 4);
        mask.putScalar(new int[] {1, 3}, 0.0);
        assertThat(mc.predict(x, mask).mean().shape()).containsExactly(3, 4, TestNets.N_OUT);
    }

    @Test
    void indexSequencesOfAnEmbeddingSequenceLayerTakeOneValuePerStep() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(5).nOut(4).inputLength(6).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(TestNets.N_OUT)
                        .activation(Activation.SOFTMAX).dropOut(new Dropout(0.7)).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(2).build();
        INDArray indices = Nd4j.createFromArray(new double[][] {{0, 1, 2, 3, 4, 0}, {4, 3, 2, 1, 0, 0}});
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 2, 6);
        mask.putScalar(new int[] {1, 5}, 0.0);
        // Rank-2 input [n, t] of indices: the mask has the input's shape, not [n, 1].
        assertThat(mc.predict(indices, mask).mean().shape()).containsExactly(2, TestNets.N_OUT, 6);
        assertThatThrownBy(() -> mc.predict(indices, Nd4j.ones(DataType.DOUBLE, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("featuresMask must have shape [2, 6] (one value per example and time step of the index"
                        + " sequence input (EmbeddingSequenceLayer) of shape [2, 6]), got [2, 1]");
    }

    @Test
    void graphMasksAreNamedByInput() {
        ComputationGraph graph = TestNets.twoInputGraph(new Dropout(0.5));
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(graph).samples(2).build();
        INDArray[] x = {Nd4j.rand(DataType.DOUBLE, 4, TestNets.N_IN), Nd4j.rand(DataType.DOUBLE, 4, 4)};
        assertThatThrownBy(() -> mc.predict(x, new INDArray[] {null, Nd4j.ones(DataType.DOUBLE, 4, 4)}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("featureMasks[1] (input \"b\") must have shape [4, 1] (one value per example of the"
                        + " feed-forward input of shape [4, 4]), got [4, 4]");
        assertThat(mc.predict(x, new INDArray[] {null, Nd4j.ones(DataType.DOUBLE, 4, 1)}).mean().shape())
                .containsExactly(4, TestNets.N_OUT);
    }

    @Test
    void convolutionalMasksMustBroadcast() {
        FeatureMasks masks = FeatureMasks.of(TestNets.classifierWithBatchNorm(new Dropout(0.5)));
        INDArray[] x = {Nd4j.rand(DataType.DOUBLE, 2, 3, 5, 5)};
        masks.check(x, new INDArray[] {Nd4j.ones(DataType.DOUBLE, 2, 1, 5, 5)});
        masks.check(x, new INDArray[] {Nd4j.ones(DataType.DOUBLE, 2, 1, 1, 1)});
        assertThatThrownBy(() -> masks.check(x, new INDArray[] {Nd4j.ones(DataType.DOUBLE, 2, 1, 4, 5)}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("featuresMask must have rank 4, 2 examples and every other dimension 1 or equal to the"
                        + " input's (broadcastable to the input of shape [2, 3, 5, 5]), got [2, 1, 4, 5]");
        assertThatThrownBy(() -> masks.check(x, new INDArray[] {Nd4j.ones(DataType.DOUBLE, 2, 5)}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("got [2, 5]");
    }
}
