package io.github.dl4jdropout.internal.facts;

import io.github.dl4jdropout.internal.DataLayout;
import io.github.dl4jdropout.internal.LayoutAwareLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;

/**
 * A network's dropout facts, seen the same way for a {@code MultiLayerConfiguration} and a
 * {@code ComputationGraphConfiguration}: its layers in order with the layers feeding them, the layout each layer's
 * dropout receives, what each layer samples in training, and the placements that train wrongly. The single source
 * that {@code Dropouts.checkFormats}, {@code DropoutAudit} and {@code MonteCarloEvaluator} read.
 *
 * <p>The layout a {@code DropoutLayer} receives comes from its own input preprocessor, else from the configuration
 * of the layer producing its input (through normalization and activation layers), else from the input type a layer
 * of this library recorded ({@link LayoutAwareLayer}; DL4J's propagated input types lose the format after some
 * layers, so they come second), else, when it reads the network input, from the layer it feeds. When none of these
 * tells, the layout is unknown and not checked.
 */
public final class NetworkFacts {

    private final List<LayerNode> nodes;
    private final Map<String, LayerNode> byName;
    private final List<Problem> problems;

    private NetworkFacts(List<LayerNode> nodes, int iteration, int epoch) {
        this.nodes = Collections.unmodifiableList(nodes);
        this.byName = new HashMap<>();
        for (LayerNode n : nodes) {
            if (n.name() != null) {
                byName.putIfAbsent(n.name(), n);
            }
            for (LayerNode s : n.sources) {
                s.consumers.add(n);
            }
        }
        Map<LayerNode, DataLayout> arriving = new HashMap<>();
        for (LayerNode n : nodes) {
            boolean[] reach = reachesInput(n, new HashMap<>());
            n.anyNetworkInput = reach[0];
            n.onlyNetworkInput = reach[1];
            n.sampling = Sampling.of(n.layer(), iteration, epoch);
            n.dropoutInputLayout = n.isDropoutLayer() ? arriving(n, arriving, new HashSet<>())
                    : Dl4jLayers.dropoutInputLayout(n.inner());
        }
        this.problems = Collections.unmodifiableList(Placements.problems(this.nodes));
    }

    /**
     * @param conf a multi-layer configuration
     * @return its facts, with schedules read at the configuration's iteration and epoch counts
     */
    public static NetworkFacts of(MultiLayerConfiguration conf) {
        List<LayerNode> nodes = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            String name = layer.getLayerName();
            boolean defaultName = name == null || name.equals("layer" + i);
            String location = "layer " + i + " (" + (defaultName ? "" : "'" + name + "', ")
                    + layer.getClass().getSimpleName() + ")";
            LayerNode node = new LayerNode(i, name, location, layer, conf.getInputPreProcess(i));
            if (i == 0) {
                node.readsNetworkInput = true;
            } else {
                node.sources.add(nodes.get(i - 1));
            }
            nodes.add(node);
        }
        return new NetworkFacts(nodes, conf.getIterationCount(), conf.getEpochCount());
    }

    /**
     * @param conf a graph configuration
     * @return its facts, with schedules read at the configuration's iteration and epoch counts
     */
    public static NetworkFacts of(ComputationGraphConfiguration conf) {
        Map<String, LayerNode> byName = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                LayerVertex vertex = (LayerVertex) e.getValue();
                Layer layer = vertex.getLayerConf().getLayer();
                byName.put(e.getKey(), new LayerNode(null, e.getKey(), "vertex '" + e.getKey() + "' ("
                        + layer.getClass().getSimpleName() + ")", layer, vertex.getPreProcessor()));
            }
        }
        Set<String> inputs = new HashSet<>(conf.getNetworkInputs());
        for (LayerNode node : byName.values()) {
            collectSources(node, node.name(), conf, inputs, byName, new HashSet<>());
        }
        return new NetworkFacts(new ArrayList<>(byName.values()), conf.getIterationCount(), conf.getEpochCount());
    }

    /** Adds the nearest layers (and network inputs) feeding a vertex, walking through non-layer vertices. */
    private static void collectSources(LayerNode node, String vertex, ComputationGraphConfiguration conf,
                                       Set<String> inputs, Map<String, LayerNode> byName, Set<String> seen) {
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

    /** @return {any path reaches an input, every path reaches an input}, walking back through DropoutLayers */
    private static boolean[] reachesInput(LayerNode n, Map<LayerNode, boolean[]> memo) {
        boolean[] known = memo.get(n);
        if (known != null) {
            return known;
        }
        boolean any = n.readsNetworkInput;
        boolean all = n.readsNetworkInput || !n.sources.isEmpty();
        for (LayerNode s : n.sources) {
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

    /** The layout of the activations arriving at a layer, from its neighbours; null if unknown. */
    private static DataLayout arriving(LayerNode n, Map<LayerNode, DataLayout> memo, Set<LayerNode> visiting) {
        if (memo.containsKey(n)) {
            return memo.get(n);
        }
        if (!visiting.add(n)) {
            return null;
        }
        DataLayout result;
        DataLayout recorded = n.inner() instanceof LayoutAwareLayer
                ? ((LayoutAwareLayer) n.inner()).recordedInputLayout() : null;
        if (n.preProcessor() != null) {
            result = Dl4jLayers.outputLayout(n.preProcessor());
        } else if (n.sources.isEmpty()) {
            // The network input: its type, as recorded from setInputType, else what the next layers expect.
            result = recorded != null ? recorded : n.readsNetworkInput ? expectedByConsumers(n) : null;
        } else if (n.readsNetworkInput) {
            result = null;
        } else {
            result = null;
            boolean first = true;
            for (LayerNode s : n.sources) {
                DataLayout out = Dl4jLayers.outputLayout(s.layer());
                if (out == null && Dl4jLayers.passesLayoutThrough(s.inner())) {
                    out = arriving(s, memo, visiting);
                }
                if (first) {
                    result = out;
                    first = false;
                } else if (result != out) {
                    result = null;
                }
            }
            // The producers' own configuration decides: DL4J's propagated input types lose the format after some
            // layers (a Convolution3D in NCDHW reports NDHWC output). The recorded type is the fallback.
            if (result == null) {
                result = recorded;
            }
        }
        memo.put(n, result);
        return result;
    }

    /** What the layers reading a network-input DropoutLayer expect; null unless they all agree and are known. */
    private static DataLayout expectedByConsumers(LayerNode n) {
        DataLayout result = null;
        for (LayerNode c : n.consumers) {
            if (c.preProcessor() != null) {
                return null;
            }
            Layer inner = c.inner();
            DataLayout expected = inner instanceof RnnOutputLayer || inner instanceof RnnLossLayer
                    ? Dl4jLayers.outputLayout(inner) : Dl4jLayers.dropoutInputLayout(inner);
            if (expected == null && c.isDropoutLayer()) {
                expected = expectedByConsumers(c);
            }
            if (expected == null || (result != null && result != expected)) {
                return null;
            }
            result = expected;
        }
        return result;
    }

    /** @return the layers, in network order (a graph's in the order its vertices were added) */
    public List<LayerNode> nodes() {
        return nodes;
    }

    /**
     * @param index a layer index of a multi-layer network
     * @return that layer's node
     * @throws IndexOutOfBoundsException if there is no such layer
     */
    public LayerNode node(int index) {
        return nodes.get(index);
    }

    /**
     * @param vertexName a layer vertex's name in a graph
     * @return that vertex's node, or null if it is not a layer vertex
     */
    public LayerNode node(String vertexName) {
        return byName.get(vertexName);
    }

    /** @return the placements that train wrongly or fail; empty if none */
    public List<Problem> problems() {
        return problems;
    }

    /** @return whether some layer samples anything in training mode ({@link Sampling#stochastic()}) */
    public boolean hasStochasticLayer() {
        for (LayerNode n : nodes) {
            if (n.sampling.stochastic()) {
                return true;
            }
        }
        return false;
    }
}
