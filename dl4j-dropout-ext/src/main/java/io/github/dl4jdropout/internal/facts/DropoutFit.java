package io.github.dl4jdropout.internal.facts;

import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.SpatialFormat;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import io.github.dl4jdropout.internal.DataLayout;
import org.deeplearning4j.nn.conf.dropout.IDropout;

/**
 * Whether a format-aware dropout of this library fits the layout of the activations it will receive, and what to
 * write instead when it does not. The one place that rule lives: the network checks, the audit, the Monte Carlo
 * evaluator and the mask-aware dropout layer's run-time check all use it.
 */
public final class DropoutFit {

    private DropoutFit() {
    }

    /**
     * A mismatch between a dropout and its activations.
     */
    public static final class Mismatch {
        private final String problem;
        private final String fix;

        Mismatch(String problem, String fix) {
            this.problem = problem;
            this.fix = fix;
        }

        /** @return what is wrong, one sentence ending in a period, without the layer's name */
        public String problem() {
            return problem;
        }

        /** @return the dropout to use instead, as code, for example {@code Dropouts.timeShared(0.3, RNNFormat.NWC)} */
        public String fix() {
            return fix;
        }
    }

    /**
     * @param dropout the dropout (any class; only this library's format-aware variants can mismatch)
     * @param layout  the layout of the activations the dropout receives; null if unknown
     * @return the mismatch, or null if the dropout fits or the layout is unknown
     */
    public static Mismatch check(IDropout dropout, DataLayout layout) {
        if (layout == null) {
            return null;
        }
        String rate = rateCode(dropout);
        if (dropout instanceof TimeSharedDropout) {
            DataLayout declared = DataLayout.of(((TimeSharedDropout) dropout).dataFormat());
            if (layout == DataLayout.FEED_FORWARD) {
                return new Mismatch(dropout + " needs sequences, but this layer's dropout receives 2-D"
                        + " [minibatch, features] activations, so the first training step would fail.",
                        "Dropouts.standard(" + rate + ")");
            }
            if (!layout.isSequence()) {
                return new Mismatch(dropout + " is for sequences, but these activations are " + layout
                        + " feature maps.", "Dropouts.spatial(" + rate + ", " + layout.code() + ")");
            }
            if (layout != declared) {
                return new Mismatch("the activations are " + layout + " but the dropout is " + dropout
                        + ": its mask would span time steps instead of features.",
                        "Dropouts.timeShared(" + rate + ", " + layout.code() + ")");
            }
            return null;
        }
        if (dropout instanceof SpatialChannelDropout) {
            SpatialFormat declared = ((SpatialChannelDropout) dropout).dataFormat();
            if (layout == DataLayout.FEED_FORWARD) {
                return new Mismatch(dropout + " drops whole channels of feature maps, but this layer's dropout"
                        + " receives 2-D [minibatch, features] activations, so the first training step would fail.",
                        "Dropouts.standard(" + rate + ")");
            }
            boolean fits = declared == SpatialFormat.CHANNELS_FIRST ? !layout.channelsLast()
                    : declared.name().equals(layout.name());
            if (!fits) {
                return new Mismatch("the activations are " + layout + " but the dropout is " + dropout
                        + ": it would drop slices that are not channels.",
                        "Dropouts.spatial(" + rate + ", " + layout.code() + ")");
            }
        }
        return null;
    }

    /** @return the drop rate at the start of training as code, or {@code rate} if the dropout has none */
    static String rateCode(IDropout dropout) {
        return DropoutInfo.dropRate(dropout).isPresent() ? DropoutInfo.format(DropoutInfo.dropRate(dropout)
                .getAsDouble()) : "rate";
    }
}
