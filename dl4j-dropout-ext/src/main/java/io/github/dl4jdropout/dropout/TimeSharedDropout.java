package io.github.dl4jdropout.dropout;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.Dl4jLayout;
import java.util.Objects;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Dropout for sequences with one mask per sequence: each (example, feature) pair is kept or dropped for the whole
 * sequence, the same at every time step. Kept values are scaled by {@code 1 / (1 - dropRate)}.
 *
 * <p>From Gal and Ghahramani, "A Theoretically Grounded Application of Dropout in Recurrent Neural Networks",
 * NeurIPS 2016 (the variational RNN; Keras {@code LSTM(dropout=...)}). DL4J's
 * {@link org.deeplearning4j.nn.conf.dropout.Dropout} draws a new mask at every time step instead, which is noisier
 * and is not the Bayesian approximation the paper derives. Use it on the input of {@code LSTM}, {@code GravesLSTM},
 * {@code SimpleRnn}, {@code Bidirectional}, {@code LastTimeStep} and of a dropout layer on sequences
 * ({@link io.github.dl4jdropout.Dropouts#layer}, which handles padded sequences; DL4J's own {@code DropoutLayer}
 * fails on them); for the
 * recurrent connections add {@link RecurrentWeightDropout}.
 *
 * <p>It needs rank-3 activations, {@code [minibatch, features, time]} (NCW, DL4J's default) or
 * {@code [minibatch, time, features]} (NWC). Padded steps of variable-length sequences are masked by DL4J as usual;
 * the dropout mask simply extends over them. DL4J's {@code RnnOutputLayer} (and {@code DenseLayer} behind an
 * {@code RnnToFeedForwardPreProcessor}) flatten sequences to 2-D before applying their dropout, which makes one mask
 * per sequence impossible: there this class throws instead of falling back to per-step masks.
 *
 * <p>The data format must match the layer's; {@link io.github.dl4jdropout.Dropouts#checkFormats} reports a
 * mismatch before training.
 *
 * @since 0.1.0
 */
public final class TimeSharedDropout extends BaseMaskedDropout {

    private static final long serialVersionUID = 1L;

    @JsonProperty("dataFormat")
    private final RNNFormat dataFormat;

    /**
     * @param dropRate   probability of dropping each (example, feature) for the whole sequence, in {@code [0, 1)}
     * @param dataFormat layout of the sequences: {@link RNNFormat#NCW} or {@link RNNFormat#NWC}
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)} or {@code dataFormat} is null
     */
    public TimeSharedDropout(double dropRate, RNNFormat dataFormat) {
        this(new FixedSchedule(Checks.dropRate("dropRate", dropRate)), dataFormat);
    }

    /**
     * @param dropRateSchedule schedule of the drop rate; every value must be in {@code [0, 1)}
     * @param dataFormat       layout of the sequences: {@link RNNFormat#NCW} or {@link RNNFormat#NWC}
     * @throws IllegalArgumentException if an argument is null
     */
    @JsonCreator
    public TimeSharedDropout(@JsonProperty("dropRateSchedule") ISchedule dropRateSchedule,
                             @JsonProperty("dataFormat") RNNFormat dataFormat) {
        super(dropRateSchedule);
        this.dataFormat = Checks.notNull("dataFormat", dataFormat, "an RNNFormat (NCW or NWC)");
    }

    /** @return the sequence layout this dropout expects */
    public RNNFormat dataFormat() {
        return dataFormat;
    }

    @Override
    int[] maskDimensions(INDArray activations) {
        if (activations.rank() != 3) {
            String hint = activations.rank() == 2
                    ? " A rank-2 input usually means the layer flattened the sequence first, as DL4J's RnnOutputLayer"
                    + " does ([minibatch * time, features]); one mask per sequence cannot be formed from that. Put"
                    + " the time-shared dropout in a dropout layer, Dropouts.layer(Dropouts.timeShared(rate)), (or on"
                    + " the recurrent layer) before the output layer,"
                    + " or use Dropouts.standard(rate) on this layer."
                    : "";
            throw new IllegalStateException("TimeSharedDropout needs rank-3 sequence activations ("
                    + (dataFormat == RNNFormat.NCW ? "[minibatch, features, time], NCW" : "[minibatch, time, features], NWC")
                    + ") but received rank " + activations.rank() + ", shape " + Checks.shape(activations.shape())
                    + "." + hint);
        }
        if (dataFormat == RNNFormat.NCW) {
            return new int[]{0, 1};
        }
        Dl4jLayout.rejectChannelsLastLstm(toString());
        return new int[]{0, 2};
    }

    @Override
    public TimeSharedDropout clone() {
        return new TimeSharedDropout(dropRateSchedule().clone(), dataFormat);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && dataFormat == ((TimeSharedDropout) o).dataFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dataFormat);
    }

    @Override
    public String toString() {
        return "TimeSharedDropout(" + describeRate() + ", dataFormat=" + dataFormat + ")";
    }
}
