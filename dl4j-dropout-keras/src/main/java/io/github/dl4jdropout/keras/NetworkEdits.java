package io.github.dl4jdropout.keras;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The edits the dropout mapping makes to a DL4J configuration before the network is created, for both kinds of
 * configuration. Layers are addressed by name: the Keras layer name, which DL4J's import gives to layers and vertices.
 */
interface NetworkEdits {

    /** @return the names of all layers, in network order */
    List<String> layerNames();

    /** @return the configuration of a layer */
    Layer layer(String name);

    /** @return the names of the layer's inputs (one for a multi-layer network) */
    List<String> inputsOf(String name);

    /** Replaces a layer's configuration; the name and the graph stay. */
    void replaceLayer(String name, Layer replacement);
}
