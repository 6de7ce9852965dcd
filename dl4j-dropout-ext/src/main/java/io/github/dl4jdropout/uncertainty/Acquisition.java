package io.github.dl4jdropout.uncertainty;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.montecarlo.McPrediction;

/**
 * Active learning acquisition: which unlabelled pool inputs to label next. Each pool input is scored by an
 * {@link UncertaintyScore} of its Monte Carlo prediction and the k highest are acquired (Gal, Islam &amp;
 * Ghahramani 2017, "Deep Bayesian Active Learning with Image Data": BALD ({@link UncertaintyScore#MUTUAL_INFORMATION}
 * , Houlsby et al. 2011), max entropy, variation ratios; margin sampling, Scheffer et al. 2001). Scoring points one
 * by one ignores that the top k may carry the same information (near-duplicates score alike); for batches of
 * correlated points use {@link BatchBald}. {@link #random(int, int, long)} is the usual baseline.
 *
 * <p>Ties are broken by pool index (lower first), so results are reproducible.
 *
 * @since 0.3.0
 */
public final class Acquisition {

    private Acquisition() {
    }

    /**
     * Pool indices ordered by score, highest first; equal scores by index.
     *
     * @param scores one score per pool input, higher meaning more worth labelling
     * @return a permutation of {@code 0..n-1}
     * @throws IllegalArgumentException if {@code scores} is null, empty or holds NaN
     */
    public static int[] rank(double[] scores) {
        return Ranking.descending(Inputs.scores("scores", scores));
    }

    /**
     * The k highest-scoring pool indices, highest first.
     *
     * @param scores one score per pool input
     * @param k      how many to acquire, in {@code [1, scores.length]}
     * @return k distinct indices
     * @throws IllegalArgumentException if {@code scores} is null, empty or holds NaN, or {@code k} is out of range
     */
    public static int[] topK(double[] scores, int k) {
        Inputs.scores("scores", scores);
        checkK(k, scores.length);
        return Arrays.copyOf(rank(scores), k);
    }

    /**
     * The k pool inputs with the highest score of their Monte Carlo prediction.
     *
     * @param pool  an {@code [n, k]} classification prediction of the pool
     * @param score the acquisition function
     * @param k     how many to acquire, in {@code [1, n]}
     * @return k distinct pool indices, highest score first
     * @throws IllegalArgumentException if an argument is null, the prediction is not an {@code [n, k]}
     *                                  classification, or {@code k} is out of range
     * @throws IllegalStateException    for {@link UncertaintyScore#VARIATION_RATIO} without samples
     */
    public static int[] topK(McPrediction pool, UncertaintyScore score, int k) {
        Checks.notNull("score", score, "an UncertaintyScore");
        return topK(score.of(pool), k);
    }

    /**
     * k distinct pool indices drawn uniformly at random (the baseline of every active-learning comparison).
     *
     * @param poolSize number of pool inputs, at least 1
     * @param k        how many, in {@code [1, poolSize]}
     * @param seed     seed of the draw
     * @return k distinct indices
     * @throws IllegalArgumentException if {@code poolSize < 1} or {@code k} is out of range
     */
    public static int[] random(int poolSize, int k, long seed) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
        }
        checkK(k, poolSize);
        int[] all = new int[poolSize];
        for (int i = 0; i < poolSize; i++) {
            all[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(poolSize - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return Arrays.copyOf(all, k);
    }

    static void checkK(int k, int n) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "] (the pool size), got " + k);
        }
    }
}
