package io.github.dl4jdropout.dropout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.Dropouts;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * DL4J's gradient checks (central differences in double precision against backprop) with every variant. The RNG is
 * reseeded before every forward pass, so each pass draws the same masks and the network is a fixed function of its
 * parameters. Tolerances are DL4J's own for its dropout gradient checks: relative error 1e-3, absolute 1e-8, step
 * 1e-6.
 */
class GradientCheckTest {

    private static final long SEED = 12345;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static boolean check(MultiLayerConfiguration conf, INDArray features, INDArray labels) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(features)
                .labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .callEachIter(n -> Nd4j.getRandom().setSeed(SEED)));
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new NoOp())
                .dist(new NormalDistribution(0, 1));
    }

    private static INDArray oneHot(int rows, int classes) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        for (int i = 0; i < rows; i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        return labels;
    }

    @Test
    void mlpWithStandardDropoutOnEveryLayerSharingOneInstance() {
        IDropout shared = Dropouts.standard(0.4);
        MultiLayerConfiguration conf = base().list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).dropOut(shared).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH).dropOut(shared).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX)
                        .dropOut(shared).build())
                .build();
        Nd4j.getRandom().setSeed(SEED);
        assertThat(check(conf, Nd4j.rand(DataType.DOUBLE, 8, 6), oneHot(8, 3))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void cnnWithSpatialDropout(CNN2DFormat format) {
        MultiLayerConfiguration conf = base().list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).dataFormat(format)
                        .dropOut(Dropouts.spatial(0.3, format)).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(4).activation(Activation.TANH).dataFormat(format)
                        .dropOut(Dropouts.spatial(0.5, format)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 2, format))
                .build();
        Nd4j.getRandom().setSeed(SEED);
        long[] shape = format == CNN2DFormat.NCHW ? new long[]{4, 2, 5, 5} : new long[]{4, 5, 5, 2};
        assertThat(check(conf, Nd4j.rand(DataType.DOUBLE, shape), oneHot(4, 3))).isTrue();
    }

    private static INDArray[] sequenceData(RNNFormat format, int examples, int features, int steps, int classes) {
        INDArray x = Nd4j.rand(DataType.DOUBLE, format == RNNFormat.NCW
                ? new long[]{examples, features, steps} : new long[]{examples, steps, features});
        INDArray y = Nd4j.zeros(DataType.DOUBLE, format == RNNFormat.NCW
                ? new long[]{examples, classes, steps} : new long[]{examples, steps, classes});
        for (int i = 0; i < examples; i++) {
            for (int t = 0; t < steps; t++) {
                int c = (i + t) % classes;
                y.putScalar(format == RNNFormat.NCW ? new long[]{i, c, t} : new long[]{i, t, c}, 1.0);
            }
        }
        return new INDArray[]{x, y};
    }

    /**
     * LSTM with time-shared dropout on its input and recurrent-weight dropout. In NWC the input dropout sits on a
     * DropoutLayer: DL4J's NWC LSTM computes its gradients from the undropped input (see Dl4jLayout).
     */
    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void lstmWithTimeSharedAndRecurrentDropout(RNNFormat format) {
        LSTM.Builder lstm = new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).dataFormat(format)
                .weightNoise(Dropouts.recurrentWeights(0.4));
        if (format == RNNFormat.NCW) {
            lstm.dropOut(Dropouts.timeShared(0.3, format));
        }
        MultiLayerConfiguration conf = base().list()
                .layer(new DropoutLayer.Builder().dropOut(Dropouts.timeShared(0.2, format)).build())
                .layer(lstm.build())
                .layer(new DropoutLayer.Builder().dropOut(Dropouts.timeShared(0.5, format)).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).dataFormat(format)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 5, format))
                .build();
        Nd4j.getRandom().setSeed(SEED);
        INDArray[] data = sequenceData(format, 3, 3, 5, 2);
        assertThat(check(conf, data[0], data[1])).isTrue();
    }

    /**
     * GravesLSTM and SimpleRnn apply dropout to channels-last input but backprop it channels-first; the masks must
     * follow. Standard dropout on the SimpleRnn exercises the element-wise mask (5 steps, 4 features: the shapes
     * tell the layouts apart).
     */
    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void gravesLstmAndSimpleRnnWithEveryVariant(RNNFormat format) {
        MultiLayerConfiguration conf = base().list()
                .layer(new GravesLSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).dataFormat(format)
                        .dropOut(Dropouts.timeShared(0.3, format)).weightNoise(Dropouts.recurrentWeights(0.4))
                        .build())
                .layer(new SimpleRnn.Builder().nIn(4).nOut(4).activation(Activation.TANH).dataFormat(format)
                        .dropOut(Dropouts.standard(0.3)).weightNoise(Dropouts.recurrentWeights(0.5)).build())
                .layer(new SimpleRnn.Builder().nIn(4).nOut(3).activation(Activation.TANH).dataFormat(format)
                        .dropOut(Dropouts.spatial(0.3, format)).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(3).nOut(2).dataFormat(format)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 5, format))
                .build();
        Nd4j.getRandom().setSeed(SEED);
        INDArray[] data = sequenceData(format, 3, 3, 5, 2);
        assertThat(check(conf, data[0], data[1])).isTrue();
    }

    @Test
    void recurrentWeightDropoutOnGravesLstmAndSimpleRnn() {
        IWeightNoise noise = Dropouts.recurrentWeights(0.5);
        MultiLayerConfiguration conf = base().list()
                .layer(new GravesLSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).weightNoise(noise).build())
                .layer(new LastTimeStep(new SimpleRnn.Builder().nIn(4).nOut(4).activation(Activation.TANH)
                        .weightNoise(noise).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build();
        Nd4j.getRandom().setSeed(SEED);
        assertThat(check(conf, Nd4j.rand(DataType.DOUBLE, 3, 3, 6), oneHot(3, 2))).isTrue();
    }
}
