package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
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
    public InputPreProcessor preProcessor(String name) {
        return vertex(name).getPreProcessor();
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

    @Override
    public void insertBefore(String name, String newName, Layer inserted) {
        LayerVertex target = vertex(name);
        NeuralNetConfiguration nnc = target.getLayerConf().clone();
        nnc.clearVariables();
        inserted.setLayerName(newName);
        nnc.setLayer(inserted);
        LayerVertex added = new LayerVertex(nnc, target.getPreProcessor());
        target.setPreProcessor(null);

        Map<String, GraphVertex> vertices = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getKey().equals(name)) {
                vertices.put(newName, added);
            }
            vertices.put(e.getKey(), e.getValue());
        }
        conf.setVertices(vertices);
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getKey().equals(name)) {
                inputs.put(newName, new ArrayList<>(e.getValue()));
                inputs.put(name, new ArrayList<>(List.of(newName)));
            } else {
                inputs.put(e.getKey(), e.getValue());
            }
        }
        conf.setVertexInputs(inputs);
        // The cached order would leave the new vertex out; DL4J recomputes it in init() when absent.
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
    }

    @Override
    public boolean contains(String name) {
        return conf.getVertices().containsKey(name) || conf.getNetworkInputs().contains(name);
    }
}
