package io.github.dl4jdropout.examples.rnn;

import io.github.dl4jdropout.examples.support.Table;
import java.util.Arrays;

/**
 * A metric measured once per seed: its values, their mean and their spread (sample standard deviation).
 *
 * <p>A difference between two networks trained with the same seeds (same training subset, data order and initial
 * weights) is the spread of the per-seed differences; it <em>exceeds the spread</em> when its mean is larger in
 * magnitude than their standard deviation and every seed has the same sign. With three seeds that is a rule of thumb
 * for "not noise", not a significance test.
 *
 * @param values one value per seed, in seed order, at least one
 */
public record Spread(double[] values) {

    /** Copies and checks the values. */
    public Spread {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("values must hold one value per seed, got "
                    + Arrays.toString(values));
        }
        values = values.clone();
    }

    /** @param values one value per seed @return their spread */
    public static Spread of(double... values) {
        return new Spread(values);
    }

    /**
     * The per-seed differences {@code this - other}, for two networks trained with the same seeds.
     *
     * @param other the same metric of another network, same seeds in the same order
     * @return the differences
     * @throws IllegalArgumentException if the seed counts differ
     */
    public Spread minus(Spread other) {
        if (other.values.length != values.length) {
            throw new IllegalArgumentException("other must have " + values.length + " seeds, got "
                    + other.values.length);
        }
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i] - other.values[i];
        }
        return new Spread(d);
    }

    /** @return the values, one per seed (a copy) */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** @return the number of seeds */
    public int count() {
        return values.length;
    }

    /** @return the mean over seeds */
    public double mean() {
        return Arrays.stream(values).average().orElseThrow();
    }

    /** @return the sample standard deviation over seeds (divisor n - 1); 0 for a single seed */
    public double sd() {
        if (values.length < 2) {
            return 0;
        }
        double m = mean();
        double ss = Arrays.stream(values).map(v -> (v - m) * (v - m)).sum();
        return Math.sqrt(ss / (values.length - 1));
    }

    /**
     * @return whether this spread, read as per-seed differences, exceeds its spread: more than one seed,
     *         {@code |mean| > sd} and every value of the mean's sign
     */
    public boolean exceedsSpread() {
        double m = mean();
        return values.length > 1 && Math.abs(m) > sd() && Arrays.stream(values).allMatch(v -> Math.signum(v)
                == Math.signum(m) && v != 0);
    }

    /**
     * @param decimals digits after the point
     * @return {@code mean ± sd}, e.g. {@code 0.412 ± 0.031}
     */
    public String format(int decimals) {
        return Table.num(mean(), decimals) + " ± " + Table.num(sd(), decimals);
    }

    /** @return {@code mean ± sd} of fractions in percent, e.g. {@code 9.41% ± 0.50%} */
    public String formatPercent() {
        return Table.pct(mean()) + " ± " + Table.pct(sd());
    }

    /** Equal if the values are equal, seed by seed. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Spread s && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return format(4) + " over " + values.length + " seeds " + Arrays.toString(values);
    }
}
