package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Reports survive Java serialization unchanged, for every task: distributed evaluation (dl4j-dropout-spark) sends
 * partial reports from the workers to the driver this way and merges them there.
 */
class McReportSerializationTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    /** Equal after the trip, prints the same table, and still merges exactly. */
    private static void assertRoundTrips(McReport whole, McReport first, McReport rest) throws Exception {
        McReport copy = roundTrip(whole);
        assertThat(copy).isEqualTo(whole).isNotSameAs(whole);
        assertThat(copy.toString()).isEqualTo(whole.toString());
        assertThat(roundTrip(first).merge(roundTrip(rest))).isEqualTo(whole);
    }

    @Test
    void classificationReportRoundTrips() throws Exception {
        MultiLayerNetwork net = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
        List<DataSet> batches = TestNets.batches(TestNets.classificationData(12, 21), 4);
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(5).build();
        McReport whole = mc.evaluate(new ExistingDataSetIterator(batches));
        assertRoundTrips(whole, mc.evaluate(new ExistingDataSetIterator(batches.subList(0, 1))),
                mc.evaluate(new ExistingDataSetIterator(batches.subList(1, 3))));
        McReport copy = roundTrip(whole);
        assertThat(copy.mc().asClassification().evaluation().getConfusionMatrix().toCSV())
                .isEqualTo(whole.mc().asClassification().evaluation().getConfusionMatrix().toCSV());
    }

    @Test
    void regressionReportWithAndWithoutPrecisionRoundTrips() throws Exception {
        MultiLayerNetwork net = denseNet(Activation.IDENTITY, LossFunctions.LossFunction.MSE);
        List<DataSet> batches = TestNets.batches(data(12, false), 4);
        for (MonteCarloEvaluator mc : new MonteCarloEvaluator[] {
                MonteCarloEvaluator.builder(net).samples(5).build(),
                MonteCarloEvaluator.builder(net).samples(5).observationPrecision(4.0).targetScale(2.0).build()}) {
            McReport whole = mc.evaluate(new ExistingDataSetIterator(batches));
            assertRoundTrips(whole, mc.evaluate(new ExistingDataSetIterator(batches.subList(0, 1))),
                    mc.evaluate(new ExistingDataSetIterator(batches.subList(1, 3))));
            RegressionMetrics copy = roundTrip(whole).mc().asRegression();
            assertThat(copy.observationPrecision()).isEqualTo(mc.observationPrecision());
            assertThat(copy.regressionEvaluation().stats())
                    .isEqualTo(whole.mc().asRegression().regressionEvaluation().stats());
        }
    }

    @Test
    void multiLabelReportRoundTrips() throws Exception {
        MultiLayerNetwork net = denseNet(Activation.SIGMOID, LossFunctions.LossFunction.XENT);
        List<DataSet> batches = TestNets.batches(data(12, true), 4);
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(5).build();
        McReport whole = mc.evaluate(new ExistingDataSetIterator(batches));
        assertRoundTrips(whole, mc.evaluate(new ExistingDataSetIterator(batches.subList(0, 1))),
                mc.evaluate(new ExistingDataSetIterator(batches.subList(1, 3))));
    }

    private static MultiLayerNetwork denseNet(Activation out, LossFunctions.LossFunction loss) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH)
                        .dropOut(new Dropout(0.6)).build())
                .layer(new OutputLayer.Builder(loss).nOut(2).activation(out).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Random features; targets in {0, 1} (multi-label) or real. */
    private static DataSet data(int n, boolean binary) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, 4);
        INDArray y = x.getColumns(0, 1);
        return new DataSet(x, binary ? y.gt(0.0).castTo(DataType.DOUBLE) : y.mul(1.5));
    }
}
