package io.github.dl4jdropout.dropout;

import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * A regularizer of this library whose strength is a drop rate: the probability of dropping a unit, constant or
 * scheduled over training. Implemented by every dropout variant ({@link InvertedDropout}, {@link TimeSharedDropout},
 * {@link SpatialChannelDropout}) and by {@link RecurrentWeightDropout}, so tools can read any of their rates the same
 * way.
 *
 * @since 0.2.0
 */
public interface HasDropRate {

    /**
     * Returns the drop rate schedule. A constant rate is a {@link FixedSchedule}.
     *
     * @return the drop rate schedule (never null)
     */
    ISchedule dropRateSchedule();

    /**
     * Returns the drop rate in force at an iteration and epoch.
     *
     * @param iteration iteration count
     * @param epoch     epoch count
     * @return the probability of dropping a unit, in {@code [0, 1)}
     * @throws IllegalStateException if the schedule yields a value outside {@code [0, 1)}
     */
    double dropRateAt(int iteration, int epoch);
}
