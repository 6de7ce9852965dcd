package io.github.dl4jdropout.internal;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Navigation of DL4J layer configurations that wrap other layers, and which runtime a configuration runs. */
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

    /**
     * Whether a layer configuration runs the DL4J runtime of a DL4J configuration class: true for that class and for
     * subclasses that do not instantiate a runtime of their own (this library's {@code VariationalLSTM} extends
     * DL4J's {@code LSTM} configuration but runs its own implementation).
     *
     * @param layer    a layer configuration
     * @param dl4jConf the DL4J configuration class, for example {@code LSTM.class}
     * @return whether {@code layer} is a {@code dl4jConf} whose {@code instantiate} is the one {@code dl4jConf} has
     */
    public static boolean runsDl4jRuntimeOf(Layer layer, Class<? extends Layer> dl4jConf) {
        if (!dl4jConf.isInstance(layer)) {
            return false;
        }
        try {
            Class<?> declaring = layer.getClass().getMethod("instantiate", NeuralNetConfiguration.class,
                    Collection.class, int.class, INDArray.class, boolean.class, DataType.class).getDeclaringClass();
            return declaring.isAssignableFrom(dl4jConf);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("DL4J's Layer has no instantiate method: this version of dl4j-dropout"
                    + " needs deeplearning4j-nn 1.0.0-M2.1", e);
        }
    }
}
