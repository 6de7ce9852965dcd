package io.github.dl4jdropout.keras;

import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The import, step by step: read the file's attributes safely, refuse unsupported dropout before DL4J runs, let DL4J
 * build the configuration and read the weights, rewrite the dropout in the configuration, create and initialize the
 * network, copy the weights.
 */
final class ImportPipeline {

    private ImportPipeline() {
    }

    /** The Keras configuration read and checked, ready for DL4J's import. */
    private static final class Prepared {
        final String modelJson;
        final KerasModelConfig keras;

        Prepared(String modelJson, KerasModelConfig keras) {
            this.modelJson = modelJson;
            this.keras = keras;
        }
    }

    static KerasDropoutImport.Result<MultiLayerNetwork> sequential(String h5Path)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        return sequential(h5Path, UnaryOperator.identity());
    }

    /**
     * @param editConfig applied to the file's model configuration JSON before anything reads it (tests use it to
     *                   vary the dropout settings of a real file whose weights stay valid)
     */
    static KerasDropoutImport.Result<MultiLayerNetwork> sequential(String h5Path, UnaryOperator<String> editConfig)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        Prepared p = prepare(h5Path, editConfig);
        KerasSequentialModel model = Dl4jImport.sequential(p.modelJson, h5Path, p.keras);
        MultiLayerConfiguration conf = Dl4jImport.call(h5Path, p.keras, model::getMultiLayerConfiguration);
        List<LayerMapping> lines = DropoutRewriter.rewrite(new MultiLayerEdits(conf), p.keras,
                model.getOutputTypes());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Dl4jImport.copyWeights(net.getLayers(), model.getLayers());
        return new KerasDropoutImport.Result<>(net, lines);
    }

    static KerasDropoutImport.Result<ComputationGraph> functional(String h5Path)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        return functional(h5Path, UnaryOperator.identity());
    }

    /** @param editConfig as for {@link #sequential(String, UnaryOperator)} */
    static KerasDropoutImport.Result<ComputationGraph> functional(String h5Path, UnaryOperator<String> editConfig)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        Prepared p = prepare(h5Path, editConfig);
        KerasModel model = Dl4jImport.functional(p.modelJson, h5Path, p.keras);
        ComputationGraphConfiguration conf = Dl4jImport.call(h5Path, p.keras,
                model::getComputationGraphConfiguration);
        List<LayerMapping> lines = DropoutRewriter.rewrite(new GraphEdits(conf), p.keras,
                model.getOutputTypes());
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Dl4jImport.copyWeights(graph.getLayers(), model.getLayers());
        return new KerasDropoutImport.Result<>(graph, lines);
    }

    private static Prepared prepare(String h5Path, UnaryOperator<String> editConfig)
            throws IOException, UnsupportedKerasDropoutException {
        H5Attributes.ModelAttributes read = H5Attributes.read(h5Path);
        H5Attributes.ModelAttributes attributes = new H5Attributes.ModelAttributes(
                editConfig.apply(read.modelConfig()), read.kerasVersion(), read.backend());
        KerasModelConfig keras = KerasModelConfig.parse(attributes.modelConfig(), attributes.kerasVersion());
        precheck(keras);
        return new Prepared(Dl4jImport.modelJson(attributes), keras);
    }

    /** Refusals that need only the Keras configuration, so that DL4J's import never runs on such a model. */
    static void precheck(KerasModelConfig keras) throws UnsupportedKerasDropoutException {
        KerasFields fields = KerasFields.forMajorVersion(keras.kerasMajorVersion());
        for (KerasLayerSpec spec : keras.layerList()) {
            if (DropoutLayerMapping.handles(spec.className())) {
                DropoutLayerMapping.precheck(spec, fields);
            } else if (RecurrentDropoutMapping.handles(spec.className())) {
                RecurrentDropoutMapping.precheck(spec, fields);
            }
            KerasLayerSpec inner = spec.inner();
            if (inner != null) {
                if (DropoutLayerMapping.handles(inner.className())) {
                    throw new UnsupportedKerasDropoutException(spec.name(), spec.className() + "("
                            + inner.className() + ")", inner.className() + " inside " + spec.className(),
                            "is not supported: only top-level noise layers are mapped");
                }
                if (RecurrentDropoutMapping.handles(inner.className())) {
                    RecurrentDropoutMapping.precheckWrapped(spec, inner, fields);
                }
            }
        }
    }
}
