package io.github.dl4jdropout.montecarlo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.dl4jdropout.internal.facts.NetworkFacts;
import io.github.dl4jdropout.internal.facts.Sampling;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link ForwardEngine} for a {@link ComputationGraph} and one of its outputs. Vertices that no stochastic layer
 * reaches (not stochastic themselves and not downstream of one) form the deterministic part, computed once per
 * minibatch; their outputs that feed the stochastic part are cached and replicated for every chunk of samples.
 * Only the vertices the chosen output depends on are computed.
 *
 * <p>Layer vertices are driven directly (preprocessor with the replicated minibatch size, then
 * {@code layer.activate}); other vertices through {@code setInput}/{@code doForward} in inference mode. The graph's
 * own inputs and feature masks are set to the (replicated) batch during each pass because some vertices
 * ({@code LastTimeStepVertex}, {@code DuplicateToTimeSeriesVertex}, {@code ReverseTimeSeriesVertex}) read them.
 *
 * <p>With {@link McSampling#PER_PASS}, stochastic layer vertices that {@link ThinnedDenseLayer} accepts run thinned
 * on the replicated inputs, each as a {@link ThinnedChain} of one layer (unlike {@link MultiLayerEngine}, consecutive
 * thinned layers are not chained and the cached boundary activations are still replicated).
 */
final class GraphEngine extends ForwardEngine {

    private final ComputationGraph graph;
    private final GraphVertex[] vertices;
    /** Topological order restricted to the vertices the output needs. */
    private final int[] order;
    /** For each vertex index, the position in {@link #order} of its last consumer (-1 if none). */
    private final int[] lastUse;
    private final int outputIndex;
    private final boolean[] stochastic;
    private final boolean[] reached;
    private final boolean[] boundary;
    private final boolean sharedNoise;
    private final boolean anyStochastic;
    /** Per vertex index, its thinned layer (a chain of one) in {@link McSampling#PER_PASS} mode, else null. */
    private final ThinnedChain[] thinned;
    private final McWorkspaces.Pass batchWorkspaces = new McWorkspaces.Pass(McWorkspaces.BATCH);
    private final McWorkspaces.Pass chunkWorkspaces = new McWorkspaces.Pass(McWorkspaces.CHUNK);

    GraphEngine(ComputationGraph graph, String outputName, NetworkFacts facts, McSampling sampling) {
        this.graph = graph;
        this.vertices = graph.getVertices();
        if (vertices == null) {
            throw new IllegalArgumentException("model must be an initialized ComputationGraph (call init()), got one"
                    + " without vertices");
        }
        GraphVertex out = graph.getVertex(outputName);
        if (out == null || !out.hasLayer()) {
            throw new IllegalArgumentException("output must name an output layer of the graph, got \"" + outputName
                    + "\"; outputs are " + graph.getConfiguration().getNetworkOutputs());
        }
        this.outputIndex = out.getVertexIndex();

        boolean[] needed = new boolean[vertices.length];
        markNeeded(outputIndex, needed);
        int[] fullOrder = graph.topologicalSortOrder();
        List<Integer> kept = new ArrayList<>();
        for (int v : fullOrder) {
            if (needed[v]) {
                kept.add(v);
            }
        }
        this.order = kept.stream().mapToInt(Integer::intValue).toArray();

        this.stochastic = new boolean[vertices.length];
        this.reached = new boolean[vertices.length];
        this.boundary = new boolean[vertices.length];
        this.lastUse = new int[vertices.length];
        this.thinned = new ThinnedChain[vertices.length];
        java.util.Arrays.fill(lastUse, -1);
        boolean shared = false;
        boolean any = false;
        for (int pos = 0; pos < order.length; pos++) {
            int v = order[pos];
            GraphVertex gv = vertices[v];
            if (gv instanceof LayerVertex) {
                Sampling r = facts.node(gv.getVertexName()).sampling();
                stochastic[v] = r.stochastic();
                shared |= r.sharedAcrossMinibatch();
                ThinnedDenseLayer t = stochastic[v] && sampling == McSampling.PER_PASS
                        ? ThinnedDenseLayer.of(gv.getLayer()) : null;
                if (t != null) {
                    thinned[v] = new ThinnedChain(List.of(t));
                }
                any |= r.stochastic();
            }
            boolean r = stochastic[v];
            for (int in : inputsOf(v)) {
                r |= reached[in];
                lastUse[in] = pos;
            }
            reached[v] = r;
        }
        for (int v : order) {
            if (reached[v]) {
                for (int in : inputsOf(v)) {
                    if (!reached[in]) {
                        boundary[in] = true;
                    }
                }
            }
        }
        this.sharedNoise = shared;
        this.anyStochastic = any;
    }

    private void markNeeded(int v, boolean[] needed) {
        if (needed[v]) {
            return;
        }
        needed[v] = true;
        for (int in : inputsOf(v)) {
            markNeeded(in, needed);
        }
    }

    private int[] inputsOf(int v) {
        VertexIndices[] ins = vertices[v].getInputVertices();
        if (ins == null) {
            return new int[0];
        }
        int[] out = new int[ins.length];
        for (int j = 0; j < ins.length; j++) {
            out[j] = ins[j].getVertexIndex();
        }
        return out;
    }

    @Override
    PreparedBatch prepare(INDArray[] features, INDArray[] featureMasks) {
        int n = (int) features[0].size(0);
        setGraphInputs(features, featureMasks);
        Map<Integer, INDArray> acts = new HashMap<>();
        Map<Integer, INDArray> cached = new HashMap<>();
        long sampledElements = 0;
        for (int pos = 0; pos < order.length; pos++) {
            int v = order[pos];
            INDArray out = compute(v, acts, features, n, 1, false, batchWorkspaces);
            if (boundary[v]) {
                out = dense(out);
                cached.put(v, out);
            }
            acts.put(v, out);
            if (reached[v]) {
                long in = 0;
                for (int i : inputsOf(v)) {
                    in += elementsPerExample(acts.get(i), n);
                }
                sampledElements += in + elementsPerExample(out, n);
            }
            release(pos, acts);
        }
        INDArray output = acts.get(outputIndex).detach();
        return new PreparedBatch(features, featureMasks, n, output, cached,
                Math.max(1, sampledElements) * output.dataType().width());
    }

    @Override
    INDArray sample(PreparedBatch batch, int replicas, boolean reusePrefix) {
        int rows = batch.minibatch() * replicas;
        // With the prefix reused no input vertex is recomputed: only the masks need replicating.
        INDArray[] inputs = reusePrefix ? batch.features() : replicate(batch.features(), replicas, batch.minibatch());
        setGraphInputs(inputs, replicate(batch.featureMasks(), replicas, batch.minibatch()));
        Map<Integer, INDArray> acts = new HashMap<>();
        if (reusePrefix) {
            for (Map.Entry<Integer, INDArray> e : batch.cachedActivations().entrySet()) {
                acts.put(e.getKey(), replicate(e.getValue(), replicas, batch.minibatch()));
            }
        }
        for (int pos = 0; pos < order.length; pos++) {
            int v = order[pos];
            if (!reusePrefix || reached[v]) {
                acts.put(v, compute(v, acts, inputs, batch.minibatch(), replicas, stochastic[v], chunkWorkspaces));
            }
            release(pos, acts);
        }
        return acts.get(outputIndex);
    }

    /** Drops activations whose last consumer sits at {@code pos}, keeping the output. */
    private void release(int pos, Map<Integer, INDArray> acts) {
        for (int in : inputsOf(order[pos])) {
            if (lastUse[in] == pos && in != outputIndex) {
                acts.remove(in);
            }
        }
    }

    /**
     * @param minibatch examples per replica
     * @param replicas  replicas in the arrays ({@code minibatch * replicas} rows)
     */
    private INDArray compute(int v, Map<Integer, INDArray> acts, INDArray[] inputs, int minibatch, int replicas,
                             boolean training, McWorkspaces.Pass pass) {
        GraphVertex gv = vertices[v];
        if (gv.isInputVertex()) {
            return inputs[v];
        }
        LayerWorkspaceMgr workspaces = pass.forLayer(gv.hasLayer() ? gv.getLayer() : null);
        int[] ins = inputsOf(v);
        try (MemoryWorkspace ignored = McWorkspaces.enterLayer(workspaces)) {
            if (gv instanceof LayerVertex) {
                INDArray x = acts.get(ins[0]);
                InputPreProcessor pre = ((LayerVertex) gv).getLayerPreProcessor();
                if (pre != null) {
                    x = pre.preProcess(x, minibatch * replicas, workspaces);
                }
                if (training && thinned[v] != null) {
                    return McWorkspaces.keep(thinned[v].forward(x, false, replicas, minibatch, workspaces),
                            workspaces);
                }
                return activate(gv.getLayer(), x, training, workspaces);
            }
            for (int j = 0; j < ins.length; j++) {
                gv.setInput(j, acts.get(ins[j]), workspaces);
            }
            INDArray out = McWorkspaces.keep(gv.doForward(false, workspaces), workspaces);
            gv.clear();
            return out;
        }
    }

    private void setGraphInputs(INDArray[] inputs, INDArray[] masks) {
        graph.setInputs(inputs);
        if (masks != null) {
            graph.setLayerMaskArrays(masks, null);
        } else {
            graph.clearLayerMaskArrays();
        }
    }

    @Override
    boolean hasStochasticLayer() {
        return anyStochastic;
    }

    @Override
    boolean hasSharedNoise() {
        return sharedNoise;
    }

    @Override
    org.deeplearning4j.nn.conf.layers.Layer outputLayerConf() {
        return vertices[outputIndex].getLayer().conf().getLayer();
    }

    @Override
    int inputCount() {
        return graph.getNumInputArrays();
    }

    @Override
    String stochasticLayerNames() {
        List<String> names = new ArrayList<>();
        for (int v : order) {
            if (stochastic[v]) {
                names.add(vertices[v].getVertexName());
            }
        }
        return String.join(", ", names);
    }

    @Override
    String thinnedLayerNames() {
        List<String> names = new ArrayList<>();
        for (int v : order) {
            if (thinned[v] != null) {
                names.add(vertices[v].getVertexName());
            }
        }
        return String.join(", ", names);
    }

    @Override
    StateSnapshot snapshot() {
        INDArray[] graphInputs = graph.getInputs() == null ? null : graph.getInputs().clone();
        INDArray[] inputMasks = graph.getInputMaskArrays();
        INDArray[] labelMasks = graph.getLabelMaskArrays();
        Layer[] layers = graph.getLayers();
        INDArray[] layerInputs = new INDArray[layers.length];
        INDArray[] layerMasks = new INDArray[layers.length];
        for (int i = 0; i < layers.length; i++) {
            layerInputs[i] = layers[i].input();
            layerMasks[i] = layers[i].getMaskArray();
        }
        INDArray[][] vertexInputs = new INDArray[vertices.length][];
        for (int v = 0; v < vertices.length; v++) {
            INDArray[] in = vertices[v].getInputs();
            vertexInputs[v] = in == null ? null : in.clone();
        }
        return () -> {
            graph.setInputs(graphInputs);
            graph.setLayerMaskArrays(inputMasks, labelMasks);
            for (int i = 0; i < layers.length; i++) {
                layers[i].clear();
                if (layerInputs[i] != null) {
                    layers[i].setInput(layerInputs[i], NO_WORKSPACES);
                }
                layers[i].setMaskArray(layerMasks[i]);
            }
            for (int v = 0; v < vertices.length; v++) {
                INDArray[] in = vertices[v].getInputs();
                if (in != null && vertexInputs[v] != null) {
                    System.arraycopy(vertexInputs[v], 0, in, 0, Math.min(in.length, vertexInputs[v].length));
                }
            }
        };
    }
}
