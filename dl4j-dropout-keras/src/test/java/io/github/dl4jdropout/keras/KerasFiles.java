package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelUtils;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Keras files under {@code src/test/resources/keras} (see the README there) and helpers shared by the tests:
 * the path of a file, an in-memory edit of its model configuration, and DL4J's own import without the weight
 * initialization that crashes ND4J (the reference for inference parity).
 */
final class KerasFiles {

    static final String MLP_0 = "mlp_0.h5";
    static final String MLP_12 = "mlp_12.h5";
    static final String ISSUE_9349 = "issue_9349.hdf5";
    static final String MISC_3 = "misc_3.h5";
    static final String CNN3D_16 = "cnn3d_16.h5";
    static final String CNN2D_40 = "cnn2d_40.h5";
    static final String SIMPLE_RNN = "simple_rnn_tf_keras_2_model.h5";
    static final String SIMPLE_LSTM = "simple_lstm_tf_keras_2_model.h5";
    static final String LSTM_FUNCTIONAL = "lstm_functional_tf_keras_2.h5";
    static final String LSTM_RECURRENT_DROPOUT = "simple_lstm_recurrent_dropout.h5";
    static final String RNN_RECURRENT_DROPOUT = "simple_rnn_recurrent_dropout.h5";

    private KerasFiles() {
    }

    /** @return the absolute path of a test resource under {@code keras/} */
    static String path(String name) {
        URL url = KerasFiles.class.getResource("/keras/" + name);
        assertThat(url).as("test resource keras/%s", name).isNotNull();
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An edit of the model configuration JSON that must match exactly once. */
    static UnaryOperator<String> replace(String from, String to) {
        return json -> {
            int at = json.indexOf(from);
            assertThat(at).as("'%s' in the model configuration", from).isGreaterThanOrEqualTo(0);
            assertThat(json.indexOf(from, at + 1)).as("'%s' occurs once", from).isLessThan(0);
            return json.replace(from, to);
        };
    }

    /**
     * DL4J's own {@code KerasModelImport.importKerasModelAndWeights(path, false)}, except that the graph is created
     * from a zero parameter vector instead of running the weight initializers (which DL4J overwrites with the Keras
     * weights right after, and whose orthogonal SVD crashes ND4J): same configuration, same weight copy.
     */
    static ComputationGraph dl4jFunctional(String name) throws Exception {
        return dl4jFunctional(name, UnaryOperator.identity());
    }

    /** As {@link #dl4jFunctional(String)}, on the file's model configuration edited in memory. */
    static ComputationGraph dl4jFunctional(String name, UnaryOperator<String> editConfig) throws Exception {
        String path = path(name);
        H5Attributes.ModelAttributes attributes = edited(H5Attributes.read(path), editConfig);
        KerasModelConfig keras = KerasModelConfig.parse(attributes.modelConfig(), attributes.kerasVersion());
        KerasModel model = Dl4jImport.functional(Dl4jImport.modelJson(attributes), path, keras);
        ComputationGraphConfiguration conf = model.getComputationGraphConfiguration();
        long n = 0;
        for (GraphVertex v : conf.getVertices().values()) {
            n += v.numParams(true);
        }
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init(Nd4j.zeros(DataType.FLOAT, 1, n), false);
        KerasModelUtils.copyWeightsToModel(graph, model.getLayers());
        return graph;
    }

    /** As {@link #dl4jFunctional}, for {@code importKerasSequentialModelAndWeights(path, false)}. */
    static MultiLayerNetwork dl4jSequential(String name) throws Exception {
        return dl4jSequential(name, UnaryOperator.identity());
    }

    /** As {@link #dl4jSequential(String)}, on the file's model configuration edited in memory. */
    static MultiLayerNetwork dl4jSequential(String name, UnaryOperator<String> editConfig) throws Exception {
        String path = path(name);
        H5Attributes.ModelAttributes attributes = edited(H5Attributes.read(path), editConfig);
        KerasModelConfig keras = KerasModelConfig.parse(attributes.modelConfig(), attributes.kerasVersion());
        KerasSequentialModel model = Dl4jImport.sequential(Dl4jImport.modelJson(attributes), path, keras);
        MultiLayerConfiguration conf = model.getMultiLayerConfiguration();
        long n = 0;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            n += c.getLayer().initializer().numParams(c);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(Nd4j.zeros(DataType.FLOAT, 1, n), false);
        KerasModelUtils.copyWeightsToModel(net, model.getLayers());
        return net;
    }

    private static H5Attributes.ModelAttributes edited(H5Attributes.ModelAttributes read, UnaryOperator<String> edit) {
        return new H5Attributes.ModelAttributes(edit.apply(read.modelConfig()), read.kerasVersion(), read.backend());
    }
}
