package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/** Navigation of the layer configurations DL4J's Keras import builds, wrappers included. */
final class Dl4jLayers {

    private Dl4jLayers() {
    }

    /**
     * @param layer a layer configuration
     * @return the layer and every layer it wraps (LastTimeStep, MaskZeroLayer, Bidirectional's two, FrozenLayer)
     */
    static List<Layer> levels(Layer layer) {
        List<Layer> out = new ArrayList<>();
        collect(layer, out);
        return out;
    }

    private static void collect(Layer layer, List<Layer> out) {
        if (layer == null) {
            return;
        }
        out.add(layer);
        if (layer instanceof Bidirectional) {
            collect(((Bidirectional) layer).getFwd(), out);
            collect(((Bidirectional) layer).getBwd(), out);
        } else if (layer instanceof BaseWrapperLayer) {
            collect(((BaseWrapperLayer) layer).getUnderlying(), out);
        } else if (layer instanceof FrozenLayer) {
            collect(((FrozenLayer) layer).getLayer(), out);
        }
    }

    /** @return the first recurrent layer among the levels, or null */
    static BaseRecurrentLayer recurrent(Layer layer) {
        for (Layer l : levels(layer)) {
            if (l instanceof BaseRecurrentLayer) {
                return (BaseRecurrentLayer) l;
            }
        }
        return null;
    }

    /**
     * Replaces one level of a layer configuration: the layer itself, or the layer a {@code BaseWrapperLayer}
     * (LastTimeStep, MaskZeroLayer) wraps, at any depth.
     *
     * @param top         the layer configuration of a layer or vertex
     * @param old         one of its {@link #levels}, not inside a Bidirectional or FrozenLayer
     * @param replacement what takes its place
     * @return the new top level: {@code replacement} if {@code old} was the top, else {@code top}, edited in place
     * @throws IllegalArgumentException if {@code old} is not reachable through BaseWrapperLayers from {@code top}
     */
    static Layer replaceLevel(Layer top, Layer old, Layer replacement) {
        if (top == old) {
            return replacement;
        }
        for (Layer l = top; l instanceof BaseWrapperLayer; l = ((BaseWrapperLayer) l).getUnderlying()) {
            BaseWrapperLayer wrapper = (BaseWrapperLayer) l;
            if (wrapper.getUnderlying() == old) {
                wrapper.setUnderlying(replacement);
                return top;
            }
        }
        throw new IllegalArgumentException(old + " is not wrapped by " + top + " through LastTimeStep or"
                + " MaskZeroLayer");
    }

    /** @return whether the dropout is DL4J's {@code Dropout(p=1.0)}: keeps everything, changes nothing */
    static boolean isNoOp(IDropout dropout) {
        return dropout instanceof Dropout && ((Dropout) dropout).getPSchedule() == null
                && ((Dropout) dropout).getP() == 1.0;
    }

    /** @return a short description of a DL4J dropout: {@code Dropout(p=0.8)} for DL4J's, toString otherwise */
    static String describe(IDropout dropout) {
        if (dropout instanceof Dropout && ((Dropout) dropout).getPSchedule() == null) {
            return "Dropout(p=" + Numbers.format(((Dropout) dropout).getP()) + ")";
        }
        return String.valueOf(dropout);
    }
}
