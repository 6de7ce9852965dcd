package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.dropout.InvertedDropout;
import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.SpatialFormat;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import io.github.dl4jdropout.layers.VariationalLSTM;
import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The imported models train (one step of fine-tuning through an added output layer: Keras' training configuration
 * is not imported, as with DL4J's {@code enforceTrainingConfig = false}) and survive a {@code ModelSerializer} round
 * trip with their dropout. Re-initializing an imported recurrent network no longer crashes the JVM.
 */
class TrainingAndSerializationTest {

    private static final FineTuneConfiguration SGD = new FineTuneConfiguration.Builder().updater(new Sgd(0.1))
            .seed(1).build();

    private static OutputLayer head(int n) {
        return new OutputLayer.Builder(LossFunction.MSE).nIn(n).nOut(n).activation(Activation.IDENTITY).build();
    }

    /** One fit step moves the imported weights; the dropout is still this module's after TransferLearning. */
    @ParameterizedTest
    @CsvSource({"mlp_0.h5, dropout, 6", "mlp_12.h5, dropout_12, 6", "issue_9349.hdf5, dense, 2",
            "misc_3.h5, alpha_dropout, 5", "lstm_functional_tf_keras_2.h5, outputLayer_a, 5"})
    void graphsFineTuneOneStep(String file, String last, int width) throws Exception {
        ComputationGraph imported = KerasDropoutImport.importFunctional(KerasFiles.path(file));
        // TransferLearning on a graph calls init(), which ran OrthogonalDistribution before this module replaced it.
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(imported).fineTuneConfiguration(SGD);
        if (file.equals(KerasFiles.ISSUE_9349)) {
            // DL4J's own import of this file fails the same way in fit: its Subsampling1D backprop (maxpool2d_bp)
            // rejects the shapes. Freeze up to the pooling; the dropout and the dense layer after it still train.
            builder.setFeatureExtractor("max_pooling1d");
        }
        ComputationGraph tuned = builder.addLayer("head", head(width), last).setOutputs("head").build();
        for (String vertex : imported.getConfiguration().getVertices().keySet()) {
            if (imported.getConfiguration().getVertices().get(vertex) instanceof LayerVertex) {
                assertThat(layerConf(tuned, vertex).getIDropout()).as(vertex)
                        .isEqualTo(layerConf(imported, vertex).getIDropout());
            }
        }
        INDArray before = tuned.params().dup();
        INDArray x = ImportParityTest.input(file);
        tuned.fit(new DataSet(x, Nd4j.rand(DataType.FLOAT, x.size(0), width)));
        assertThat(tuned.params()).isNotEqualTo(before);
        assertThat(tuned.score()).isFinite();
    }

    @ParameterizedTest
    @ValueSource(strings = {KerasFiles.SIMPLE_RNN, KerasFiles.SIMPLE_LSTM, KerasFiles.LSTM_RECURRENT_DROPOUT,
            KerasFiles.RNN_RECURRENT_DROPOUT})
    void sequentialRecurrentModelsFineTuneOneStep(String file) throws Exception {
        MultiLayerNetwork imported = KerasDropoutImport.importSequential(KerasFiles.path(file));
        MultiLayerNetwork tuned = new TransferLearning.Builder(imported).fineTuneConfiguration(SGD)
                .addLayer(head(1)).build();
        INDArray before = tuned.params().dup();
        INDArray x = ImportParityTest.input(file);
        // Gradients flow through the time-shared input dropout of the SimpleRNN (channels-last) and through the
        // VariationalLSTM's input and recurrent masks.
        tuned.fit(new DataSet(x, Nd4j.rand(DataType.FLOAT, x.size(0), 1)));
        assertThat(tuned.params()).isNotEqualTo(before);
        assertThat(tuned.score()).isFinite();
    }

    @ParameterizedTest
    @ValueSource(strings = {KerasFiles.MLP_0, KerasFiles.ISSUE_9349, KerasFiles.MISC_3, KerasFiles.CNN3D_16})
    void graphsRoundTripThroughModelSerializer(String file, @TempDir Path dir) throws Exception {
        ComputationGraph graph = KerasDropoutImport.importFunctional(KerasFiles.path(file));
        File zip = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(graph, zip, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(zip, true);
        assertThat(restored.getConfiguration()).isEqualTo(graph.getConfiguration());
        assertThat(restored.getConfiguration().toJson()).isEqualTo(graph.getConfiguration().toJson());
        assertThat(restored.params()).isEqualTo(graph.params());
        if (!file.equals(KerasFiles.CNN3D_16)) {     // DL4J cannot run cnn3d_16 (see ImportParityTest)
            INDArray x = ImportParityTest.input(file);
            Nd4j.getRandom().setSeed(5);
            INDArray expected = graph.outputSingle(true, x);
            Nd4j.getRandom().setSeed(5);
            assertThat(restored.outputSingle(true, x)).as("same seed, same masks").isEqualTo(expected);
        }
    }

    @Test
    void savedGraphsKeepThisModulesDropoutClasses(@TempDir Path dir) throws Exception {
        ComputationGraph alpha = roundTrip(KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.MISC_3)),
                dir.resolve("a.zip").toFile());
        assertThat(layerConf(alpha, "alpha_dropout").getIDropout()).isEqualTo(new SeluAlphaDropout(0.5));
        ComputationGraph cnn = roundTrip(KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.CNN3D_16)),
                dir.resolve("c.zip").toFile());
        assertThat(layerConf(cnn, "spatial_dropout3d_17").getIDropout())
                .isEqualTo(new SpatialChannelDropout(0.2, SpatialFormat.NDHWC));
        ComputationGraph mlp = roundTrip(KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.MLP_12)),
                dir.resolve("m.zip").toFile());
        assertThat(layerConf(mlp, "dropout_12").getIDropout()).isEqualTo(new InvertedDropout(0.2));
    }

    @Test
    void sequentialLstmRoundTripsAndReinitializesWithoutCrashing(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = KerasDropoutImport.importSequential(KerasFiles.path(KerasFiles.SIMPLE_LSTM));
        File zip = dir.resolve("lstm.zip").toFile();
        ModelSerializer.writeModel(net, zip, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, true);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(net.getLayerWiseConfigurations());
        assertThat(restored.params()).isEqualTo(net.params());
        assertThat(Dl4jLayers.recurrent(restored.getLayerWiseConfigurations().getConf(0).getLayer()))
                .isInstanceOf(VariationalLSTM.class)
                .satisfies(l -> assertThat(l.getIDropout()).isEqualTo(new TimeSharedDropout(0.2, RNNFormat.NWC)));
        INDArray x = ImportParityTest.input(KerasFiles.SIMPLE_LSTM);
        Nd4j.getRandom().setSeed(6);
        INDArray expected = net.output(x, true);
        Nd4j.getRandom().setSeed(6);
        assertThat(restored.output(x, true)).isEqualTo(expected);

        // A fresh init() of the configuration: with DL4J's OrthogonalDistribution this is the SIGSEGV (or hang) in
        // ND4J's SVD; with KerasOrthogonalInit it draws orthonormal rows for the [50, 200] recurrent weights.
        MultiLayerNetwork fresh = new MultiLayerNetwork(restored.getLayerWiseConfigurations().clone());
        fresh.init();
        BaseRecurrentLayer lstm = Dl4jLayers.recurrent(fresh.getLayerWiseConfigurations().getConf(0).getLayer());
        assertThat(lstm.getWeightInitFnRecurrent()).isEqualTo(new KerasOrthogonalInit(1.0));
        INDArray rw = fresh.getLayer(0).getParam("RW").castTo(DataType.DOUBLE);
        assertThat(rw.shape()).containsExactly(50, 200);
        INDArray gram = rw.mmul(rw.transpose());
        assertThat(gram.sub(Nd4j.eye(50).castTo(DataType.DOUBLE)).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layerConf(ComputationGraph graph, String vertex) {
        return ((LayerVertex) graph.getConfiguration().getVertices().get(vertex)).getLayerConf().getLayer();
    }

    private static ComputationGraph roundTrip(ComputationGraph graph, File zip) throws Exception {
        ModelSerializer.writeModel(graph, zip, true);
        return ModelSerializer.restoreComputationGraph(zip, true);
    }
}
