package io.github.dl4jdropout.dropout;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution3D;

/**
 * Where the channels are in the activations that {@link SpatialChannelDropout} drops, and which ranks it accepts.
 * Each constant corresponds to one of DL4J's data formats; {@link #CHANNELS_FIRST} accepts every rank with channels
 * at dimension 1, as DL4J's own {@code SpatialDropout} does.
 *
 * <p>The names are stored in saved configurations: they are never renamed.
 *
 * @since 0.1.0
 */
public enum SpatialFormat {
    /** Channels at dimension 1 of rank-3, 4 or 5 activations (NCW, NCHW, NCDHW). */
    CHANNELS_FIRST(new int[]{3, 4, 5}, false),
    /** 1-D convolutions or sequences, {@code [minibatch, channels, width]} ({@link RNNFormat#NCW}). */
    NCW(new int[]{3}, false),
    /** 1-D convolutions or sequences, {@code [minibatch, width, channels]} ({@link RNNFormat#NWC}). */
    NWC(new int[]{3}, true),
    /** 2-D convolutions, {@code [minibatch, channels, height, width]} ({@link CNN2DFormat#NCHW}). */
    NCHW(new int[]{4}, false),
    /** 2-D convolutions, {@code [minibatch, height, width, channels]} ({@link CNN2DFormat#NHWC}). */
    NHWC(new int[]{4}, true),
    /** 3-D convolutions, {@code [minibatch, channels, depth, height, width]} ({@link Convolution3D.DataFormat#NCDHW}). */
    NCDHW(new int[]{5}, false),
    /** 3-D convolutions, {@code [minibatch, depth, height, width, channels]} ({@link Convolution3D.DataFormat#NDHWC}). */
    NDHWC(new int[]{5}, true);

    private final int[] ranks;
    private final boolean channelsLast;

    SpatialFormat(int[] ranks, boolean channelsLast) {
        this.ranks = ranks;
        this.channelsLast = channelsLast;
    }

    /**
     * @param rank rank of an activations array
     * @return whether activations of that rank are accepted
     */
    public boolean acceptsRank(int rank) {
        for (int r : ranks) {
            if (r == rank) {
                return true;
            }
        }
        return false;
    }

    /** @return the accepted ranks, as text for messages ("3, 4 or 5") */
    String describeRanks() {
        return ranks.length == 1 ? String.valueOf(ranks[0]) : "3, 4 or 5";
    }

    /**
     * @param rank rank of the activations
     * @return the dimension that holds the channels
     */
    public int channelDimension(int rank) {
        return channelsLast ? rank - 1 : 1;
    }

    /** @return whether channels are the last dimension */
    public boolean channelsLast() {
        return channelsLast;
    }

    /**
     * @param format a DL4J 2-D convolution format
     * @return the matching spatial format
     */
    public static SpatialFormat of(CNN2DFormat format) {
        return format == CNN2DFormat.NHWC ? NHWC : NCHW;
    }

    /**
     * @param format a DL4J sequence / 1-D convolution format
     * @return the matching spatial format
     */
    public static SpatialFormat of(RNNFormat format) {
        return format == RNNFormat.NWC ? NWC : NCW;
    }

    /**
     * @param format a DL4J 3-D convolution format
     * @return the matching spatial format
     */
    public static SpatialFormat of(Convolution3D.DataFormat format) {
        return format == Convolution3D.DataFormat.NDHWC ? NDHWC : NCDHW;
    }
}
