package io.github.dl4jdropout.montecarlo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.dl4jdropout.internal.facts.NetworkFacts;
import io.github.dl4jdropout.internal.facts.Sampling;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.Convolution1DUtils;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * {@link ForwardEngine} for a {@link MultiLayerNetwork}: the layers before the first stochastic layer form the
 * deterministic prefix, computed once per minibatch; the rest runs once per chunk of replicated samples.
 *
 * <p>Mirrors {@code MultiLayerNetwork.outputOfLayerDetached}: input preprocessors (given the minibatch size of the
 * replicated batch), feature masks propagated with {@code feedForwardMaskArray}, and the NCHW/NHWC and NCW/NWC
 * permutes DL4J inserts between layers of different data formats.
 *
 * <p>With {@link McSampling#PER_PASS}, stochastic layers that {@link ThinnedDenseLayer} accepts run thinned, as
 * {@link ThinnedChain}s of consecutive such layers (a layer joins the chain of the one before it when that one's
 * activation is element-wise and no preprocessor stands between them). When the first stochastic layer starts a
 * chain, its input (after its preprocessor, column-major) is what the minibatch caches, and every replica reads that
 * single copy instead of a replicated one.
 */
final class MultiLayerEngine extends ForwardEngine {

    private final MultiLayerNetwork net;
    private final Layer[] layers;
    private final boolean[] stochastic;
    private final int firstStochastic;
    private final boolean sharedNoise;
    /** Per layer, whether it runs thinned ({@link McSampling#PER_PASS}). */
    private final boolean[] thinned;
    /** Per layer, the thinned chain that starts there, else null. */
    private final ThinnedChain[] chains;
    private final McWorkspaces.Pass batchWorkspaces = new McWorkspaces.Pass(McWorkspaces.BATCH);
    private final McWorkspaces.Pass chunkWorkspaces = new McWorkspaces.Pass(McWorkspaces.CHUNK);

    MultiLayerEngine(MultiLayerNetwork net, NetworkFacts facts, McSampling sampling) {
        this.net = net;
        this.layers = net.getLayers();
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("model must be an initialized MultiLayerNetwork (call init()), got one"
                    + " without layers");
        }
        this.stochastic = new boolean[layers.length];
        this.thinned = new boolean[layers.length];
        this.chains = new ThinnedChain[layers.length];
        List<ThinnedDenseLayer> chain = new ArrayList<>();
        int chainStart = -1;
        int first = -1;
        boolean shared = false;
        for (int i = 0; i < layers.length; i++) {
            Sampling r = facts.node(i).sampling();
            stochastic[i] = r.stochastic();
            shared |= r.sharedAcrossMinibatch();
            ThinnedDenseLayer t = stochastic[i] && sampling == McSampling.PER_PASS ? ThinnedDenseLayer.of(layers[i])
                    : null;
            thinned[i] = t != null;
            boolean joins = t != null && !chain.isEmpty() && chain.get(chain.size() - 1).elementWiseActivation()
                    && net.getLayerWiseConfigurations().getInputPreProcess(i) == null;
            if (!joins && !chain.isEmpty()) {
                chains[chainStart] = new ThinnedChain(chain);
                chain = new ArrayList<>();
            }
            if (t != null) {
                if (chain.isEmpty()) {
                    chainStart = i;
                }
                chain.add(t);
            }
            if (stochastic[i] && first < 0) {
                first = i;
            }
        }
        if (!chain.isEmpty()) {
            chains[chainStart] = new ThinnedChain(chain);
        }
        this.firstStochastic = first;
        this.sharedNoise = shared;
    }

    @Override
    PreparedBatch prepare(INDArray[] features, INDArray[] featureMasks) {
        INDArray x = features[0];
        int n = (int) x.size(0);
        INDArray mask = featureMasks == null ? null : featureMasks[0];
        setMasks(mask, n);
        INDArray prefixOutput = null;
        long sampledElements = 0;
        for (int i = 0; i < layers.length; i++) {
            if (i == firstStochastic) {
                x = dense(x);
                prefixOutput = chains[i] != null ? thinnedInput(i, x, n) : x;
            }
            INDArray in = x;
            x = step(i, x, n, false, batchWorkspaces);
            if (i >= firstStochastic) {
                sampledElements += elementsPerExample(in, n) + elementsPerExample(x, n);
            }
        }
        long bytes = Math.max(1, sampledElements) * x.dataType().width();
        return new PreparedBatch(features, featureMasks, n, x.detach(),
                Collections.singletonMap(firstStochastic, prefixOutput), bytes);
    }

    @Override
    INDArray sample(PreparedBatch batch, int replicas, boolean reusePrefix) {
        int n = batch.minibatch();
        int rows = n * replicas;
        INDArray mask = batch.featureMasks() == null ? null : replicate(batch.featureMasks()[0], replicas, n);
        setMasks(mask, rows);
        int start = reusePrefix ? firstStochastic : 0;
        // A thinned first stochastic layer reads the cached input once for every replica (see thinnedInput).
        boolean shared = reusePrefix && chains[firstStochastic] != null;
        INDArray cached = reusePrefix ? batch.cachedActivations().get(firstStochastic) : null;
        INDArray x = shared ? cached : reusePrefix ? replicate(cached, replicas, n)
                : replicate(batch.features()[0], replicas, n);
        for (int i = start; i < layers.length; ) {
            if (chains[i] != null) {
                x = thinnedStep(i, x, shared, replicas, n);
                i += chains[i].size();
            } else {
                x = step(i, x, rows, stochastic[i], chunkWorkspaces);
                i++;
            }
            shared = false;
        }
        return x;
    }

    /**
     * The input of the thinned chain starting at layer {@code i} after its preprocessor and format permute,
     * column-major, in the batch workspace: computed once per minibatch and read by every replica of every chunk.
     */
    private INDArray thinnedInput(int i, INDArray x, int minibatch) {
        LayerWorkspaceMgr workspaces = batchWorkspaces.forLayer(layers[i]);
        try (MemoryWorkspace ignored = McWorkspaces.enterLayer(workspaces)) {
            INDArray in = preprocess(i, x, minibatch, workspaces);
            return in.ordering() == 'f' && Shape.hasDefaultStridesForShape(in)
                    ? workspaces.leverageTo(ArrayType.ACTIVATIONS, in) : workspaces.dup(ArrayType.ACTIVATIONS, in, 'f');
        }
    }

    /**
     * Runs the thinned chain starting at layer {@code i} on {@code replicas} samples; {@code shared} means {@code x}
     * is the cached input of {@link #thinnedInput}, already preprocessed, held once for all replicas.
     */
    private INDArray thinnedStep(int i, INDArray x, boolean shared, int replicas, int minibatch) {
        LayerWorkspaceMgr workspaces = chunkWorkspaces.forLayer(layers[i]);
        try (MemoryWorkspace ignored = McWorkspaces.enterLayer(workspaces)) {
            INDArray in = shared ? x : preprocess(i, x, replicas * minibatch, workspaces);
            return McWorkspaces.keep(chains[i].forward(in, shared, replicas, minibatch, workspaces), workspaces);
        }
    }

    private INDArray preprocess(int i, INDArray x, int minibatch, LayerWorkspaceMgr workspaces) {
        InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
        if (pre != null) {
            x = pre.preProcess(x, minibatch, workspaces);
        }
        return permuteForFormat(i, x);
    }

    private void setMasks(INDArray mask, int minibatch) {
        net.clearLayerMaskArrays();
        if (mask != null) {
            net.feedForwardMaskArray(mask, MaskState.Active, minibatch);
        }
    }

    private INDArray step(int i, INDArray x, int minibatch, boolean training, McWorkspaces.Pass pass) {
        LayerWorkspaceMgr workspaces = pass.forLayer(layers[i]);
        try (MemoryWorkspace ignored = McWorkspaces.enterLayer(workspaces)) {
            return activate(layers[i], preprocess(i, x, minibatch, workspaces), training, workspaces);
        }
    }

    /** The data-format permutes of {@code MultiLayerNetwork.outputOfLayerDetached} (1.0.0-M2.1). */
    private INDArray permuteForFormat(int i, INDArray x) {
        if (i == 0) {
            return x;
        }
        org.deeplearning4j.nn.conf.layers.Layer prev = layers[i - 1].conf().getLayer();
        org.deeplearning4j.nn.conf.layers.Layer curr = layers[i].conf().getLayer();
        if (ConvolutionUtils.layerHasConvolutionLayout(prev) && ConvolutionUtils.layerHasConvolutionLayout(curr)) {
            CNN2DFormat before = ConvolutionUtils.getFormatForLayer(prev);
            CNN2DFormat after = ConvolutionUtils.getFormatForLayer(curr);
            if (before != after) {
                return before == CNN2DFormat.NCHW ? x.permute(0, 3, 1, 2) : x.permute(0, 2, 3, 1);
            }
        } else if (Convolution1DUtils.hasRnnDataFormat(prev) && Convolution1DUtils.hasRnnDataFormat(curr)) {
            RNNFormat before = Convolution1DUtils.getRnnFormatFromLayer(prev);
            RNNFormat after = Convolution1DUtils.getRnnFormatFromLayer(curr);
            if (before != after) {
                return x.permute(0, 2, 1);
            }
        }
        return x;
    }

    @Override
    boolean hasStochasticLayer() {
        return firstStochastic >= 0;
    }

    @Override
    boolean hasSharedNoise() {
        return sharedNoise;
    }

    @Override
    org.deeplearning4j.nn.conf.layers.Layer outputLayerConf() {
        return layers[layers.length - 1].conf().getLayer();
    }

    @Override
    int inputCount() {
        return 1;
    }

    @Override
    String stochasticLayerNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            if (stochastic[i]) {
                names.add(describe(i));
            }
        }
        return String.join(", ", names);
    }

    private String describe(int i) {
        String name = layers[i].conf().getLayer().getLayerName();
        return i + " (" + (name == null ? layers[i].getClass().getSimpleName() : name) + ")";
    }

    @Override
    String thinnedLayerNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            if (thinned[i]) {
                names.add(describe(i));
            }
        }
        return String.join(", ", names);
    }

    @Override
    StateSnapshot snapshot() {
        INDArray[] inputs = new INDArray[layers.length];
        INDArray[] masks = new INDArray[layers.length];
        for (int i = 0; i < layers.length; i++) {
            inputs[i] = layers[i].input();
            masks[i] = layers[i].getMaskArray();
        }
        return () -> {
            for (int i = 0; i < layers.length; i++) {
                layers[i].clear();
                if (inputs[i] != null) {
                    layers[i].setInput(inputs[i], NO_WORKSPACES);
                }
                layers[i].setMaskArray(masks[i]);
            }
        };
    }
}
