package io.github.dl4jdropout.dropout;

import io.github.dl4jdropout.internal.Checks;
import java.io.Serializable;
import java.util.Objects;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The drop-rate handling every regularizer of this library shares: one validated schedule (a constant rate is a
 * {@link FixedSchedule}), read and checked per iteration, described the same way in messages, stored in JSON under
 * {@code dropRateSchedule}, and compared by value.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
abstract class ScheduledDropRate implements HasDropRate, Serializable {

    private static final long serialVersionUID = 1L;

    @JsonProperty("dropRateSchedule")
    private final ISchedule dropRateSchedule;

    /**
     * @param dropRateSchedule the drop rate, as a schedule; a {@link FixedSchedule} value is checked here
     * @throws IllegalArgumentException if the schedule is null or a fixed rate is outside {@code [0, 1)}
     */
    ScheduledDropRate(ISchedule dropRateSchedule) {
        this.dropRateSchedule = Checks.dropRateSchedule(dropRateSchedule);
    }

    @Override
    public final ISchedule dropRateSchedule() {
        return dropRateSchedule;
    }

    @Override
    public final double dropRateAt(int iteration, int epoch) {
        return Checks.scheduledDropRate(getClass().getSimpleName(), dropRateSchedule, iteration, epoch);
    }

    /** @return the drop rate as text: the constant value, or the schedule */
    final String describeRate() {
        return Checks.describeRate(dropRateSchedule);
    }

    /** Equal if of the same class with an equal schedule; subclasses add their own fields. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        return dropRateSchedule.equals(((ScheduledDropRate) o).dropRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), dropRateSchedule);
    }
}
