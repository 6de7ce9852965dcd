package io.github.dl4jdropout.montecarlo;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Converts between a model's output layout and the "rows" layout the statistics use: one row per prediction
 * (an example, or an example and time step, or an example and pixel) with the output channels as columns.
 *
 * <p>Rank 2 {@code [n, k]} is already rows. Rank 3 is {@code [n, k, t]} (NCW) or {@code [n, t, k]} (NWC) and rank 4
 * {@code [n, k, h, w]} (NCHW) or {@code [n, h, w, k]} (NHWC), as the output layer's configured format says; rows
 * are ordered example-major, matching a label mask of shape {@code [n, t]} (or {@code [n, h, w]}) read in c order.
 */
final class OutputLayout {

    private final int rank;
    private final int channelAxis;
    private final int[] toRowsPermutation;
    private final int[] fromRowsPermutation;

    private OutputLayout(int rank, int channelAxis) {
        this.rank = rank;
        this.channelAxis = channelAxis;
        this.toRowsPermutation = new int[rank];
        int j = 0;
        for (int a = 0; a < rank; a++) {
            if (a != channelAxis) {
                toRowsPermutation[j++] = a;
            }
        }
        toRowsPermutation[rank - 1] = channelAxis;
        this.fromRowsPermutation = new int[rank];
        for (int a = 0; a < rank; a++) {
            fromRowsPermutation[toRowsPermutation[a]] = a;
        }
    }

    /** The layout of an output of the given rank produced by a layer with the given configuration. */
    static OutputLayout of(int rank, Layer outputLayer) {
        if (rank == 2) {
            return new OutputLayout(2, 1);
        }
        if (rank == 3) {
            RNNFormat format = null;
            if (outputLayer instanceof RnnOutputLayer) {
                format = ((RnnOutputLayer) outputLayer).getRnnDataFormat();
            } else if (outputLayer instanceof RnnLossLayer) {
                format = ((RnnLossLayer) outputLayer).getRnnDataFormat();
            }
            return new OutputLayout(3, format == RNNFormat.NWC ? 2 : 1);
        }
        if (rank == 4) {
            CNN2DFormat format = outputLayer instanceof CnnLossLayer ? ((CnnLossLayer) outputLayer).getFormat() : null;
            return new OutputLayout(4, format == CNN2DFormat.NHWC ? 3 : 1);
        }
        throw new IllegalArgumentException("model output must have rank 2, 3 or 4 (feed-forward, sequence or"
                + " per-pixel), got rank " + rank);
    }

    /** Shape of a per-row quantity (entropy, mutual information) of {@code n} examples: [n] or [n, t] or [n, h, w]. */
    long[] perRowShape(long[] outputShape) {
        long[] s = new long[rank - 1];
        int j = 0;
        for (int a = 0; a < rank; a++) {
            if (a != channelAxis) {
                s[j++] = outputShape[a];
            }
        }
        return s;
    }

    /** {@code output} in model layout, as a c-ordered double matrix {@code [rows, channels]}. */
    INDArray toRows(INDArray output) {
        long k = output.size(channelAxis);
        INDArray p = rank == 2 ? output : output.permute(toRowsPermutation);
        return p.castTo(DataType.DOUBLE).dup('c').reshape('c', p.length() / k, k);
    }

    /** Inverse of {@link #toRows}: rows of {@code examples} examples back to the model layout of {@code shape}. */
    INDArray fromRows(INDArray rows, long[] shapeOfOne, long examples) {
        long[] permuted = new long[rank];
        for (int a = 0; a < rank; a++) {
            permuted[a] = shapeOfOne[toRowsPermutation[a]];
        }
        permuted[0] = examples;
        INDArray p = rows.reshape('c', permuted);
        return rank == 2 ? p : p.permute(fromRowsPermutation).dup('c');
    }

    @Override
    public String toString() {
        return "OutputLayout{rank=" + rank + ", channelAxis=" + channelAxis + ", toRows="
                + Arrays.toString(toRowsPermutation) + '}';
    }
}
