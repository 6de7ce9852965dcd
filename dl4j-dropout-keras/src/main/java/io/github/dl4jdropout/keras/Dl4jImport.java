package io.github.dl4jdropout.keras;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelUtils;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The calls into DL4J's Keras import: it parses the layers, infers activation types and reads the weights exactly as
 * {@code KerasModelImport} does, but from a model configuration this module read itself (see {@link H5Attributes})
 * and without initializing a network (see {@link KerasOrthogonalInit}). Failures inside DL4J that are not its own
 * checked exceptions are reported with the file and the DL4J class that failed.
 */
final class Dl4jImport {

    /** A call into DL4J's import. */
    interface Call<T> {
        T run() throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException;
    }

    private Dl4jImport() {
    }

    /**
     * The model configuration as DL4J's {@code KerasModelBuilder.modelHdf5Filename} hands it on: with the Keras
     * version (its first five characters, as DL4J reads them) and, for Keras 2, the backend.
     */
    static String modelJson(H5Attributes.ModelAttributes attributes) throws IOException {
        Map<String, Object> model = KerasModelUtils.parseJsonString(attributes.modelConfig());
        String version = attributes.kerasVersion();
        if (version != null) {
            model.put("keras_version", version.substring(0, Math.min(5, version.length())));
            if (KerasModelConfig.majorVersion(version) == 2 && attributes.backend() != null) {
                model.put("backend", attributes.backend());
            }
        }
        hideSimpleRnnRecurrentDropout(model);
        return new ObjectMapper().writeValueAsString(model);
    }

    /**
     * Sets {@code recurrent_dropout} (Keras 1: {@code dropout_U}) of every SimpleRNN to 0 in the JSON DL4J's import
     * reads: DL4J throws on it ("Dropout > 0 on recurrent connections not supported"); {@link RecurrentDropoutMapping}
     * reads the rate from the untouched configuration and maps it to a {@code VariationalSimpleRnn}.
     */
    @SuppressWarnings("unchecked")
    private static void hideSimpleRnnRecurrentDropout(Object node) {
        if (node instanceof Map) {
            Map<String, Object> map = (Map<String, Object>) node;
            if ("SimpleRNN".equals(map.get("class_name")) && map.get("config") instanceof Map) {
                Map<String, Object> config = (Map<String, Object>) map.get("config");
                for (String field : new String[]{"recurrent_dropout", "dropout_U"}) {
                    if (config.containsKey(field)) {
                        config.put(field, 0.0);
                    }
                }
            }
            map.values().forEach(Dl4jImport::hideSimpleRnnRecurrentDropout);
        } else if (node instanceof Iterable) {
            ((Iterable<?>) node).forEach(Dl4jImport::hideSimpleRnnRecurrentDropout);
        }
    }

    static KerasSequentialModel sequential(String modelJson, String h5Path, KerasModelConfig keras)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        return call(h5Path, keras, () -> new KerasSequentialModel().modelBuilder().modelJson(modelJson)
                .weightsHdf5Filename(h5Path).enforceTrainingConfig(false).buildSequential());
    }

    static KerasModel functional(String modelJson, String h5Path, KerasModelConfig keras)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        return call(h5Path, keras, () -> new KerasModel().modelBuilder().modelJson(modelJson)
                .weightsHdf5Filename(h5Path).enforceTrainingConfig(false).buildModel());
    }

    /**
     * Runs a call into DL4J's import; DL4J's checked exceptions pass unchanged, a runtime failure inside DL4J becomes
     * an {@link UnsupportedKerasConfigurationException} that names the file and the failing import class.
     */
    static <T> T call(String h5Path, KerasModelConfig keras, Call<T> call)
            throws IOException, InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw new UnsupportedKerasConfigurationException(describeFailure(h5Path, keras, e), e);
        }
    }

    static String describeFailure(String h5Path, KerasModelConfig keras, Throwable e) {
        String where = null;
        String layerClass = null;
        for (StackTraceElement frame : e.getStackTrace()) {
            String cls = frame.getClassName();
            if (where == null && cls.startsWith("org.deeplearning4j.nn.modelimport.keras.")) {
                where = cls.substring(cls.lastIndexOf('.') + 1) + "." + frame.getMethodName();
            }
            if (layerClass == null && cls.startsWith("org.deeplearning4j.nn.modelimport.keras.layers.")) {
                layerClass = cls.substring(cls.lastIndexOf('.') + 1);
            }
        }
        StringBuilder sb = new StringBuilder("DL4J 1.0.0-M2.1's Keras import cannot load ")
                .append(Path.of(h5Path).getFileName());
        if (layerClass != null) {
            sb.append(" (building a ").append(layerClass).append(')');
        }
        if (where != null) {
            sb.append(" in ").append(where);
        }
        sb.append(": ").append(e);
        if ("KerasDepthwiseConvolution2D".equals(layerClass) && e instanceof IndexOutOfBoundsException) {
            List<String> inputs = keras.layerList().stream().filter(l -> l.className().equals("InputLayer"))
                    .map(KerasLayerSpec::name).collect(Collectors.toList());
            keras.layerList().stream()
                    .filter(l -> l.className().equals("DepthwiseConv2D") && !l.inbound().isEmpty()
                            && inputs.containsAll(l.inbound()))
                    .findFirst()
                    .ifPresent(l -> sb.append(" (a known DL4J bug: DepthwiseConv2D layer '").append(l.name())
                            .append("' takes the model input directly, and DL4J then cannot find its number of input"
                                    + " channels)"));
        }
        return sb.append(". This module builds the model with DL4J's import and changes only its dropout, so it"
                + " cannot load this file either").toString();
    }

    /**
     * Copies the Keras weights into the initialized network, as DL4J's {@code KerasModelUtils.copyWeightsToModel}
     * does (by layer name and parameter key; a {@code VariationalLSTM} has DL4J's LSTM keys and shapes).
     */
    static void copyWeights(Layer[] layers, Map<String, KerasLayer> kerasLayers)
            throws InvalidKerasConfigurationException {
        Set<String> remaining = new HashSet<>(kerasLayers.keySet());
        for (Layer layer : layers) {
            String name = layer.conf().getLayer().getLayerName();
            KerasLayer kerasLayer = kerasLayers.get(name);
            if (kerasLayer == null) {
                throw new InvalidKerasConfigurationException("No weights found for layer in model (named " + name
                        + ")");
            }
            kerasLayer.copyWeightsToLayer(layer);
            remaining.remove(name);
        }
        for (String name : remaining) {
            if (kerasLayers.get(name).getNumParams() > 0) {
                throw new InvalidKerasConfigurationException("Attempting to copy weights for layer not in model"
                        + " (named " + name + ")");
            }
        }
    }
}
