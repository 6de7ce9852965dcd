package io.github.dl4jdropout.internal;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/** Navigation of DL4J layer configurations that wrap other layers. */
public final class LayerConfs {

    private LayerConfs() {
    }

    /**
     * @param layer a layer configuration
     * @return the layer it directly wraps (the forward direction of a {@code Bidirectional}), or null if it wraps none
     */
    public static Layer inner(Layer layer) {
        if (layer instanceof Bidirectional) {
            return ((Bidirectional) layer).getFwd();
        }
        if (layer instanceof BaseWrapperLayer) {
            return ((BaseWrapperLayer) layer).getUnderlying();
        }
        if (layer instanceof FrozenLayer) {
            return ((FrozenLayer) layer).getLayer();
        }
        return null;
    }

    /**
     * @param layer a layer configuration
     * @return the innermost wrapped layer, or {@code layer} itself if it wraps none
     */
    public static Layer unwrap(Layer layer) {
        Layer l = layer;
        for (Layer next = inner(l); next != null; next = inner(l)) {
            l = next;
        }
        return l;
    }
}
