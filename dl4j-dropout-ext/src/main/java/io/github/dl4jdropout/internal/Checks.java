package io.github.dl4jdropout.internal;

import java.util.Arrays;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Argument checks shared by every configurable class, so that a value built in code and a value read back from JSON
 * go through the same validation and produce the same message: parameter name, bad value, what was expected.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * Checks a drop rate: the probability of dropping a unit, in {@code [0, 1)}.
     *
     * @param parameter name of the parameter, for the message
     * @param dropRate  the value to check
     * @return {@code dropRate}
     * @throws IllegalArgumentException if {@code dropRate} is NaN, infinite, negative or {@code >= 1}
     */
    public static double dropRate(String parameter, double dropRate) {
        if (!(dropRate >= 0.0 && dropRate < 1.0)) {
            throw new IllegalArgumentException(parameter + " must be in [0, 1) (the probability of dropping a unit;"
                    + " 0 disables dropout), got " + dropRate);
        }
        return dropRate;
    }

    /**
     * Checks a drop rate schedule: not null, and a {@link FixedSchedule}'s value is a valid drop rate. Other
     * schedules are checked value by value with {@link #scheduledDropRate}.
     *
     * @param dropRateSchedule the schedule to check
     * @return {@code dropRateSchedule}
     * @throws IllegalArgumentException if the schedule is null or a fixed value is outside {@code [0, 1)}
     */
    public static ISchedule dropRateSchedule(ISchedule dropRateSchedule) {
        notNull("dropRateSchedule", dropRateSchedule, "an ISchedule giving the drop rate");
        if (dropRateSchedule instanceof FixedSchedule) {
            dropRate("dropRate", dropRateSchedule.valueAt(0, 0));
        }
        return dropRateSchedule;
    }

    /**
     * Reads a drop rate from its schedule and checks it.
     *
     * @param owner            the dropout, for the message
     * @param dropRateSchedule the schedule
     * @param iteration        iteration count
     * @param epoch            epoch count
     * @return the drop rate at that iteration and epoch
     * @throws IllegalStateException if the schedule yields a value outside {@code [0, 1)}
     */
    public static double scheduledDropRate(String owner, ISchedule dropRateSchedule, int iteration, int epoch) {
        double rate = dropRateSchedule.valueAt(iteration, epoch);
        if (!(rate >= 0.0 && rate < 1.0)) {
            throw new IllegalStateException(owner + ": the drop rate schedule " + dropRateSchedule + " gave " + rate
                    + " at iteration " + iteration + ", epoch " + epoch + "; a drop rate must be in [0, 1)");
        }
        return rate;
    }

    /**
     * Describes a drop rate schedule for {@code toString()}: the value of a constant rate, else the schedule.
     *
     * @param dropRateSchedule the schedule
     * @return for example {@code dropRate=0.5}
     */
    public static String describeRate(ISchedule dropRateSchedule) {
        return dropRateSchedule instanceof FixedSchedule
                ? "dropRate=" + dropRateSchedule.valueAt(0, 0)
                : "dropRateSchedule=" + dropRateSchedule;
    }

    /**
     * Checks that a reference is not null.
     *
     * @param parameter name of the parameter, for the message
     * @param value     the value to check
     * @param expected  what the parameter should be, for the message (for example "an RNNFormat (NCW or NWC)")
     * @param <T>       type of the value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is null
     */
    public static <T> T notNull(String parameter, T value, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(parameter + " must be " + expected + ", got null");
        }
        return value;
    }

    /**
     * Formats a shape for an error message, as {@code [4, 8, 7]}.
     *
     * @param shape array shape
     * @return the shape as text
     */
    public static String shape(long[] shape) {
        return Arrays.toString(shape);
    }
}
