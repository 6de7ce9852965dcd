package io.github.dl4jdropout.examples.regression;

import io.github.dl4jdropout.examples.support.Require;
import java.util.Arrays;
import java.util.Random;

/**
 * The data of the regression example: {@code y = sin(3x) + 0.3x + noise} with x uniform on [-3, 3], and a gap in
 * that range where training points are never drawn (test points are).
 *
 * @param noiseStd standard deviation of the Gaussian noise added to the targets
 * @param gapFrom  lower end of the gap without training data, inside [-3, 3]
 * @param gapTo    upper end of the gap, above {@code gapFrom}, inside [-3, 3]
 */
public record NoisyCurve(double noiseStd, double gapFrom, double gapTo) {

    /** Lower end of the input range the points are drawn from. */
    public static final double DOMAIN_MIN = -3.0;

    /** Upper end of the input range the points are drawn from. */
    public static final double DOMAIN_MAX = 3.0;

    /** The plot and the grid extend this far beyond the training range on each side, to show extrapolation. */
    public static final double GRID_MARGIN = 1.0;

    /** Validates the noise and the gap. */
    public NoisyCurve {
        Require.nonNegative("noiseStd", noiseStd);
        if (!(gapFrom >= DOMAIN_MIN && gapFrom < gapTo && gapTo <= DOMAIN_MAX)
                || gapTo - gapFrom >= DOMAIN_MAX - DOMAIN_MIN) {
            throw new IllegalArgumentException("the gap must satisfy " + DOMAIN_MIN + " <= gapFrom < gapTo <= "
                    + DOMAIN_MAX + " and leave some training range, got [" + gapFrom + ", " + gapTo + "]");
        }
    }

    /**
     * The function behind the data.
     *
     * @param x input
     * @return {@code sin(3x) + 0.3x}
     */
    public static double truth(double x) {
        return Math.sin(3 * x) + 0.3 * x;
    }

    /** @param x an input @return whether {@code x} lies in the gap without training data */
    public boolean inGap(double x) {
        return x >= gapFrom && x <= gapTo;
    }

    /** @param x an input @return whether {@code x} lies in the training range outside the gap */
    public boolean inTrainingRange(double x) {
        return x >= DOMAIN_MIN && x <= DOMAIN_MAX && !inGap(x);
    }

    /**
     * Draws noisy points with x uniform on [-3, 3].
     *
     * @param n          number of points
     * @param includeGap whether points may fall into the gap (test data) or not (training data)
     * @param rng        random source
     * @return the points, sorted by x
     */
    public Points sample(int n, boolean includeGap, Random rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double v;
            do {
                v = DOMAIN_MIN + (DOMAIN_MAX - DOMAIN_MIN) * rng.nextDouble();
            } while (!includeGap && inGap(v));
            x[i] = v;
        }
        Arrays.sort(x);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = truth(x[i]) + noiseStd * rng.nextGaussian();
        }
        return new Points(x, y);
    }

    /**
     * Evenly spaced inputs from {@code DOMAIN_MIN - GRID_MARGIN} to {@code DOMAIN_MAX + GRID_MARGIN}.
     *
     * @param points number of points, at least 2
     * @return the grid
     */
    public static double[] grid(int points) {
        double from = DOMAIN_MIN - GRID_MARGIN;
        double to = DOMAIN_MAX + GRID_MARGIN;
        double[] g = new double[points];
        for (int i = 0; i < points; i++) {
            g[i] = from + (to - from) * i / (points - 1);
        }
        return g;
    }
}
