package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One layer of a Keras model configuration, as saved in the HDF5 file: its class name, its name and its
 * {@code config} dictionary; for wrappers ({@code Bidirectional}, {@code TimeDistributed}) also the wrapped layer.
 */
final class KerasLayerSpec {

    private final String className;
    private final String name;
    private final Map<String, Object> config;
    private final KerasLayerSpec inner;
    private final List<String> inbound;

    private KerasLayerSpec(String className, String name, Map<String, Object> config, KerasLayerSpec inner,
                           List<String> inbound) {
        this.className = className;
        this.name = name;
        this.config = config;
        this.inner = inner;
        this.inbound = inbound;
    }

    /**
     * Reads a layer entry of the model configuration: {@code {"class_name": ..., "config": {...}}}.
     *
     * @param entry the parsed JSON object
     * @return the layer
     * @throws IllegalArgumentException if the entry has no class name or no config
     */
    @SuppressWarnings("unchecked")
    static KerasLayerSpec of(Object entry) {
        if (!(entry instanceof Map)) {
            throw new IllegalArgumentException("a Keras layer entry must be a JSON object, got " + entry);
        }
        Map<String, Object> map = (Map<String, Object>) entry;
        Object className = map.get("class_name");
        Object config = map.get("config");
        if (!(className instanceof String) || !(config instanceof Map)) {
            throw new IllegalArgumentException("a Keras layer entry needs \"class_name\" and \"config\", got keys "
                    + map.keySet());
        }
        Map<String, Object> conf = (Map<String, Object>) config;
        Object name = conf.get("name");
        if (name == null) {
            name = map.get("name");
        }
        Object wrapped = conf.get("layer");
        KerasLayerSpec inner = wrapped instanceof Map ? of(wrapped) : null;
        return new KerasLayerSpec((String) className, name == null ? "?" : String.valueOf(name),
                Collections.unmodifiableMap(conf), inner, inbound(map.get("inbound_nodes")));
    }

    /** The layer names of the first inbound node of a functional model's layer: {@code [[["input_1", 0, 0, {}]]]}. */
    private static List<String> inbound(Object nodes) {
        List<String> names = new ArrayList<>();
        if (nodes instanceof List && !((List<?>) nodes).isEmpty() && ((List<?>) nodes).get(0) instanceof List) {
            for (Object tensor : (List<?>) ((List<?>) nodes).get(0)) {
                if (tensor instanceof List && !((List<?>) tensor).isEmpty()) {
                    names.add(String.valueOf(((List<?>) tensor).get(0)));
                }
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** @return the names of the layers feeding this one (functional models only; empty for Sequential) */
    List<String> inbound() {
        return inbound;
    }

    /** @return the Keras class name, e.g. {@code Dropout} */
    String className() {
        return className;
    }

    /** @return the layer name, which DL4J's import uses as layer (vertex) name */
    String name() {
        return name;
    }

    /** @return the wrapped layer of a wrapper, or null */
    KerasLayerSpec inner() {
        return inner;
    }

    /** @return whether the config has the field (even with a null value) */
    boolean has(String field) {
        return config.containsKey(field);
    }

    /**
     * Reads a numeric field.
     *
     * @param field the field
     * @return the value, or null if absent or null
     * @throws IllegalArgumentException if the value is not a number
     */
    Double number(String field) {
        Object v = config.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        throw new IllegalArgumentException("Keras layer '" + name + "' (" + className + "): field " + field
                + " must be a number, got " + v);
    }

    /** @return a field's raw value (null if absent) */
    Object raw(String field) {
        return config.get(field);
    }

    /**
     * Reads a list field, such as {@code noise_shape}.
     *
     * @param field the field
     * @return the list, or null if absent or null
     * @throws IllegalArgumentException if the value is not a list
     */
    List<?> list(String field) {
        Object v = config.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof List) {
            return (List<?>) v;
        }
        throw new IllegalArgumentException("Keras layer '" + name + "' (" + className + "): field " + field
                + " must be a list, got " + v);
    }

    /** @return a string field, or null */
    String string(String field) {
        Object v = config.get(field);
        return v == null ? null : String.valueOf(v);
    }

    @Override
    public String toString() {
        return "'" + name + "' (" + className + ")";
    }
}
