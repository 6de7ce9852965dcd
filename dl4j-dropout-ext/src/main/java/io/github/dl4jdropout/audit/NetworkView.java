package io.github.dl4jdropout.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A network configuration seen the same way whether it is a {@code MultiLayerConfiguration} or a
 * {@code ComputationGraphConfiguration}: its layers in order, which layers feed which, and which layers read the
 * network input directly. Graph vertices that are not layers (merge, element-wise, preprocessor, ...) are walked
 * through.
 */
final class NetworkView {

    /** One layer of the network. */
    static final class Node {
        final Integer index;
        final String name;
        final String location;
        final Layer layer;
        /** The nearest layers this layer reads from; {@link #readsNetworkInput} says whether it also reads an input. */
        final List<Node> sources = new ArrayList<>();
        final List<Node> consumers = new ArrayList<>();
        boolean readsNetworkInput;
        /** Every path back to the network, skipping DropoutLayers, ends at a network input. */
        boolean onlyNetworkInput;
        /** Some path back to the network, skipping DropoutLayers, ends at a network input. */
        boolean anyNetworkInput;

        Node(Integer index, String name, String location, Layer layer) {
            this.index = index;
            this.name = name;
            this.location = location;
            this.layer = layer;
        }

        boolean isDropoutLayer() {
            return layer instanceof DropoutLayer;
        }
    }

    private final List<Node> nodes;

    private NetworkView(List<Node> nodes) {
        this.nodes = Collections.unmodifiableList(nodes);
        for (Node n : nodes) {
            for (Node s : n.sources) {
                s.consumers.add(n);
            }
        }
        for (Node n : nodes) {
            boolean[] reach = reachesInput(n, new HashMap<>());
            n.anyNetworkInput = reach[0];
            n.onlyNetworkInput = reach[1];
        }
    }

    /** @return {any path reaches an input, every path reaches an input}, walking back through DropoutLayers */
    private static boolean[] reachesInput(Node n, Map<Node, boolean[]> memo) {
        boolean[] known = memo.get(n);
        if (known != null) {
            return known;
        }
        boolean any = n.readsNetworkInput;
        boolean all = n.readsNetworkInput || !n.sources.isEmpty();
        for (Node s : n.sources) {
            if (s.isDropoutLayer()) {
                boolean[] r = reachesInput(s, memo);
                any |= r[0];
                all &= r[1];
            } else {
                all = false;
            }
        }
        boolean[] result = {any, all};
        memo.put(n, result);
        return result;
    }

    List<Node> nodes() {
        return nodes;
    }

    static NetworkView of(MultiLayerConfiguration conf) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            String name = layer.getLayerName();
            boolean defaultName = name == null || name.equals("layer" + i);
            String location = "layer " + i + " (" + (defaultName ? "" : "'" + name + "', ")
                    + layer.getClass().getSimpleName() + ")";
            Node node = new Node(i, name, location, layer);
            if (i == 0) {
                node.readsNetworkInput = true;
            } else {
                node.sources.add(nodes.get(i - 1));
            }
            nodes.add(node);
        }
        return new NetworkView(nodes);
    }

    static NetworkView of(ComputationGraphConfiguration conf) {
        Map<String, Node> byName = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                Layer layer = ((LayerVertex) e.getValue()).getLayerConf().getLayer();
                Node node = new Node(null, e.getKey(), "vertex '" + e.getKey() + "' ("
                        + layer.getClass().getSimpleName() + ")", layer);
                byName.put(e.getKey(), node);
                nodes.add(node);
            }
        }
        Set<String> inputs = new HashSet<>(conf.getNetworkInputs());
        for (Node node : nodes) {
            collectSources(node, node.name, conf, inputs, byName, new HashSet<>());
        }
        return new NetworkView(nodes);
    }

    /** Adds the nearest layers (and network inputs) feeding a vertex, walking through non-layer vertices. */
    private static void collectSources(Node node, String vertex, ComputationGraphConfiguration conf,
                                       Set<String> inputs, Map<String, Node> byName, Set<String> seen) {
        List<String> in = conf.getVertexInputs().get(vertex);
        if (in == null) {
            return;
        }
        for (String s : in) {
            if (!seen.add(s)) {
                continue;
            }
            if (inputs.contains(s)) {
                node.readsNetworkInput = true;
            } else if (byName.containsKey(s)) {
                node.sources.add(byName.get(s));
            } else {
                collectSources(node, s, conf, inputs, byName, seen);
            }
        }
    }
}
