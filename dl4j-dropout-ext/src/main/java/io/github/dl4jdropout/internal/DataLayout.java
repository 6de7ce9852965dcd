package io.github.dl4jdropout.internal;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;

/**
 * The memory layout of the activations flowing between two layers: 2-D feed-forward rows, or one of DL4J's sequence
 * and feature-map formats. One type for what DL4J spreads over {@link RNNFormat}, {@link CNN2DFormat} and
 * {@link Convolution3D.DataFormat}, so that "does this dropout fit these activations" is one comparison.
 */
public enum DataLayout {
    /** {@code [minibatch, features]}. */
    FEED_FORWARD(2, false, null),
    /** Sequences or 1-D feature maps, {@code [minibatch, channels, time]}. */
    NCW(3, false, "RNNFormat.NCW"),
    /** Sequences or 1-D feature maps, {@code [minibatch, time, channels]}. */
    NWC(3, true, "RNNFormat.NWC"),
    /** 2-D feature maps, {@code [minibatch, channels, height, width]}. */
    NCHW(4, false, "CNN2DFormat.NCHW"),
    /** 2-D feature maps, {@code [minibatch, height, width, channels]}. */
    NHWC(4, true, "CNN2DFormat.NHWC"),
    /** 3-D feature maps, {@code [minibatch, channels, depth, height, width]}. */
    NCDHW(5, false, "Convolution3D.DataFormat.NCDHW"),
    /** 3-D feature maps, {@code [minibatch, depth, height, width, channels]}. */
    NDHWC(5, true, "Convolution3D.DataFormat.NDHWC");

    private final int rank;
    private final boolean channelsLast;
    private final String code;

    DataLayout(int rank, boolean channelsLast, String code) {
        this.rank = rank;
        this.channelsLast = channelsLast;
        this.code = code;
    }

    /** @return the rank of activations in this layout */
    public int rank() {
        return rank;
    }

    /** @return whether channels (features) are the last dimension */
    public boolean channelsLast() {
        return channelsLast;
    }

    /** @return whether this is a rank-3 layout (sequences or 1-D feature maps) */
    public boolean isSequence() {
        return rank == 3;
    }

    /** @return the dimension holding time (rank 3 only) */
    public int timeDimension() {
        if (rank != 3) {
            throw new IllegalStateException(this + " has no time dimension");
        }
        return channelsLast ? 1 : 2;
    }

    /**
     * @return the DL4J constant naming this layout as Java code, for example {@code CNN2DFormat.NHWC}; null for
     * {@link #FEED_FORWARD}
     */
    public String code() {
        return code;
    }

    /** @param format a DL4J sequence format @return its layout */
    public static DataLayout of(RNNFormat format) {
        return format == RNNFormat.NWC ? NWC : NCW;
    }

    /** @param format a DL4J 2-D format @return its layout */
    public static DataLayout of(CNN2DFormat format) {
        return format == CNN2DFormat.NHWC ? NHWC : NCHW;
    }

    /** @param format a DL4J 3-D format @return its layout */
    public static DataLayout of(Convolution3D.DataFormat format) {
        return format == Convolution3D.DataFormat.NDHWC ? NDHWC : NCDHW;
    }

    /**
     * @param type a DL4J input type
     * @return the layout of activations of that type, or null for types without one (for example
     * {@code InputType.convolutionalFlat}, which is rank 2 but not a feature vector in DL4J's sense)
     */
    public static DataLayout of(InputType type) {
        if (type instanceof InputType.InputTypeRecurrent) {
            return of(((InputType.InputTypeRecurrent) type).getFormat());
        }
        if (type instanceof InputType.InputTypeConvolutional) {
            return of(((InputType.InputTypeConvolutional) type).getFormat());
        }
        if (type instanceof InputType.InputTypeConvolutional3D) {
            return of(((InputType.InputTypeConvolutional3D) type).getDataFormat());
        }
        if (type instanceof InputType.InputTypeFeedForward || type instanceof InputType.InputTypeConvolutionalFlat) {
            return FEED_FORWARD;
        }
        return null;
    }

    /**
     * The layout of actual activations described by a DL4J input type, decided by their shape. DL4J's propagated
     * input types lose the format after some layers (a {@code Convolution3D} in NCDHW reports an NDHWC output type),
     * so the type's format is not trusted on its own: the layout is the channel order (the type's or the other one
     * of the same rank) whose channel dimension has the type's channel count, when exactly one does.
     *
     * @param type  an input type, or null
     * @param shape the shape of the activations it describes
     * @return the layout, or null if unknown, or if both or neither channel order fit the shape
     */
    public static DataLayout matching(InputType type, long[] shape) {
        DataLayout claimed = type == null ? null : of(type);
        if (claimed == null || claimed == FEED_FORWARD || shape.length != claimed.rank()) {
            return claimed != null && shape.length == claimed.rank() ? claimed : null;
        }
        long channels;
        if (type instanceof InputType.InputTypeRecurrent) {
            channels = ((InputType.InputTypeRecurrent) type).getSize();
        } else if (type instanceof InputType.InputTypeConvolutional) {
            channels = ((InputType.InputTypeConvolutional) type).getChannels();
        } else {
            channels = ((InputType.InputTypeConvolutional3D) type).getChannels();
        }
        DataLayout twin = claimed.otherChannelOrder();
        boolean claimedFits = fits(claimed, shape, channels);
        boolean twinFits = fits(twin, shape, channels);
        return claimedFits == twinFits ? null : claimedFits ? claimed : twin;
    }

    /** @return the layout of the same rank with the channels at the other end; FEED_FORWARD for itself */
    public DataLayout otherChannelOrder() {
        switch (this) {
            case NCW:
                return NWC;
            case NWC:
                return NCW;
            case NCHW:
                return NHWC;
            case NHWC:
                return NCHW;
            case NCDHW:
                return NDHWC;
            case NDHWC:
                return NCDHW;
            default:
                return this;
        }
    }

    private static boolean fits(DataLayout layout, long[] shape, long channels) {
        return shape[layout.channelsLast ? shape.length - 1 : 1] == channels;
    }
}
