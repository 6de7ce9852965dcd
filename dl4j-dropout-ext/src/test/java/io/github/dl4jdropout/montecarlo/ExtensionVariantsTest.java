package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The evaluator with this library's own variants: spatial, time-shared, recurrent-weight and standard dropout. */
class ExtensionVariantsTest {

    /** Same tolerance as PrefixReuseTest: summation order inside BLAS differs with the row count. */
    private static final double TOLERANCE = 1e-12;

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void assertPrefixReuseIsExactAndSamplesVary(MultiLayerNetwork net, INDArray x) {
        McPrediction reused = MonteCarloEvaluator.builder(net).samples(20).seed(3).build().predict(x);
        McPrediction recomputed = MonteCarloEvaluator.builder(net).samples(20).seed(3).reusePrefix(false).build()
                .predict(x);
        assertThat(reused.mean().equalsWithEps(recomputed.mean(), TOLERANCE)).isTrue();
        assertThat(reused.variance().equalsWithEps(recomputed.variance(), TOLERANCE)).isTrue();
        assertThat(reused.variance().maxNumber().doubleValue()).isGreaterThan(1e-6);
        assertThat(reused.mutualInformation().minNumber().doubleValue()).isGreaterThanOrEqualTo(-1e-12);
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void cnnWithSpatialDropoutAndBatchNorm(CNN2DFormat format) {
        MultiLayerNetwork net = init(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).activation(Activation.RELU).dataFormat(format)
                        .build())
                .layer(new BatchNormalization.Builder().dataFormat(format).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).activation(Activation.RELU).dataFormat(format)
                        .dropOut(Dropouts.spatial(0.3, format)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .dropOut(Dropouts.standard(0.3)).build())
                .setInputType(InputType.convolutional(5, 5, 2, format))
                .build());
        Nd4j.getRandom().setSeed(2);
        long[] shape = format == CNN2DFormat.NCHW ? new long[]{6, 2, 5, 5} : new long[]{6, 5, 5, 2};
        assertPrefixReuseIsExactAndSamplesVary(net, Nd4j.rand(DataType.DOUBLE, shape));
    }

    @Test
    void lstmWithTimeSharedAndRecurrentWeightDropout() {
        MultiLayerNetwork net = init(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).list()
                .layer(new LSTM.Builder().nIn(3).nOut(5).build())
                .layer(new LSTM.Builder().nIn(5).nOut(5).dropOut(Dropouts.timeShared(0.3))
                        .weightNoise(Dropouts.recurrentWeights(0.3)).build())
                .layer(new DropoutLayer.Builder().dropOut(Dropouts.timeShared(0.3)).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(5).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(3, 4))
                .build());
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3, 4);
        assertPrefixReuseIsExactAndSamplesVary(net, x);
        McPrediction p = MonteCarloEvaluator.builder(net).samples(10).build().predict(x);
        assertThat(p.predictiveEntropy().shape()).containsExactly(4, 4);
        // The model is usable for training afterwards: no mask was left behind by the evaluator.
        net.fit(x, Nd4j.zeros(DataType.DOUBLE, 4, 2, 4).assign(0.5));
    }

    @Test
    void aVariantInTheWrongFormatIsRefused() {
        MultiLayerNetwork net = init(new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(3).nOut(5).dataFormat(RNNFormat.NCW)
                        .dropOut(Dropouts.timeShared(0.3, RNNFormat.NWC)).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(5).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build());
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(net).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RNNFormat.NCW");
    }

    @Test
    void standardDropoutOnALinearNetworkAveragesToTheDeterministicOutput() {
        MultiLayerNetwork net = init(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(6).activation(Activation.IDENTITY)
                        .dropOut(Dropouts.standard(0.5)).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(6).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .build());
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 6);
        McPrediction p = MonteCarloEvaluator.builder(net).samples(4000).build().predict(x);
        // Inverted dropout keeps a linear network's expectation: the MC mean estimates output(x). Its standard error
        // is sqrt(variance / T); 5 of them bound the difference with probability > 1 - 6e-7 per output.
        INDArray stdErr = Transforms.sqrt(p.variance().div(4000));
        INDArray diff = Transforms.abs(p.mean().sub(net.output(x)));
        assertThat(diff.sub(stdErr.mul(5)).maxNumber().doubleValue()).isLessThanOrEqualTo(0.0);
    }
}
