package io.github.dl4jdropout.benchmarks;

import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The networks the benchmarks run, FLOAT, randomly initialized with a fixed seed (speed does not depend on trained
 * weights). Each layer that gets dropout gets its own instance from the supplier: DL4J's {@code Dropout} fails
 * {@code fit} when one instance is shared by two layers.
 */
final class Nets {

    static final int MNIST_PIXELS = 28 * 28;
    static final int CLASSES = 10;
    static final int HIDDEN = 1024;

    /** CNN geometry, shared with the matrix-product limit in {@link MonteCarloBenchmark}. */
    static final int CONV1_KERNEL = 5;
    static final int CONV1_CHANNELS = 16;
    static final int CONV_STRIDE = 2;
    static final int CONV1_OUT = (28 - CONV1_KERNEL) / CONV_STRIDE + 1;        // 12
    static final int CONV2_KERNEL = 3;
    static final int CONV2_CHANNELS = 32;
    static final int CONV2_OUT = (CONV1_OUT - CONV2_KERNEL) / CONV_STRIDE + 1; // 5
    static final int CNN_FLAT = CONV2_CHANNELS * CONV2_OUT * CONV2_OUT;        // 800
    static final int CNN_DENSE = 256;

    private Nets() {
    }

    /**
     * MLP 784-1024-1024-10 (ReLU, softmax), dropout on the input of the second and third layers.
     *
     * @param dropout one new instance per call, or null for no dropout
     */
    static MultiLayerNetwork mlp(Supplier<IDropout> dropout) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).weightInit(WeightInit.RELU).updater(new Adam(1e-3))
                .list()
                .layer(new DenseLayer.Builder().nIn(MNIST_PIXELS).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(HIDDEN).activation(Activation.RELU)
                        .dropOut(dropout == null ? null : dropout.get()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).dropOut(dropout == null ? null : dropout.get()).build())
                .setInputType(InputType.feedForward(MNIST_PIXELS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * A small CNN whose only dropout is on the input of its dense head: conv 5x5x16 stride 2 (ReLU), conv 3x3x32
     * stride 2 (ReLU), dense 256 (ReLU, dropout on its input), softmax 10. Strided convolutions instead of pooling
     * keep DL4J's convolution pass at about 1.5 s for 10,000 images (with 2x2 max pooling after stride-1
     * convolutions it took 6 s, which put the naive loop at 5 minutes and the full suite over its 15-minute budget).
     */
    static MultiLayerNetwork cnn(Supplier<IDropout> dropout) {
        return cnn(null, dropout);
    }

    /**
     * {@link #cnn(Supplier)} with a second dropout, on the input of the second convolution (the first block's
     * feature maps).
     *
     * @param onMaps  one new instance per call for the second convolution's input, or null for none
     * @param onDense one new instance per call for the dense head's input, or null for none
     */
    static MultiLayerNetwork cnn(Supplier<IDropout> onMaps, Supplier<IDropout> onDense) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).weightInit(WeightInit.RELU).updater(new Adam(1e-3))
                .convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(CONV1_KERNEL, CONV1_KERNEL).stride(CONV_STRIDE, CONV_STRIDE)
                        .nOut(CONV1_CHANNELS).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(CONV2_KERNEL, CONV2_KERNEL).stride(CONV_STRIDE, CONV_STRIDE)
                        .nOut(CONV2_CHANNELS).activation(Activation.RELU)
                        .dropOut(onMaps == null ? null : onMaps.get()).build())
                .layer(new DenseLayer.Builder().nOut(CNN_DENSE).activation(Activation.RELU)
                        .dropOut(onDense == null ? null : onDense.get()).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
