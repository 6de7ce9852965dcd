package io.github.dl4jdropout.dropout;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Standard (inverted) dropout: every activation is dropped independently with probability {@code dropRate}, and
 * kept activations are scaled by {@code 1 / (1 - dropRate)} so that inference needs no rescaling.
 *
 * <p>From Srivastava, Hinton, Krizhevsky, Sutskever and Salakhutdinov, "Dropout: A Simple Way to Prevent Neural
 * Networks from Overfitting", JMLR 15, 2014. It computes exactly what DL4J's
 * {@link org.deeplearning4j.nn.conf.dropout.Dropout} computes with retain probability {@code 1 - dropRate} (same
 * native op, same random stream), but takes the probability of <em>dropping</em> as Keras and PyTorch do, rejects
 * rates outside {@code [0, 1)}, and works when one instance is shared by several layers.
 *
 * <p>Create it with {@link io.github.dl4jdropout.Dropouts#standard(double)}. Instances are immutable
 * configuration; the masks of a training step are kept per thread and per layer, not in the instance.
 *
 * @since 0.1.0
 */
public final class InvertedDropout extends BaseMaskedDropout {

    private static final long serialVersionUID = 1L;

    /**
     * @param dropRate probability of dropping each activation, in {@code [0, 1)}; 0 passes activations through
     * @throws IllegalArgumentException if {@code dropRate} is NaN, infinite, negative or {@code >= 1}
     */
    public InvertedDropout(double dropRate) {
        this(new FixedSchedule(io.github.dl4jdropout.internal.Checks.dropRate("dropRate", dropRate)));
    }

    /**
     * @param dropRateSchedule schedule of the drop rate over iterations or epochs; every value must be in
     *                         {@code [0, 1)}, which is checked when the value is used
     * @throws IllegalArgumentException if {@code dropRateSchedule} is null
     */
    @JsonCreator
    public InvertedDropout(@JsonProperty("dropRateSchedule") ISchedule dropRateSchedule) {
        super(dropRateSchedule);
    }

    @Override
    int[] maskDimensions(INDArray activations) {
        return null;
    }

    @Override
    public InvertedDropout clone() {
        return new InvertedDropout(dropRateSchedule().clone());
    }

    @Override
    public String toString() {
        return "InvertedDropout(" + describeRate() + ")";
    }
}
