package io.github.dl4jdropout.audit;

/**
 * The checks of {@link DropoutAudit}. The constant names are stable identifiers: filter or assert on them in your own
 * tests. {@code docs/audit.md} gives each check's reasoning, threshold and source.
 *
 * @since 0.1.0
 */
public enum AuditCheck {
    /**
     * A DL4J {@code Dropout}, {@code SpatialDropout}, {@code AlphaDropout} or {@code DropConnect} whose argument, a
     * <em>retain</em> probability, is below 0.5: almost always meant as a drop rate.
     */
    RETAIN_PROBABILITY_CONFUSION("DL4J retain probability below 0.5"),
    /**
     * Dropout on the raw network input above Srivastava et al.'s input rate (drop 0.2); a warning from the hidden-layer
     * rate 0.5 on.
     */
    INPUT_DROPOUT_TOO_HIGH("high drop rate on the network input"),
    /** The same dropout on every layer that applies dropout, the network input and the output layer's input included. */
    DROPOUT_ON_EVERY_LAYER("same dropout on every layer"),
    /** Element-wise dropout on convolutional feature maps, where whole-channel (spatial) dropout regularizes. */
    ELEMENTWISE_DROPOUT_ON_FEATURE_MAPS("element-wise dropout on feature maps"),
    /** DL4J's {@code SpatialDropout} on channels-last activations: it always drops along dimension 1. */
    DL4J_SPATIAL_DROPOUT_CHANNELS_LAST("DL4J SpatialDropout on channels-last activations"),
    /** Element-wise dropout on the input of a recurrent layer: a fresh mask at every time step. */
    PER_STEP_DROPOUT_ON_RECURRENT("fresh dropout mask at every time step"),
    /** Dropout whose output feeds a {@code BatchNormalization} layer (variance shift, Li et al. 2019). */
    DROPOUT_BEFORE_BATCH_NORM("dropout right before BatchNormalization"),
    /** Dropout configured on a layer whose DL4J implementation never applies it. */
    DROPOUT_IGNORED("dropout that DL4J never applies"),
    /**
     * One instance of a DL4J dropout that keeps its mask in a field ({@code Dropout}, {@code SpatialDropout},
     * {@code AlphaDropout}, {@code GaussianDropout}) on several layers.
     */
    SHARED_STATEFUL_DROPOUT("stateful dropout instance shared by layers"),
    /**
     * A variant of this library whose data format does not match its layer, recurrent-weight dropout on a layer
     * without recurrent weights, or an NWC {@code LSTM} with dropout (see
     * {@link io.github.dl4jdropout.Dropouts#checkFormats(org.deeplearning4j.nn.conf.MultiLayerConfiguration)}).
     */
    FORMAT_MISMATCH("dropout does not match its layer"),
    /**
     * Dropout on a layer whose DL4J 1.0.0-M2.1 backward pass ignores the mask ({@code Convolution1DLayer},
     * {@code Convolution3D}, {@code Deconvolution2D/3D}, {@code SpaceToDepthLayer}, {@code RepeatVector}): the layers
     * before it get wrong gradients.
     *
     * @since 0.2.0
     */
    DROPOUT_NOT_BACKPROPAGATED("dropout whose gradient DL4J never applies"),
    /**
     * DL4J's own {@code DropoutLayer} on sequences: it fails on the first minibatch with a features mask (padded
     * sequences), in training and inference.
     *
     * @since 0.2.0
     */
    DL4J_DROPOUT_LAYER_ON_SEQUENCES("DL4J DropoutLayer on sequences fails with masks"),
    /** A network without any stochastic layer handed to Monte Carlo evaluation (only {@code forMonteCarlo}). */
    NO_STOCHASTIC_LAYER("no stochastic layer for Monte Carlo evaluation");

    private final String title;

    AuditCheck(String title) {
        this.title = title;
    }

    /**
     * Returns a short human-readable title, as printed in the report.
     *
     * @return the title, for example "high drop rate on the network input"
     */
    public String title() {
        return title;
    }
}
