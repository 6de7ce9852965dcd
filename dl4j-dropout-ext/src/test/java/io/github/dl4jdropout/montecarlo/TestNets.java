package io.github.dl4jdropout.montecarlo;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny networks and data for the Monte Carlo tests (a few hundred parameters, so every test runs in well under a second). */
final class TestNets {

    static final int N_IN = 6;
    static final int N_OUT = 3;

    private TestNets() {
    }

    /** Dense(identity) - BatchNorm - Dense(tanh, dropout) - Output(softmax, dropout); the first two are deterministic. */
    static MultiLayerNetwork classifierWithBatchNorm(IDropout dropout) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(N_IN).nOut(8).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(8).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).dropOut(dropout).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).dropOut(dropout == null ? null : dropout.clone()).build())
                .setInputType(InputType.feedForward(N_IN))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Gives the BatchNorm layer of {@link #classifierWithBatchNorm} non-trivial running statistics by training a little. */
    static MultiLayerNetwork trainedClassifierWithBatchNorm(IDropout dropout) {
        MultiLayerNetwork net = classifierWithBatchNorm(dropout);
        DataSet ds = classificationData(32, 11);
        for (int i = 0; i < 5; i++) {
            net.fit(ds);
        }
        return net;
    }

    /** Random features and one-hot labels. */
    static DataSet classificationData(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, N_IN);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, N_OUT);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (int) (Math.abs(x.getDouble(i, 0) * 7)) % N_OUT, 1.0);
        }
        return new DataSet(x, y);
    }

    static List<DataSet> batches(DataSet all, int batchSize) {
        List<DataSet> out = new ArrayList<>();
        for (DataSet d : all.batchBy(batchSize)) {
            out.add(d);
        }
        return out;
    }

    /** Two inputs, each through its own dense layer (the first deterministic), merged, then dropout and output. */
    static ComputationGraph twoInputGraph(IDropout dropout) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("a", "b")
                .addLayer("da", new DenseLayer.Builder().nIn(N_IN).nOut(5).activation(Activation.TANH).build(), "a")
                .addLayer("bn", new BatchNormalization.Builder().nOut(5).build(), "da")
                .addLayer("db", new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.RELU).build(), "b")
                .addVertex("merge", new MergeVertex(), "bn", "db")
                .addLayer("hidden", new DenseLayer.Builder().nIn(10).nOut(8).activation(Activation.TANH)
                        .dropOut(dropout).build(), "merge")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** LSTM (dropout on its input) - RnnOutputLayer(softmax, dropout), NCW. */
    static MultiLayerNetwork sequenceClassifier() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(N_IN).nOut(5).activation(Activation.TANH).build())
                .layer(new LSTM.Builder().nIn(5).nOut(6).activation(Activation.TANH).dropOut(new Dropout(0.7)).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(N_OUT)
                        .activation(Activation.SOFTMAX).dropOut(new Dropout(0.8)).build())
                .setInputType(InputType.recurrent(N_IN))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Returns the given multi-datasets one by one, unmerged. */
    static final class ListMultiDataSetIterator implements org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator {
        private final List<org.nd4j.linalg.dataset.api.MultiDataSet> data;
        private int next;

        ListMultiDataSetIterator(List<? extends org.nd4j.linalg.dataset.api.MultiDataSet> data) {
            this.data = new ArrayList<>(data);
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSet next(int num) {
            return next();
        }

        @Override
        public void setPreProcessor(org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            next = 0;
        }

        @Override
        public boolean hasNext() {
            return next < data.size();
        }

        @Override
        public org.nd4j.linalg.dataset.api.MultiDataSet next() {
            return data.get(next++);
        }
    }
}
