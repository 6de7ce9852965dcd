package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class GraphSequenceAndWorkspaceTest {

    /** LSTM (deterministic) - LSTM (dropout) - LastTimeStepVertex (reads the graph's input mask) - output. */
    private static ComputationGraph sequenceGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(4).dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("in")
                .addLayer("lstm1", new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("lstm2", new LSTM.Builder().nIn(4).nOut(4).activation(Activation.TANH)
                        .dropOut(new Dropout(0.6)).build(), "lstm1")
                .addVertex("last", new LastTimeStepVertex("in"), "lstm2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "last")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(3))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void graphWithLastTimeStepVertexAndMaskReusesPrefixExactly() {
        ComputationGraph graph = sequenceGraph();
        Nd4j.getRandom().setSeed(6);
        INDArray[] x = {Nd4j.randn(DataType.DOUBLE, 3, 3, 4)};
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 3, 4);
        mask.putScalar(new int[] {1, 3}, 0.0);
        INDArray[] masks = {mask};
        McPrediction on = MonteCarloEvaluator.builder(graph).samples(10).build().predict(x, masks);
        McPrediction off = MonteCarloEvaluator.builder(graph).samples(10).reusePrefix(false).build().predict(x, masks);
        // 1e-12: double precision, identical random draws.
        assertThat(on.mean().equalsWithEps(off.mean(), 1e-12)).isTrue();
        assertThat(on.mean().shape()).containsExactly(3, 2);
        assertThat(on.variance().maxNumber().doubleValue()).isGreaterThan(1e-8);
        // The deterministic side equals DL4J's own masked output.
        INDArray standard = graph.output(false, x, masks)[0];
        assertThat(on.deterministic().equalsWithEps(standard, 1e-12)).isTrue();
    }

    @Test
    void resultsAreDetachedFromUserWorkspacesAndIndependentOfWorkspaceMode() {
        MultiLayerNetwork enabled = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
        INDArray x = TestNets.classificationData(5, 3).getFeatures();
        McPrediction reference = MonteCarloEvaluator.builder(enabled).samples(8).build().predict(x);

        MultiLayerConfiguration conf = enabled.getLayerWiseConfigurations().clone();
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        MultiLayerNetwork none = new MultiLayerNetwork(conf);
        none.init(enabled.params().dup(), false);
        McPrediction withoutWorkspaces = MonteCarloEvaluator.builder(none).samples(8).build().predict(x);
        assertThat(withoutWorkspaces.mean()).isEqualTo(reference.mean());

        McPrediction inside;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager()
                .getAndActivateWorkspace(WorkspaceConfiguration.builder().build(), "USER_WS")) {
            inside = MonteCarloEvaluator.builder(enabled).samples(8).build().predict(x);
        }
        // Usable after the user's workspace closed, and the same numbers.
        assertThat(inside.mean().isAttached()).isFalse();
        assertThat(inside.mean()).isEqualTo(reference.mean());
    }

    @Test
    void floatNetworksGiveFloatResults() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU)
                        .dropOut(new Dropout(0.5)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 4);
        McPrediction p = MonteCarloEvaluator.builder(net).samples(5).build().predict(x);
        assertThat(p.mean().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(p.mutualInformation().dataType()).isEqualTo(DataType.FLOAT);
        // 1e-5: float probabilities accumulated in double, then rounded to float.
        assertThat(p.mean().sum(1).sub(1.0f).amaxNumber().doubleValue()).isLessThan(1e-5);
    }
}
