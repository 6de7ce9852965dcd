package io.github.dl4jdropout.keras;

import io.github.dl4jdropout.layers.MaskAwareDropoutLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Creates every {@code DropoutLayer} that the import puts into a model: the replacement of each Keras noise layer.
 * They are this library's {@link MaskAwareDropoutLayer}
 * (a DL4J {@code DropoutLayer}), because DL4J's own fails on padded sequences (Keras {@code Masking}).
 */
final class DropoutLayerFactory {

    private DropoutLayerFactory() {
    }

    /**
     * @param name    the layer (vertex) name
     * @param dropout the dropout it applies to its input in training
     * @return a new layer configuration, applying only the dropout (identity at inference), with DL4J's global
     *         defaults (updater, weight init, activation, ...) exactly as DL4J's import gives its own DropoutLayer
     */
    static Layer create(String name, IDropout dropout) {
        DropoutLayer layer = new MaskAwareDropoutLayer.Builder(dropout).name(name).build();
        // DL4J's import builds its layers through a NeuralNetConfiguration.Builder, which fills in the global
        // defaults; a layer without them (no updater) cannot even be read back from a MultiLayerConfiguration's JSON.
        new NeuralNetConfiguration.Builder().layer(layer).build();
        return layer;
    }
}
