package io.github.dl4jdropout.dropout;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.internal.Dl4jLayout;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Spatial dropout: drops whole channels (feature maps). For each (example, channel) the entire slice is either zero
 * or scaled by {@code 1 / (1 - dropRate)}.
 *
 * <p>From Tompson, Goroshin, Jain, LeCun and Bregler, "Efficient Object Localization Using Convolutional Networks",
 * CVPR 2015 (Keras {@code SpatialDropout1D/2D/3D}, PyTorch {@code Dropout1d/2d/3d}). Neighbouring activations of a
 * feature map are strongly correlated, so element-wise dropout barely removes information there; dropping whole
 * maps does.
 *
 * <p>Unlike DL4J's {@link org.deeplearning4j.nn.conf.dropout.SpatialDropout}, which always treats dimension 1 as the
 * channels (and so drops image rows on NHWC activations, or time steps on NWC sequences), the channel dimension
 * follows the {@link SpatialFormat} given. A rank that the format does not accept is an error naming the shape.
 * The format must match the layer's; {@link io.github.dl4jdropout.Dropouts#checkFormats} reports a mismatch before
 * training.
 *
 * @since 0.1.0
 */
public final class SpatialChannelDropout extends BaseMaskedDropout {

    private static final long serialVersionUID = 1L;

    @JsonProperty("dataFormat")
    private final SpatialFormat dataFormat;

    /**
     * @param dropRate   probability of dropping each (example, channel), in {@code [0, 1)}
     * @param dataFormat where the channels are
     * @throws IllegalArgumentException if {@code dropRate} is outside {@code [0, 1)} or {@code dataFormat} is null
     */
    public SpatialChannelDropout(double dropRate, SpatialFormat dataFormat) {
        this(new FixedSchedule(Checks.dropRate("dropRate", dropRate)), dataFormat);
    }

    /**
     * @param dropRateSchedule schedule of the drop rate; every value must be in {@code [0, 1)}
     * @param dataFormat       where the channels are
     * @throws IllegalArgumentException if an argument is null
     */
    @JsonCreator
    public SpatialChannelDropout(@JsonProperty("dropRateSchedule") ISchedule dropRateSchedule,
                                 @JsonProperty("dataFormat") SpatialFormat dataFormat) {
        super(dropRateSchedule);
        this.dataFormat = Checks.notNull("dataFormat", dataFormat, "a SpatialFormat");
    }

    /** @return where this dropout expects the channels */
    public SpatialFormat dataFormat() {
        return dataFormat;
    }

    @Override
    int[] maskDimensions(INDArray activations) {
        int rank = activations.rank();
        if (!dataFormat.acceptsRank(rank)) {
            throw new IllegalStateException("SpatialChannelDropout(" + dataFormat + ") accepts activations of rank "
                    + dataFormat.describeRanks() + " but received rank " + rank + ", shape "
                    + Checks.shape(activations.shape()) + ". Spatial dropout drops whole channels of convolutional"
                    + " activations; for dense activations use Dropouts.standard(rate).");
        }
        if (!dataFormat.channelsLast()) {
            return new int[]{0, 1};
        }
        Dl4jLayout.rejectChannelsLastLstm(toString());
        return new int[]{0, rank - 1};
    }

    @Override
    public SpatialChannelDropout clone() {
        return new SpatialChannelDropout(dropRateSchedule().clone(), dataFormat);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && dataFormat == ((SpatialChannelDropout) o).dataFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), dataFormat);
    }

    @Override
    public String toString() {
        return "SpatialChannelDropout(" + describeRate() + ", dataFormat=" + dataFormat + ")";
    }
}
