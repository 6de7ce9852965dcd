package io.github.dl4jdropout.examples.support;

/**
 * The checks the examples' options records run in their constructors, in one place so that every message reads
 * alike: the field's name, what was expected, and the value received.
 */
public final class Require {

    private Require() {
    }

    /**
     * @param name  field name
     * @param value the value
     * @param <T>   its type
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is null
     */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * @param name  field name
     * @param value the value
     * @param min   smallest allowed value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value < min}
     */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /**
     * @param name  field name
     * @param value the value
     * @param min   smallest allowed value
     * @param max   largest allowed value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is outside {@code [min, max]}
     */
    public static int inRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /**
     * @param name field name
     * @param rate the value
     * @return {@code rate}
     * @throws IllegalArgumentException unless {@code rate} is a drop rate in {@code [0, 1)}
     */
    public static double dropRate(String name, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(name + " must be a drop rate in [0, 1), got " + rate);
        }
        return rate;
    }

    /**
     * @param name  field name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value} is positive and finite
     */
    public static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value);
        }
        return value;
    }

    /**
     * @param name  field name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException unless {@code value} is finite and not negative
     */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
        return value;
    }
}
