package io.github.dl4jdropout.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny networks, data and the shared local Spark session of the tests. */
final class TestData {

    static final int N_IN = 6;
    static final int N_OUT = 3;

    private static SparkSession spark;

    private TestData() {
    }

    /**
     * One session for every test class of the fork (starting Spark costs seconds): two task threads, and a task may
     * fail once and be retried ({@code local[2,2]}: 2 threads, 2 attempts per task).
     */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2,2]").appName("dl4j-dropout-spark-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return spark;
    }

    /** Dense(tanh, dropout 0.5) - Dense(relu) - Output(softmax, dropout 0.2), trained a little. */
    static MultiLayerNetwork classifier() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(N_IN).nOut(10).activation(Activation.TANH)
                        .dropOut(new Dropout(0.5)).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).dropOut(new Dropout(0.8)).build())
                .setInputType(InputType.feedForward(N_IN))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet train = classification(64, 11);
        for (int i = 0; i < 10; i++) {
            net.fit(train);
        }
        return net;
    }

    /** Two inputs through their own dense layers, merged, then dropout and a softmax output. */
    static ComputationGraph twoInputGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("a", "b")
                .addLayer("da", new DenseLayer.Builder().nIn(N_IN).nOut(5).activation(Activation.TANH).build(), "a")
                .addLayer("db", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build(), "b")
                .addVertex("merge", new MergeVertex(), "da", "db")
                .addLayer("hidden", new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.TANH)
                        .dropOut(new Dropout(0.5)).build(), "merge")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Random features and one-hot labels that depend on the first feature. */
    static DataSet classification(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, N_IN);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, N_OUT);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (int) (Math.abs(x.getDouble(i, 0) * 7)) % N_OUT, 1.0);
        }
        return new DataSet(x, y);
    }

    /** Consecutive minibatches of {@code size} examples (the last may be smaller). */
    static List<DataSet> minibatches(DataSet all, int size) {
        List<DataSet> out = new ArrayList<>();
        for (DataSet d : all.batchBy(size)) {
            out.add(d);
        }
        return out;
    }

    /** Two-input minibatches for {@link #twoInputGraph()}. */
    static List<MultiDataSet> multiMinibatches(int batches, int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<MultiDataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            INDArray a = Nd4j.randn(DataType.DOUBLE, size, N_IN);
            INDArray c = Nd4j.randn(DataType.DOUBLE, size, 4);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, size, N_OUT);
            for (int i = 0; i < size; i++) {
                y.putScalar(i, (i + b) % N_OUT, 1.0);
            }
            out.add(new MultiDataSet(new INDArray[] {a, c}, new INDArray[] {y}));
        }
        return out;
    }
}
