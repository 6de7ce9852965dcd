package io.github.dl4jdropout.keras;

import io.github.dl4jdropout.Dropouts;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;

/**
 * The layout of the activations that a dropout sees in the imported DL4J model: rank, where the channels (features)
 * are, the known dimension sizes, and how to build this library's spatial and time-shared dropout for it.
 *
 * <p>DL4J 1.0.0-M2.1's Keras import keeps Keras' tensor layout (channels-last layers become NWC, NHWC, NDHWC; a
 * {@code channels_first} convolution becomes NCHW), so dimension {@code i} here is axis {@code i} of the Keras tensor.
 */
final class ActivationLayout {

    private final InputType type;
    private final int rank;
    private final int channelDim;
    private final long[] sizes;
    private final String formatName;

    private ActivationLayout(InputType type, int rank, int channelDim, String formatName) {
        this.type = type;
        this.rank = rank;
        this.channelDim = channelDim;
        this.formatName = formatName;
        long[] s = type.getShape(true);
        this.sizes = s.length == rank ? s : new long[rank];
        if (s.length != rank) {
            Arrays.fill(this.sizes, -1);
        }
    }

    /**
     * @param type the DL4J input type of the activations
     * @return their layout
     * @throws IllegalArgumentException for an input type this module does not know
     */
    static ActivationLayout of(InputType type) {
        if (type instanceof InputType.InputTypeRecurrent) {
            RNNFormat f = ((InputType.InputTypeRecurrent) type).getFormat();
            return new ActivationLayout(type, 3, f == RNNFormat.NWC ? 2 : 1, f.name());
        }
        if (type instanceof InputType.InputTypeConvolutional) {
            CNN2DFormat f = ((InputType.InputTypeConvolutional) type).getFormat();
            return new ActivationLayout(type, 4, f == CNN2DFormat.NHWC ? 3 : 1, f.name());
        }
        if (type instanceof InputType.InputTypeConvolutional3D) {
            Convolution3D.DataFormat f = ((InputType.InputTypeConvolutional3D) type).getDataFormat();
            return new ActivationLayout(type, 5, f == Convolution3D.DataFormat.NDHWC ? 4 : 1, f.name());
        }
        if (type instanceof InputType.InputTypeFeedForward || type instanceof InputType.InputTypeConvolutionalFlat) {
            return new ActivationLayout(type, 2, 1, "[minibatch, features]");
        }
        throw new IllegalArgumentException("unknown DL4J input type " + type);
    }

    /** @return the rank of the activations, batch dimension included */
    int rank() {
        return rank;
    }

    /** @return the dimension that holds channels (features) */
    int channelDim() {
        return channelDim;
    }

    /** @return whether the channels are the last dimension */
    boolean channelsLast() {
        return channelDim == rank - 1;
    }

    /** @return the size of a dimension, or -1 if not known (the batch dimension, sometimes the time steps) */
    long size(int dim) {
        return sizes[dim] > 0 ? sizes[dim] : -1;
    }

    /** @return the DL4J format name, e.g. {@code NHWC} */
    String formatName() {
        return formatName;
    }

    /** @return e.g. {@code NHWC activations [minibatch, 8, 8, 3]} */
    String describe() {
        return type.toString();
    }

    /** Spatial dropout over this layout's channels; only for rank 3, 4 or 5. */
    IDropout spatial(double rate) {
        switch (rank) {
            case 3:
                return Dropouts.spatial(rate, rnnFormat());
            case 4:
                return Dropouts.spatial(rate, ((InputType.InputTypeConvolutional) type).getFormat());
            case 5:
                return Dropouts.spatial(rate, ((InputType.InputTypeConvolutional3D) type).getDataFormat());
            default:
                throw new IllegalStateException("spatial dropout needs rank 3, 4 or 5, not " + rank);
        }
    }

    /** The factory call {@link #spatial} makes, as code. */
    String spatialCode(double rate) {
        String r = Numbers.format(rate);
        switch (rank) {
            case 3:
                return "Dropouts.spatial(" + r + ", RNNFormat." + formatName + ")";
            case 4:
                return "Dropouts.spatial(" + r + ", CNN2DFormat." + formatName + ")";
            default:
                return "Dropouts.spatial(" + r + ", Convolution3D.DataFormat." + formatName + ")";
        }
    }

    /** Time-shared dropout for sequences in this layout; only for rank 3. */
    IDropout timeShared(double rate) {
        return Dropouts.timeShared(rate, rnnFormat());
    }

    /** The factory call {@link #timeShared} makes, as code. */
    String timeSharedCode(double rate) {
        return "Dropouts.timeShared(" + Numbers.format(rate) + ", RNNFormat." + formatName + ")";
    }

    private RNNFormat rnnFormat() {
        return ((InputType.InputTypeRecurrent) type).getFormat();
    }
}
