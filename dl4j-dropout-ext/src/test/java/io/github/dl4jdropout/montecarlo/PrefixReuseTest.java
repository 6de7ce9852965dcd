package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Computing the deterministic prefix once and replicating it must give the same results as recomputing the whole
 * network on replicated inputs, with the same seed: the random draws happen in the same order in both modes.
 */
class PrefixReuseTest {

    /** Exact up to floating-point summation order inside BLAS for different row counts (double precision). */
    private static final double TOLERANCE = 1e-12;

    private static void assertSame(McPrediction a, McPrediction b) {
        assertThat(a.mean().equalsWithEps(b.mean(), TOLERANCE)).as("mean %s vs %s", a.mean(), b.mean()).isTrue();
        assertThat(a.variance().equalsWithEps(b.variance(), TOLERANCE)).isTrue();
        if (a.task() == McTask.CLASSIFICATION) {
            assertThat(a.mutualInformation().equalsWithEps(b.mutualInformation(), TOLERANCE)).isTrue();
        }
    }

    private static void assertReuseMatchesRecompute(MonteCarloEvaluator.Builder on, MonteCarloEvaluator.Builder off,
            INDArray[] x, INDArray[] masks) {
        McPrediction a = on.reusePrefix(true).build().predict(x, masks);
        McPrediction b = off.reusePrefix(false).build().predict(x, masks);
        assertSame(a, b);
        // The samples really vary (the test would pass trivially otherwise).
        assertThat(a.variance().maxNumber().doubleValue()).isGreaterThan(1e-6);
    }

    @Test
    void multiLayerNetworkSameResultsWithAndWithoutReuse() {
        MultiLayerNetwork net = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
        INDArray[] x = {TestNets.classificationData(12, 4).getFeatures()};
        // Default budget (all 30 samples in one pass) and a tiny budget (one sample per pass).
        assertReuseMatchesRecompute(MonteCarloEvaluator.builder(net).samples(30),
                MonteCarloEvaluator.builder(net).samples(30), x, null);
        assertReuseMatchesRecompute(MonteCarloEvaluator.builder(net).samples(30).memoryBudgetBytes(1),
                MonteCarloEvaluator.builder(net).samples(30).memoryBudgetBytes(1), x, null);

        DataSet ds = TestNets.classificationData(12, 4);
        McReport on = MonteCarloEvaluator.builder(net).samples(10).build()
                .evaluate(new ExistingDataSetIterator(TestNets.batches(ds, 5)));
        McReport off = MonteCarloEvaluator.builder(net).samples(10).reusePrefix(false).build()
                .evaluate(new ExistingDataSetIterator(TestNets.batches(ds, 5)));
        assertThat(on.mc().asClassification().negativeLogLikelihood())
                .isCloseTo(off.mc().asClassification().negativeLogLikelihood(),
                org.assertj.core.data.Offset.offset(TOLERANCE));
        assertThat(on.mc().asClassification().accuracy()).isEqualTo(off.mc().asClassification().accuracy());
    }

    @Test
    void graphSameResultsWithAndWithoutReuse() {
        ComputationGraph graph = TestNets.twoInputGraph(new AlphaDropout(0.8));
        Nd4j.getRandom().setSeed(12);
        INDArray[] x = {Nd4j.randn(DataType.DOUBLE, 7, TestNets.N_IN), Nd4j.randn(DataType.DOUBLE, 7, 4)};
        assertReuseMatchesRecompute(MonteCarloEvaluator.builder(graph).samples(20),
                MonteCarloEvaluator.builder(graph).samples(20), x, null);
        assertReuseMatchesRecompute(MonteCarloEvaluator.builder(graph).samples(20).memoryBudgetBytes(5000),
                MonteCarloEvaluator.builder(graph).samples(20).memoryBudgetBytes(5000), x, null);
        assertThat(MonteCarloEvaluator.builder(graph).build().stochasticLayers()).isEqualTo("hidden");
    }

    @Test
    void convolutionalNetworkWithDropoutLayerSameResultsWithAndWithoutReuse() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DropoutLayer.Builder(0.6).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build();
        MultiLayerNetwork cnn = new MultiLayerNetwork(conf);
        cnn.init();
        Nd4j.getRandom().setSeed(3);
        INDArray[] x = {Nd4j.rand(DataType.DOUBLE, 5, 2, 8, 8)};
        assertReuseMatchesRecompute(MonteCarloEvaluator.builder(cnn).samples(16),
                MonteCarloEvaluator.builder(cnn).samples(16), x, null);
        assertThat(MonteCarloEvaluator.builder(cnn).build().stochasticLayers()).startsWith("2 (");
    }

    @Test
    void recurrentNetworkWithFeatureMaskSameResultsWithAndWithoutReuse() {
        MultiLayerNetwork rnn = TestNets.sequenceClassifier();
        Nd4j.getRandom().setSeed(8);
        INDArray[] x = {Nd4j.randn(DataType.DOUBLE, 4, TestNets.N_IN, 5)};
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 4, 5);
        mask.putScalar(new int[] {1, 4}, 0.0);
        mask.putScalar(new int[] {2, 3}, 0.0);
        mask.putScalar(new int[] {2, 4}, 0.0);
        assertReuseMatchesRecompute(MonteCarloEvaluator.builder(rnn).samples(12),
                MonteCarloEvaluator.builder(rnn).samples(12), x, new INDArray[] {mask});
    }
}
