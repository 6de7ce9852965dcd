package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

/** {@link NetworkEdits} of a {@code ComputationGraphConfiguration}; only layer vertices are layers. */
final class GraphEdits implements NetworkEdits {

    private final ComputationGraphConfiguration conf;

    GraphEdits(ComputationGraphConfiguration conf) {
        this.conf = conf;
    }

    @Override
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    private LayerVertex vertex(String name) {
        GraphVertex v = conf.getVertices().get(name);
        if (!(v instanceof LayerVertex)) {
            throw new IllegalArgumentException("no layer vertex named '" + name + "'");
        }
        return (LayerVertex) v;
    }

    @Override
    public Layer layer(String name) {
        return vertex(name).getLayerConf().getLayer();
    }

    @Override
    public List<String> inputsOf(String name) {
        List<String> inputs = conf.getVertexInputs().get(name);
        return inputs == null ? List.of() : List.copyOf(inputs);
    }

    @Override
    public void replaceLayer(String name, Layer replacement) {
        vertex(name).getLayerConf().setLayer(replacement);
    }
}
