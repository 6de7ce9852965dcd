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
    void resultsStayValidWhenLaterCallsReuseTheWorkspaces() {
        MultiLayerNetwork net = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
        ComputationGraph graph = TestNets.twoInputGraph(new Dropout(0.5));
        INDArray x = TestNets.classificationData(7, 3).getFeatures();
        McPrediction p = MonteCarloEvaluator.builder(net).samples(8).keepSamples(true).build().predict(x);
        INDArray mean = p.mean().dup();
        INDArray deterministic = p.deterministic().dup();
        INDArray samples = p.samples().dup();
        INDArray mi = p.mutualInformation().dup();

        // Other sizes and another model: the same per-thread workspaces are reset and overwritten.
        MonteCarloEvaluator.builder(net).samples(30).build().predict(TestNets.classificationData(40, 4).getFeatures());
        Nd4j.getRandom().setSeed(5);
        MonteCarloEvaluator.builder(graph).samples(9).build()
                .predict(new INDArray[] {Nd4j.randn(DataType.DOUBLE, 11, TestNets.N_IN), Nd4j.randn(DataType.DOUBLE, 11, 4)}, null);

        for (INDArray a : new INDArray[] {p.mean(), p.deterministic(), p.samples(), p.mutualInformation()}) {
            assertThat(a.isAttached()).isFalse();
        }
        assertThat(p.mean()).isEqualTo(mean);
        assertThat(p.deterministic()).isEqualTo(deterministic);
        assertThat(p.samples()).isEqualTo(samples);
        assertThat(p.mutualInformation()).isEqualTo(mi);
        // And a repeated call gives the same numbers from reused memory.
        assertThat(MonteCarloEvaluator.builder(net).samples(8).build().predict(x).mean()).isEqualTo(mean);
    }

    @Test
    void chunkMemoryStaysWithinTheBudgetAndDoesNotGrowWithSamples() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(64).activation(Activation.RELU).dropOut(new Dropout(0.5)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).dropOut(new Dropout(0.5)).build())
                .setInputType(InputType.feedForward(20)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 50, 20);
        // Stochastic part: (64 + 64) + (64 + 3) values per example, 8 bytes, times the safety factor 3, 50 examples:
        // 234,000 bytes per replica, so a 1,000,000-byte budget runs 4 replicas per chunk.
        long budget = 1_000_000;
        long[] sizes = new long[2];
        int[] ts = {8, 200};
        for (int i = 0; i < ts.length; i++) {
            MemoryWorkspace old = Nd4j.getWorkspaceManager().checkIfWorkspaceExists(McWorkspaces.CHUNK)
                    ? Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(McWorkspaces.CHUNK) : null;
            if (old != null) {
                Nd4j.getWorkspaceManager().destroyWorkspace(old);
            }
            MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(ts[i]).memoryBudgetBytes(budget).build();
            mc.predict(x);
            sizes[i] = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(McWorkspaces.CHUNK).getCurrentSize();
        }
        assertThat(sizes[0]).as("chunk workspace bytes at T=8").isPositive().isLessThanOrEqualTo(budget);
        assertThat(sizes[1]).as("chunk workspace bytes at T=200").isEqualTo(sizes[0]);
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
