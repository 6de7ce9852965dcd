package io.github.dl4jdropout.keras;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelUtils;

/**
 * The parts of a Keras model configuration that the dropout mapping reads: the model class, the Keras major version
 * and every layer's configuration by name.
 */
final class KerasModelConfig {

    private final String modelClass;
    private final int kerasMajorVersion;
    private final Map<String, KerasLayerSpec> layers;

    private KerasModelConfig(String modelClass, int kerasMajorVersion, Map<String, KerasLayerSpec> layers) {
        this.modelClass = modelClass;
        this.kerasMajorVersion = kerasMajorVersion;
        this.layers = layers;
    }

    /**
     * Parses a model configuration.
     *
     * @param modelJson    the {@code model_config} JSON
     * @param kerasVersion the {@code keras_version} attribute, or null (read as Keras 1, as DL4J does)
     * @return the configuration
     * @throws IOException if the JSON cannot be parsed or has no layer list
     */
    @SuppressWarnings("unchecked")
    static KerasModelConfig parse(String modelJson, String kerasVersion) throws IOException {
        Map<String, Object> model = KerasModelUtils.parseJsonString(modelJson);
        Object className = model.get("class_name");
        Object config = model.get("config");
        List<Object> entries;
        if (config instanceof List) {
            entries = (List<Object>) config;            // Sequential before Keras 2.2.3
        } else if (config instanceof Map && ((Map<String, Object>) config).get("layers") instanceof List) {
            entries = (List<Object>) ((Map<String, Object>) config).get("layers");
        } else {
            throw new IOException("The Keras model configuration has no layer list (class_name " + className + ")");
        }
        Map<String, KerasLayerSpec> layers = new LinkedHashMap<>();
        try {
            for (Object entry : entries) {
                KerasLayerSpec spec = KerasLayerSpec.of(entry);
                layers.put(spec.name(), spec);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("Malformed Keras model configuration: " + e.getMessage(), e);
        }
        return new KerasModelConfig(String.valueOf(className), majorVersion(kerasVersion),
                Collections.unmodifiableMap(layers));
    }

    /** DL4J's rule: the first character of {@code keras_version}; no version means Keras 1. */
    static int majorVersion(String kerasVersion) {
        if (kerasVersion == null || kerasVersion.isEmpty() || !Character.isDigit(kerasVersion.charAt(0))) {
            return 1;
        }
        return Character.getNumericValue(kerasVersion.charAt(0));
    }

    /** @return {@code Sequential}, {@code Model} or {@code Functional} */
    String modelClass() {
        return modelClass;
    }

    /** @return 1 or 2 */
    int kerasMajorVersion() {
        return kerasMajorVersion;
    }

    /** @return the layers in configuration order, by name */
    Map<String, KerasLayerSpec> layers() {
        return layers;
    }

    /** @return the layers in configuration order */
    List<KerasLayerSpec> layerList() {
        return new ArrayList<>(layers.values());
    }
}
