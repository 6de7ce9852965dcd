package io.github.dl4jdropout.keras;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Creates every {@code DropoutLayer} that the import puts into a model: the replacement of each Keras noise layer
 * and the layer inserted before an LSTM with input dropout. It is the single place to change to use another dropout
 * layer (for example one that handles sequence masks).
 */
final class DropoutLayerFactory {

    private DropoutLayerFactory() {
    }

    /**
     * @param name    the layer (vertex) name
     * @param dropout the dropout it applies to its input in training
     * @return a new layer configuration, applying only the dropout (identity at inference)
     */
    static Layer create(String name, IDropout dropout) {
        return new DropoutLayer.Builder().name(name).dropOut(dropout).build();
    }
}
