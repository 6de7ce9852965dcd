package io.github.dl4jdropout.examples.uncertainty;

import java.util.Arrays;

/**
 * Area under the ROC curve of a score that should be higher for out-of-distribution inputs, computed exactly from
 * ranks (the Mann-Whitney U statistic): the probability that a randomly chosen out-of-distribution input scores
 * higher than a randomly chosen in-distribution one, ties counting one half. 0.5 is chance, 1 is perfect
 * separation, 0 is perfectly reversed.
 */
public final class Auroc {

    private Auroc() {
    }

    /**
     * AUROC of separating {@code outOfDistribution} (positives) from {@code inDistribution} (negatives) by score.
     *
     * @param inDistribution    scores of in-distribution inputs, at least one, no NaN
     * @param outOfDistribution scores of out-of-distribution inputs, at least one, no NaN
     * @return the AUROC in [0, 1]
     * @throws IllegalArgumentException if an array is empty or holds NaN
     */
    public static double of(double[] inDistribution, double[] outOfDistribution) {
        check("inDistribution", inDistribution);
        check("outOfDistribution", outOfDistribution);
        int negatives = inDistribution.length;
        int positives = outOfDistribution.length;
        int n = negatives + positives;
        double[] scores = new double[n];
        boolean[] positive = new boolean[n];
        System.arraycopy(inDistribution, 0, scores, 0, negatives);
        System.arraycopy(outOfDistribution, 0, scores, negatives, positives);
        Arrays.fill(positive, negatives, n, true);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        // Sum of the 1-based ranks of the positives, tied scores sharing their average rank.
        double positiveRankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + 1 + j + 1) / 2.0;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += averageRank;
                }
            }
            i = j + 1;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    private static void check(String name, double[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException(name + " must hold at least one score, got none");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is NaN");
            }
        }
    }
}
