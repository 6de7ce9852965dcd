package io.github.dl4jdropout.internal.facts;

import io.github.dl4jdropout.internal.DataLayout;
import io.github.dl4jdropout.internal.LayerConfs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One layer of a network with its dropout facts: where it is, which layers feed it and which it feeds, the layout
 * of the activations its dropout receives, and what it samples in training. Built by {@link NetworkFacts}.
 */
public final class LayerNode {

    private final Integer index;
    private final String name;
    private final String location;
    private final Layer layer;
    private final Layer inner;
    private final InputPreProcessor preProcessor;
    final List<LayerNode> sources = new ArrayList<>();
    final List<LayerNode> consumers = new ArrayList<>();
    boolean readsNetworkInput;
    boolean onlyNetworkInput;
    boolean anyNetworkInput;
    DataLayout dropoutInputLayout;
    Sampling sampling;

    LayerNode(Integer index, String name, String location, Layer layer, InputPreProcessor preProcessor) {
        this.index = index;
        this.name = name;
        this.location = location;
        this.layer = layer;
        this.inner = LayerConfs.unwrap(layer);
        this.preProcessor = preProcessor;
    }

    /** @return the layer's index in a {@code MultiLayerNetwork}, or null in a graph */
    public Integer index() {
        return index;
    }

    /** @return the layer's name, or its vertex name in a graph; may be null in a multi-layer network */
    public String name() {
        return name;
    }

    /** @return how messages name the layer, for example {@code layer 2 (DenseLayer)} or {@code vertex 'x' (LSTM)} */
    public String location() {
        return location;
    }

    /** @return the layer's configuration as configured (wrappers included) */
    public Layer layer() {
        return layer;
    }

    /** @return the innermost wrapped configuration (the layer itself if it wraps none) */
    public Layer inner() {
        return inner;
    }

    /** @return the input preprocessor DL4J runs before this layer, or null */
    public InputPreProcessor preProcessor() {
        return preProcessor;
    }

    /** @return the nearest layers this layer reads from */
    public List<LayerNode> sources() {
        return Collections.unmodifiableList(sources);
    }

    /** @return the nearest layers reading from this one */
    public List<LayerNode> consumers() {
        return Collections.unmodifiableList(consumers);
    }

    /** @return whether the layer reads a network input directly */
    public boolean readsNetworkInput() {
        return readsNetworkInput;
    }

    /** @return whether every path back to the network input, skipping dropout layers, ends at a network input */
    public boolean onlyNetworkInput() {
        return onlyNetworkInput;
    }

    /** @return whether some path back to the network input, skipping dropout layers, ends at a network input */
    public boolean anyNetworkInput() {
        return anyNetworkInput;
    }

    /** @return whether the layer is a {@code DropoutLayer} (DL4J's or this library's) */
    public boolean isDropoutLayer() {
        return layer instanceof DropoutLayer;
    }

    /**
     * @return the layout of the activations this layer's own dropout receives: from its class, from the input type
     * a layer of this library recorded, or for a {@code DropoutLayer} inferred from its neighbours; null if unknown
     */
    public DataLayout dropoutInputLayout() {
        return dropoutInputLayout;
    }

    /** @return what the layer samples in training mode, at the network's current iteration and epoch */
    public Sampling sampling() {
        return sampling;
    }

    /** @return the location, for debugging */
    @Override
    public String toString() {
        return location;
    }
}
