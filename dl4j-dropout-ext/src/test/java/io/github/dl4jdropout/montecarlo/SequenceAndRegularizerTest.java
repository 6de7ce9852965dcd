package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.internal.facts.NetworkFacts;
import java.util.Collections;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SequenceAndRegularizerTest {

    private static DataSet maskedSequences(long seed) {
        Nd4j.getRandom().setSeed(seed);
        int n = 4;
        int t = 5;
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, TestNets.N_IN, t);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, TestNets.N_OUT, t);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, n, t);
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
                y.putScalar(new int[] {i, (i + s) % TestNets.N_OUT, s}, 1.0);
            }
        }
        // Sequences of lengths 5, 4, 2, 5.
        mask.putScalar(new int[] {1, 4}, 0.0);
        mask.putScalar(new int[] {2, 2}, 0.0);
        mask.putScalar(new int[] {2, 3}, 0.0);
        mask.putScalar(new int[] {2, 4}, 0.0);
        return new DataSet(x, y, mask, mask.dup());
    }

    @Test
    void sequenceMetricsSkipPaddedStepsAndUncertaintyIsPerStep() {
        MultiLayerNetwork rnn = TestNets.sequenceClassifier();
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(rnn).samples(6).build();
        DataSet ds = maskedSequences(13);
        McReport report = mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(ds)));
        assertThat(report.mc().count()).isEqualTo(16); // 5 + 4 + 2 + 5 unmasked steps
        assertThat(report.deterministic().count()).isEqualTo(16);
        assertThat(report.mc().asClassification().evaluation().getNumRowCounter()).isEqualTo(16);

        // Changing the labels at padded steps must not change any metric.
        DataSet changed = ds.copy();
        changed.getLabels().putScalar(new int[] {2, 0, 4}, 1.0);
        changed.getLabels().putScalar(new int[] {2, 1, 4}, 0.0);
        changed.getLabels().putScalar(new int[] {2, 2, 4}, 0.0);
        assertThat(mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(changed)))).isEqualTo(report);

        McPrediction p = mc.predict(ds.getFeatures(), ds.getFeaturesMaskArray());
        assertThat(p.mean().shape()).containsExactly(4, TestNets.N_OUT, 5);
        assertThat(p.mutualInformation().shape()).containsExactly(4, 5);
        assertThat(p.predictiveEntropy().shape()).containsExactly(4, 5);
        // Each step's mean is a distribution (1e-9: sums of three doubles).
        assertThat(p.mean().sum(1).sub(1.0).amaxNumber().doubleValue()).isLessThan(1e-9);
    }

    @Test
    void weightNoiseIsSampledOncePerPassAndLeavesParametersUnchanged() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(TestNets.N_IN).nOut(6).activation(Activation.TANH)
                        .weightNoise(new DropConnect(0.7)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(TestNets.N_OUT)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(TestNets.N_IN)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray params = net.params().dup();
        INDArray x = TestNets.classificationData(6, 9).getFeatures();
        McPrediction p = MonteCarloEvaluator.builder(net).samples(20).keepSamples(true).build().predict(x);
        assertThat(net.params()).isEqualTo(params);
        assertThat(p.variance().maxNumber().doubleValue()).isGreaterThan(1e-6);
        // Consecutive samples come from different weight draws (the noisy weights are not reused between passes).
        INDArray s = p.samples();
        assertThat(s.slice(0)).isNotEqualTo(s.slice(1));
        // Within one pass all examples share a draw: one sample per pass, so a pass is never replicated.
        ForwardEngine engine = ForwardEngine.create(net, NetworkFacts.of(net.getLayerWiseConfigurations()),
                McSampling.PER_EXAMPLE);
        assertThat(engine.hasSharedNoise()).isTrue();
    }

    @Test
    void regressionReportShowsRmseAndGaussianNll() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(8).activation(Activation.TANH)
                        .dropOut(new Dropout(0.7)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).dropOut(new Dropout(0.9)).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(1);
        DataSet ds = new DataSet(Nd4j.randn(DataType.DOUBLE, 10, 3), Nd4j.randn(DataType.DOUBLE, 10, 2));
        McReport r = MonteCarloEvaluator.builder(net).samples(8).build()
                .evaluate(new ExistingDataSetIterator(TestNets.batches(ds, 4)));
        assertThat(r.task()).isEqualTo(McTask.REGRESSION);
        assertThat(r.mc().count()).isEqualTo(10);
        assertThat(r.mc().asRegression().hasGaussianNegativeLogLikelihood()).isTrue();
        assertThat(r.deterministic().asRegression().hasGaussianNegativeLogLikelihood()).isFalse();
        assertThat(r.toString()).contains("RMSE").contains("Gaussian NLL").contains("n/a").contains("MC (T=8)");
        assertThat(r.mc().asRegression().rmse()).isGreaterThan(0.0);
    }
}
