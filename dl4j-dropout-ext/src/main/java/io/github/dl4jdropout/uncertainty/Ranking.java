package io.github.dl4jdropout.uncertainty;

import java.util.Arrays;

/** Sorting by score with groups of tied scores, for the curves of the toolkit. */
final class Ranking {

    private Ranking() {
    }

    /** Indices sorted by score ascending; equal scores keep index order (a stable sort). */
    static int[] ascending(double[] scores) {
        Integer[] boxed = new Integer[scores.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(scores[a], scores[b]));
        int[] out = new int[boxed.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    /** Indices sorted by score descending; equal scores keep index order. */
    static int[] descending(double[] scores) {
        Integer[] boxed = new Integer[scores.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] out = new int[boxed.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    /**
     * The smallest count {@code m} of {@code n} with {@code m / n >= fraction} (exact, not {@code ceil} of a
     * rounded product), at least 1.
     */
    static int countFor(double fraction, int n) {
        int m = (int) Math.ceil(fraction * n);
        while (m > 1 && (double) (m - 1) / n >= fraction) {
            m--;
        }
        while (m < n && (double) m / n < fraction) {
            m++;
        }
        return Math.max(1, Math.min(n, m));
    }
}
