package io.github.dl4jdropout.examples.uci;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.examples.support.Training;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The network of Gal and Ghahramani's UCI experiments (2016, section 5.3; their code {@code net/net.py}): inputs,
 * dropout, one dense layer of ReLU units, dropout, one linear output; mean squared error on standardized targets;
 * Adam with Keras's defaults (learning rate 0.001); Glorot-uniform weights, zero biases; L2 weight decay on the
 * weights (not the biases) of both layers, set from the prior length scale {@code l}, the drop rate {@code p}, the
 * number of training rows N and the precision {@code tau}:
 * <pre>{@code Keras: reg = l^2 (1 - p) / (2 N tau), penalty reg * sum(w^2)}</pre>
 * DL4J's {@code l2(c)} adds {@code 0.5 c sum(w^2)} to the score (gradient {@code c w}), so the same penalty needs
 * {@code c = 2 reg = l^2 (1 - p) / (N tau)}: see {@link #l2Coefficient}.
 */
public final class UciNetwork {

    /** Prior length scale {@code l} of the paper's weight decay: 0.01. */
    public static final double LENGTH_SCALE = 1e-2;

    /** Adam's learning rate, Keras's default: 0.001. */
    public static final double LEARNING_RATE = 1e-3;

    private UciNetwork() {
    }

    /**
     * DL4J's L2 coefficient for Gal and Ghahramani's weight decay.
     *
     * @param dropRate  drop rate p
     * @param trainRows N, the rows the network is trained on
     * @param tau       observation precision, in the units Gal's code uses (the target's own units)
     * @return {@code l^2 (1 - p) / (N tau)}: twice Keras's {@code reg}, because DL4J's penalty has a factor 1/2
     */
    public static double l2Coefficient(double dropRate, int trainRows, double tau) {
        return LENGTH_SCALE * LENGTH_SCALE * (1 - dropRate) / (trainRows * tau);
    }

    /**
     * The configuration.
     *
     * @param inputs      number of inputs
     * @param hiddenUnits ReLU units of the hidden layer
     * @param dropRate    drop rate on the inputs and on the hidden layer's output
     * @param l2          DL4J L2 coefficient on the weights (see {@link #l2Coefficient})
     * @param seed        seed of the weight initialization
     * @return the configuration
     */
    public static MultiLayerConfiguration configuration(int inputs, int hiddenUnits, double dropRate, double l2,
                                                        long seed) {
        // Two dropout objects: DL4J's layer builders do not clone the one they are given.
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(new Adam(LEARNING_RATE))
                .l2(l2)
                .list()
                .layer(new DenseLayer.Builder().nIn(inputs).nOut(hiddenUnits).activation(Activation.RELU)
                        .dropOut(Dropouts.standard(dropRate)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(hiddenUnits).nOut(1)
                        .activation(Activation.IDENTITY).dropOut(Dropouts.standard(dropRate)).build())
                .build();
    }

    /**
     * Trains a new network as Keras's {@code fit}: each epoch visits the rows in a fresh random order, in
     * minibatches of {@code batchSize} (the last one smaller).
     *
     * @param conf      the configuration
     * @param train     standardized training rows
     * @param epochs    passes over the rows
     * @param batchSize rows per Adam step
     * @param seed      seed of the row order
     * @return the trained network
     */
    public static MultiLayerNetwork train(MultiLayerConfiguration conf, DataSet train, int epochs, int batchSize,
                                          long seed) {
        MultiLayerNetwork net = Training.network(conf);
        int n = train.numExamples();
        INDArray x = train.getFeatures();
        INDArray y = train.getLabels();
        Random rng = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                int[] rows = Arrays.copyOfRange(order, from, to);
                net.fit(new DataSet(Nd4j.pullRows(x, 1, rows), Nd4j.pullRows(y, 1, rows)));
            }
            net.incrementEpochCount();
        }
        return net;
    }
}
