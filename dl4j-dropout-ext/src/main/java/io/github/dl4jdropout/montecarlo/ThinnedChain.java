package io.github.dl4jdropout.montecarlo;

import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Consecutive {@link ThinnedDenseLayer}s run as one thinned network, replica by replica, for
 * {@link McSampling#PER_PASS}. Each replica draws one keep/drop decision per input unit of every layer; layer
 * {@code l} then multiplies only the kept rows of its weights, and, when layer {@code l + 1} of the chain follows it
 * directly, only the columns of the units that layer keeps: a unit dropped at the input of layer {@code l + 1} is
 * multiplied by 0 there, so computing it would be wasted. For the benchmark MLP (drop rate 0.5 before its two
 * 1024-wide layers) the big product shrinks from {@code [n, 1024] x [1024, 1024]} to about
 * {@code [n, 512] x [512, 512]}.
 *
 * <p>The result is exactly DL4J's forward pass of the same layers with each layer's input multiplied element-wise by
 * its mask and {@code 1 / (1 - dropRate)}: kept inputs are gathered and the scale is applied as the product's
 * factor. A layer may precede another in a chain only if its activation is element-wise (not softmax) and nothing
 * (no preprocessor, no other layer) stands between them; chains are formed by the engines. With a chain of one layer
 * every output unit is computed.
 *
 * <p>Masks are drawn layer by layer, {@code replicas * nIn} Bernoulli values per layer from ND4J's random generator,
 * before any product, in the order in which unchained layers would draw them: a chain computes the same samples as
 * its layers run one by one.
 */
final class ThinnedChain {

    private final ThinnedDenseLayer[] layers;

    /**
     * @param layers one or more layers, each feeding the next directly; every layer but the last with an
     *               element-wise activation
     * @throws IllegalArgumentException if the list is empty or an inner layer's activation is not element-wise
     */
    ThinnedChain(List<ThinnedDenseLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers must hold at least one thinned layer, got none");
        }
        for (int l = 0; l + 1 < layers.size(); l++) {
            if (!layers.get(l).elementWiseActivation()) {
                throw new IllegalArgumentException("layers must have element-wise activations except the last, got "
                        + layers.get(l).activation() + " on " + layers.get(l).describe());
            }
        }
        this.layers = layers.toArray(new ThinnedDenseLayer[0]);
    }

    /** Number of layers in the chain. */
    int size() {
        return layers.length;
    }

    /**
     * Draws one mask per replica and layer from ND4J's random generator and runs the chain.
     *
     * @param x         the first layer's input after its preprocessor, rank 2: the minibatch once ({@code shared})
     *                  or {@code replicas} copies of it, replica-major
     * @param shared    true if {@code x} holds the minibatch once, read by every replica
     * @param replicas  samples computed at once
     * @param minibatch examples per replica
     * @return the last layer's output, {@code [replicas * minibatch, nOut]} column-major, in the manager's
     * activation workspace
     */
    INDArray forward(INDArray x, boolean shared, int replicas, int minibatch, LayerWorkspaceMgr workspaces) {
        int[][][] kept = new int[layers.length][][];
        double[] scales = new double[layers.length];
        for (int l = 0; l < layers.length; l++) {
            double dropRate = layers[l].dropRate();
            kept[l] = ThinnedDenseLayer.keptUnits(replicas, layers[l].nIn(), dropRate);
            scales[l] = 1.0 / (1.0 - dropRate);
        }
        return forward(x, shared, replicas, minibatch, kept, scales, workspaces);
    }

    /**
     * Runs the chain with given masks: the computation of {@link #forward(INDArray, boolean, int, int,
     * LayerWorkspaceMgr)} and of the exactness tests.
     *
     * @param kept   per layer and replica, the indices of the kept input units in increasing order
     * @param scales per layer, the inverted-dropout scale {@code 1 / (1 - dropRate)}
     * @throws IllegalStateException if {@code x} is not a matrix of the expected rows and the first layer's nIn
     *                               columns, or a layer's mask has a shape DL4J would refuse
     */
    INDArray forward(INDArray x, boolean shared, int replicas, int minibatch, int[][][] kept, double[] scales,
                     LayerWorkspaceMgr workspaces) {
        ThinnedDenseLayer first = layers[0];
        ThinnedDenseLayer last = layers[layers.length - 1];
        INDArray w0 = first.weights();
        long nIn = w0.size(0);
        long rows = (long) replicas * minibatch;
        long expectedRows = shared ? minibatch : rows;
        if (x.rank() != 2 || x.size(1) != nIn || x.size(0) != expectedRows) {
            throw new IllegalStateException(first.describe() + " received an input of shape "
                    + Arrays.toString(x.shape()) + "; accepted: [" + expectedRows + ", " + nIn + "] ("
                    + (shared ? "the minibatch" : replicas + " replicas of the minibatch of " + minibatch) + ", nIn "
                    + nIn + ")");
        }
        INDArray in = x.castTo(w0.dataType());
        if (in.ordering() != 'f' || !Shape.hasDefaultStridesForShape(in)) {
            in = in.dup('f');
        }
        // Rows of in^T are the columns of in, contiguous in memory: gathering kept input units is a row gather.
        INDArray inT = in.transpose();
        INDArray lastWeights = last.weights();
        INDArray out = workspaces.createUninitialized(ArrayType.ACTIVATIONS, lastWeights.dataType(),
                new long[] {rows, lastWeights.size(1)}, 'f');
        for (int r = 0; r < replicas; r++) {
            boolean whole = replicas == 1;
            INDArray source = shared || whole ? inT : inT.get(NDArrayIndex.all(), rowsOf(r, minibatch));
            // h: the current layer's kept inputs [minibatch, k], unscaled; for the first layer gathered from x.
            INDArray h = null;
            for (int l = 0; l < layers.length; l++) {
                int[] keptIn = kept[l][r];
                boolean isLast = l == layers.length - 1;
                int[] keptOut = isLast ? null : kept[l + 1][r];
                INDArray target = isLast
                        ? (whole ? out : out.get(rowsOf(r, minibatch), NDArrayIndex.all()))
                        : keptOut.length == 0 ? null
                        : workspaces.createUninitialized(ArrayType.FF_WORKING_MEM, lastWeights.dataType(),
                        new long[] {minibatch, keptOut.length}, 'f');
                if (target == null) {
                    // The next layer keeps no input: nothing this layer computes is used.
                    h = null;
                    continue;
                }
                if (keptIn.length == 0) {
                    target.assign(0.0);
                } else {
                    INDArray w = Nd4j.pullRows(layers[l].weights(), 1, keptIn);                 // [k, nOut]
                    if (keptOut != null) {
                        w = Nd4j.pullRows(w.transpose(), 1, keptOut).transpose();              // [k, k']
                    }
                    INDArray a = l == 0 ? Nd4j.pullRows(source, 1, keptIn) : h;                // [k, n] or [n, k]
                    Nd4j.exec(new Mmul(a, w, target, scales[l], 0.0,
                            MMulTranspose.builder().transposeA(l == 0).build()));
                }
                if (!isLast) {
                    h = activateInner(layers[l], target, keptOut, whole ? -1 : r, minibatch);
                }
            }
        }
        // BaseLayer.preOutput then BaseLayer.activate (DL4J 1.0.0-M2.1): bias, mask, activation, mask; for the
        // last layer once for all replicas.
        INDArray bias = last.bias();
        if (bias != null) {
            out.addiRowVector(bias);
        }
        INDArray mask = last.maskArray();
        if (mask != null) {
            last.applyMask(out, mask);
        }
        INDArray activated = last.activation().getActivation(out, true);
        if (mask != null) {
            last.applyMask(activated, mask);
        }
        return activated;
    }

    /** Rows of replica {@code r}; a fresh index per use, since ND4J may resolve an index against its array. */
    private static INDArrayIndex rowsOf(int r, int minibatch) {
        return NDArrayIndex.interval((long) r * minibatch, (long) (r + 1) * minibatch);
    }

    /**
     * Bias, mask and activation of an inner layer on the output units {@code keptOut} the next layer keeps.
     *
     * @param replica the replica whose rows {@code z} holds, or -1 if there is only one
     */
    private static INDArray activateInner(ThinnedDenseLayer layer, INDArray z, int[] keptOut,
                                          int replica, int minibatch) {
        INDArray bias = layer.bias();
        if (bias != null) {
            z.addiRowVector(Nd4j.pullRows(bias.reshape(bias.length(), 1), 1, keptOut).reshape(1, keptOut.length));
        }
        INDArray mask = layer.maskArray();
        if (mask != null && !mask.isColumnVectorOrScalar()) {
            throw new IllegalStateException(layer.describe() + " has a mask of shape " + Arrays.toString(
                    mask.shape()) + "; accepted before another layer: a per-example column vector");
        }
        INDArray rowMask = mask == null ? null
                : replica < 0 ? mask : mask.get(rowsOf(replica, minibatch), NDArrayIndex.all());
        if (rowMask != null) {
            z.muliColumnVector(rowMask.castTo(z.dataType()));
        }
        INDArray a = layer.activation().getActivation(z, true);
        if (rowMask != null) {
            a.muliColumnVector(rowMask.castTo(a.dataType()));
        }
        return a;
    }
}
