package io.github.dl4jdropout.montecarlo;

import io.github.dl4jdropout.internal.facts.NetworkFacts;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs a model's forward passes for Monte Carlo dropout: one deterministic pass per minibatch (everything in
 * inference mode), then any number of stochastic passes in which exactly the layers that carry a stochastic
 * regularizer run in training mode, on the minibatch replicated along dimension 0.
 *
 * <p>Implementations drive DL4J layers one by one (not {@code output(x, true)}), so BatchNormalization and every
 * other layer without a regularizer always run in inference mode. They never change parameters, BatchNorm
 * statistics, counters or RNN state, but they do overwrite stored layer inputs and masks: callers wrap their work
 * in {@link #snapshot()} / {@link StateSnapshot#restore()}.
 *
 * <p>{@link #prepare} runs with the batch workspace open and {@link #sample} with the chunk workspace open
 * ({@link McWorkspaces}): their arrays live there, except the deterministic output, which is detached.
 */
abstract class ForwardEngine {

    /** For putting back a layer's own stored input, which must not be moved into the evaluator's workspaces. */
    static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    static ForwardEngine create(MultiLayerNetwork net, NetworkFacts facts, McSampling sampling) {
        return new MultiLayerEngine(net, facts, sampling);
    }

    static ForwardEngine create(ComputationGraph graph, String outputName, NetworkFacts facts,
                                McSampling sampling) {
        return new GraphEngine(graph, outputName, facts, sampling);
    }

    /** Runs the deterministic pass and caches what the stochastic passes reuse. */
    abstract PreparedBatch prepare(INDArray[] features, INDArray[] featureMasks);

    /**
     * Runs {@code replicas} stochastic passes at once on the batch replicated replica-major along dimension 0.
     *
     * @param reusePrefix true to start from the cached deterministic activations, false to recompute the whole
     *                    network on the replicated inputs (same random draws, so the same results)
     * @return the model output for {@code replicas * minibatch} rows, replica-major
     */
    abstract INDArray sample(PreparedBatch batch, int replicas, boolean reusePrefix);

    /** True if some regularizer in the model samples anything; false means every MC sample would be identical. */
    abstract boolean hasStochasticLayer();

    /** True if some stochastic layer draws one sample per pass for the whole minibatch (weight noise). */
    abstract boolean hasSharedNoise();

    /** Configuration of the layer that produces the evaluated output. */
    abstract Layer outputLayerConf();

    /** Number of input arrays the model takes. */
    abstract int inputCount();

    /** Names of the layers (or vertices) that run in training mode during sampling, for messages and logs. */
    abstract String stochasticLayerNames();

    /**
     * Names of the layers (or vertices) that run as thinned networks ({@link McSampling#PER_PASS}, one mask per
     * sample for the whole minibatch); empty if none.
     */
    abstract String thinnedLayerNames();

    /** Records what the engine may overwrite, so that it can be put back. */
    abstract StateSnapshot snapshot();

    /** Something that puts a model's transient state back as it was. */
    interface StateSnapshot {
        void restore();
    }

    /**
     * Repeats the {@code minibatch} examples of {@code x} {@code replicas} times, replica-major
     * ({@code [x; x; ...]}). Always returns a new array: a layer allowed to modify its input in place must not damage
     * a cached activation.
     *
     * <p>An activation whose dimension 0 is a multiple {@code steps * minibatch} of the minibatch is a time series
     * flattened by DL4J's {@code RnnToFeedForwardPreProcessor} or {@code RnnToCnnPreProcessor}: row
     * {@code t * minibatch + n} holds example {@code n} at step {@code t}. It is replicated within each step, so that
     * the downstream {@code FeedForwardToRnnPreProcessor} sees a minibatch of {@code replicas * minibatch} examples.
     *
     * @throws IllegalStateException if dimension 0 is not a multiple of the minibatch size
     */
    static INDArray replicate(INDArray x, int replicas, long minibatch) {
        if (x == null) {
            return null;
        }
        long rows = x.size(0);
        if (rows % minibatch != 0) {
            throw new IllegalStateException("cannot replicate an activation of shape "
                    + java.util.Arrays.toString(x.shape()) + " for a minibatch of " + minibatch
                    + " examples: dimension 0 is neither the minibatch nor a multiple of it");
        }
        // [steps, minibatch, rest]: steps is 1 unless x is a flattened time series.
        long steps = rows / minibatch;
        long[] shape = x.shape().clone(); // shape() may return the array's own field
        shape[0] = rows * replicas;
        if (x.ordering() == 'f' && steps == 1) {
            // Keep the layout of x: a dropout mask is drawn in its array's memory order, so only then does a pass
            // that starts from a cached activation draw exactly the masks of a pass that recomputes it.
            INDArray out = Nd4j.createUninitialized(x.dataType(), shape, 'f');
            INDArrayIndex[] slice = NDArrayIndex.allFor(x);
            for (int r = 0; r < replicas; r++) {
                slice[0] = NDArrayIndex.interval(r * minibatch, (r + 1) * minibatch);
                out.get(slice).assign(x);
            }
            return out;
        }
        long rest = x.length() / rows;
        INDArray contiguous = x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
        INDArray source = contiguous.reshape('c', steps, 1, minibatch * rest);
        INDArray out = Nd4j.createUninitialized(x.dataType(), shape, 'c');
        INDArray target = out.reshape('c', steps, replicas, minibatch * rest);
        // One contiguous copy per replica (Nd4j.tile is an order of magnitude slower for large arrays).
        for (int r = 0; r < replicas; r++) {
            target.get(NDArrayIndex.all(), NDArrayIndex.point(r), NDArrayIndex.all()).assign(
                    source.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()));
        }
        return x.ordering() == 'c' ? out : out.dup(x.ordering());
    }

    /**
     * Runs one layer's forward pass on its (already preprocessed) input with the given workspaces, inside the
     * caller's {@link McWorkspaces#enterLayer} scope, and leaves the layer as {@code MultiLayerNetwork.output} does.
     *
     * @return the layer's output, in the manager's activation workspace
     */
    static INDArray activate(org.deeplearning4j.nn.api.Layer layer, INDArray x, boolean training,
                             LayerWorkspaceMgr workspaces) {
        INDArray out = McWorkspaces.keep(layer.activate(x, training, workspaces), workspaces);
        if (training) {
            // Noisy weights are cached for backprop and would otherwise be reused by the next pass.
            layer.clearNoiseWeightParams();
        }
        // Drops the stored input and mask and calls IDropout.clear(), as MultiLayerNetwork.output does.
        layer.clear();
        return out;
    }

    /**
     * {@code x} itself if its memory is laid out densely in its own order, otherwise a dense copy in that order. A
     * cached activation is made dense once per minibatch so that {@link #replicate} copies it only once per chunk
     * (a convolution's output, for example, is often a permuted view).
     */
    static INDArray dense(INDArray x) {
        return x == null || Shape.hasDefaultStridesForShape(x) ? x : x.dup(x.ordering());
    }

    static INDArray[] replicate(INDArray[] xs, int replicas, long minibatch) {
        if (xs == null) {
            return null;
        }
        INDArray[] out = new INDArray[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = replicate(xs[i], replicas, minibatch);
        }
        return out;
    }

    /** Elements of {@code a} per example of a minibatch of {@code minibatch} examples. */
    static long elementsPerExample(INDArray a, int minibatch) {
        return a == null ? 0 : Math.max(1, a.length() / Math.max(1, minibatch));
    }
}
