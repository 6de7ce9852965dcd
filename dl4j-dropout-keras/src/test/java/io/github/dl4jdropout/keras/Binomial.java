package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;

/** Tolerances for seeded drop counts, stated as k standard deviations of a binomial. */
final class Binomial {

    /**
     * 5 sigma: a correct implementation fails with probability below 6e-7 per check, while a wrong drop rate of the
     * kind this module fixes (0 instead of 0.2, 0.8 instead of 0.2) misses by hundreds of sigma.
     */
    static final double K = 5.0;

    private Binomial() {
    }

    /**
     * Asserts that {@code count} successes out of {@code n} trials are within {@link #K} standard deviations of a
     * binomial with probability {@code p}.
     */
    static void assertFraction(String what, long count, long n, double p) {
        double sigma = Math.sqrt(p * (1 - p) / n);
        double observed = (double) count / n;
        assertThat(observed).as("%s: %d of %d (expected %s +- %s, %s sigma of a binomial with n = %d)", what, count,
                n, p, K * sigma, K, n).isBetween(p - K * sigma, p + K * sigma);
    }
}
