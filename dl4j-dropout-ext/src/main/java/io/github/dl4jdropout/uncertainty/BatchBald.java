package io.github.dl4jdropout.uncertainty;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.montecarlo.McPrediction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BatchBALD (Kirsch, van Amersfoort &amp; Gal 2019, "BatchBALD: Efficient and Diverse Batch Acquisition for Deep
 * Bayesian Active Learning"): acquires a batch that is jointly informative, the mutual information between the
 * batch's labels and the parameters, {@code I(y_1..y_b; w) = H(y_1..y_b) - sum_i E_w H(y_i | w)}, instead of the sum
 * of each point's BALD score, which counts the same information again for near-duplicates. The batch is built
 * greedily (the paper's algorithm 1; the objective is submodular, so greedy is within {@code 1 - 1/e} of the best
 * batch). The T Monte Carlo samples stand for draws of w, so every quantity is computed from the pool's per-sample
 * probabilities {@code p_t(y | x)}: {@code p(y_1..y_b) = (1/T) sum_t prod_i p_t(y_i | x_i)}.
 *
 * <p><b>Exact and sampled joint entropy.</b> While the candidate's joint has at most
 * {@link Builder#maxExactConfigurations(int)} label configurations ({@code k^(b+1)} for b points chosen), the joint
 * entropy is exact: a {@code [T, k^b]} table of {@code prod_i p_t(y_i)} over every configuration of the chosen
 * points is kept, and a candidate's joint is that table times its {@code [T, k]} probabilities. Beyond, as in the
 * paper (section 3.3), {@link Builder#sampledConfigurations(int) M} configurations of the chosen points are drawn
 * from their joint predictive and the entropy is estimated by importance weighting,
 * {@code H(y_1..y_b, y) ~ (1/M) sum_m sum_y -(p(yhat_m, y) / p(yhat_m)) log p(yhat_m, y)}; the configurations are
 * drawn once when the exact table outgrows the limit and then extended by one label (drawn from its conditional)
 * per chosen point. The estimate's Monte Carlo error shrinks as {@code 1/sqrt(M)}; its scores are flagged
 * ({@link Selection#exact()}).
 *
 * <p><b>Limits.</b> Each step costs {@code O(N * C * T * k)} for a pool of N, C configurations (exact: up to
 * {@code maxExactConfigurations / k}; sampled: M), done as matrix products in double in chunks of candidates;
 * memory {@code O(T * N * k)} for the pool plus {@code O(T * C)}. As the paper notes, with T samples the joint
 * entropy cannot exceed {@code log T} plus the conditional entropies, so scores saturate for batches much larger than
 * the information T samples hold: use T of at least the batch size times a few, and prefer a pool subset (the paper
 * uses random subsets) for large pools.
 *
 * <pre>{@code
 * BatchBald.Selection batch = BatchBald.builder().build().select(poolPrediction, 10);
 * int[] toLabel = batch.indices();
 * }</pre>
 *
 * @since 0.3.0
 */
public final class BatchBald {

    /** Default largest number of joint label configurations computed exactly: 10,000 (four points of ten classes). */
    public static final int DEFAULT_MAX_EXACT_CONFIGURATIONS = 10_000;

    /** Default number of sampled configurations M beyond the exact limit: 10,000 (Kirsch et al. 2019). */
    public static final int DEFAULT_SAMPLED_CONFIGURATIONS = 10_000;

    /** Default seed of the configuration sampling: 42. */
    public static final long DEFAULT_SEED = 42L;

    /** Candidates per matrix product: bounds the temporary {@code [C, chunk * k]} array. */
    private static final long CHUNK_VALUES = 4_000_000L;

    private final int maxExactConfigurations;
    private final int sampledConfigurations;
    private final long seed;

    private BatchBald(Builder b) {
        this.maxExactConfigurations = b.maxExactConfigurations;
        this.sampledConfigurations = b.sampledConfigurations;
        this.seed = b.seed;
    }

    /**
     * Starts configuring a BatchBALD acquisition.
     *
     * @return a builder with the documented defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Greedily selects a batch from the Monte Carlo prediction of a pool.
     *
     * @param pool      an {@code [N, k]} classification prediction with samples kept
     * @param batchSize number of points to acquire, in {@code [1, N]}
     * @return the chosen pool indices in the order chosen, with their scores
     * @throws IllegalArgumentException if {@code pool} is null or not an {@code [N, k]} classification, or
     *                                  {@code batchSize} is out of range
     * @throws IllegalStateException    if the prediction has no samples (build the evaluator with
     *                                  {@code keepSamples(true)})
     */
    public Selection select(McPrediction pool, int batchSize) {
        Inputs.classification("pool", pool);
        return select(Inputs.keptSamples("BatchBald", pool), batchSize);
    }

    /**
     * Greedily selects a batch from raw per-sample probabilities of a pool ({@link McPrediction#samples()}).
     *
     * @param samples   {@code [T, N, k]} per-sample class probabilities
     * @param batchSize number of points to acquire, in {@code [1, N]}
     * @return the chosen pool indices in the order chosen, with their scores
     * @throws IllegalArgumentException if {@code samples} is null or not {@code [T, N, k]} distributions, or
     *                                  {@code batchSize} is out of range
     */
    public Selection select(INDArray samples, int batchSize) {
        double[][][] s = Inputs.samples("samples", samples);
        int t = s.length;
        int n = s[0].length;
        int k = s[0][0].length;
        Acquisition.checkK(batchSize, n);
        // Pool as [T, N * k] for the matrix products, and each point's expected conditional entropy.
        double[][] flat = new double[t][n * k];
        double[] conditional = new double[n];
        for (int tt = 0; tt < t; tt++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(s[tt][i], 0, flat[tt], i * k, k);
                conditional[i] += Inputs.entropy(s[tt][i]) / t;
            }
        }
        INDArray pool = Nd4j.createFromArray(flat);
        SplittableRandom rng = new SplittableRandom(seed);

        // Configurations of the chosen points: table[tt][c] = prod_i p_tt(y_i(c) | x_i).
        double[][] table = new double[t][1];
        for (double[] row : table) {
            row[0] = 1.0;
        }
        boolean exact = true;
        boolean[] chosen = new boolean[n];
        int[] indices = new int[batchSize];
        double[] scores = new double[batchSize];
        boolean[] exactScores = new boolean[batchSize];
        double conditionalSum = 0;
        for (int step = 0; step < batchSize; step++) {
            int configurations = table[0].length;
            double[] jointEntropy = jointEntropies(pool, table, exact, n, k);
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (!chosen[i]) {
                    double score = jointEntropy[i] - conditionalSum - conditional[i];
                    if (score > bestScore) {
                        bestScore = score;
                        best = i;
                    }
                }
            }
            chosen[best] = true;
            indices[step] = best;
            scores[step] = bestScore;
            exactScores[step] = exact;
            conditionalSum += conditional[best];
            if (step == batchSize - 1) {
                break;
            }
            if (exact && (long) configurations * k * k <= maxExactConfigurations) {
                table = extendExact(table, s, best, k);
            } else if (exact) {
                table = sampleConfigurations(extendExact(table, s, best, k), rng);
                exact = false;
            } else {
                extendSampled(table, s, best, k, rng);
            }
        }
        return new Selection(indices, scores, exactScores);
    }

    /** H(chosen, candidate) for every candidate: exact, or estimated from sampled configurations. */
    private static double[] jointEntropies(INDArray pool, double[][] table, boolean exact, int n, int k) {
        int t = table.length;
        int c = table[0].length;
        INDArray configurationsByT = Nd4j.createFromArray(table).transpose().dup('c'); // [C, T]
        INDArray weights = null;
        if (!exact) {
            // 1 / p(yhat_m), p(yhat_m) = mean_t table[t][m]; entries of the sum are weighted by it and averaged.
            weights = configurationsByT.mean(1).rdivi(1.0).divi(c).reshape(c, 1);
        }
        double[] out = new double[n];
        int chunk = (int) Math.max(1, Math.min(n, CHUNK_VALUES / ((long) c * k)));
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            INDArray candidates = pool.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval((long) start * k, (long) end * k));
            INDArray joint = configurationsByT.mmul(candidates).divi(t); // [C, chunk * k]
            INDArray plogp = joint.mul(org.nd4j.linalg.ops.transforms.Transforms.log(
                    org.nd4j.linalg.ops.transforms.Transforms.max(joint, Double.MIN_NORMAL, true), false));
            if (weights != null) {
                plogp.muliColumnVector(weights);
            }
            double[] perValue = plogp.sum(0).toDoubleVector(); // [chunk * k]
            for (int i = start; i < end; i++) {
                double h = 0;
                for (int y = 0; y < k; y++) {
                    h -= perValue[(i - start) * k + y];
                }
                out[i] = h;
            }
        }
        return out;
    }

    /** The table over the chosen points plus one more: {@code [T, C * k]}. */
    private static double[][] extendExact(double[][] table, double[][][] s, int point, int k) {
        int c = table[0].length;
        double[][] out = new double[table.length][c * k];
        for (int tt = 0; tt < table.length; tt++) {
            double[] p = s[tt][point];
            for (int j = 0; j < c; j++) {
                for (int y = 0; y < k; y++) {
                    out[tt][j * k + y] = table[tt][j] * p[y];
                }
            }
        }
        return out;
    }

    /** M configurations drawn from the exact joint {@code (1/T) sum_t table[t][c]}: a {@code [T, M]} table. */
    private double[][] sampleConfigurations(double[][] table, SplittableRandom rng) {
        int t = table.length;
        int c = table[0].length;
        double[] cumulative = new double[c];
        double total = 0;
        for (int j = 0; j < c; j++) {
            for (double[] row : table) {
                total += row[j];
            }
            cumulative[j] = total;
        }
        double[][] out = new double[t][sampledConfigurations];
        for (int m = 0; m < sampledConfigurations; m++) {
            int j = Arrays.binarySearch(cumulative, rng.nextDouble() * total);
            j = Math.min(c - 1, j < 0 ? -j - 1 : j);
            for (int tt = 0; tt < t; tt++) {
                out[tt][m] = table[tt][j];
            }
        }
        return out;
    }

    /** Extends each sampled configuration by a label of the new point drawn from its conditional. */
    private static void extendSampled(double[][] table, double[][][] s, int point, int k, SplittableRandom rng) {
        int t = table.length;
        int m = table[0].length;
        double[] conditional = new double[k];
        for (int j = 0; j < m; j++) {
            Arrays.fill(conditional, 0);
            for (int tt = 0; tt < t; tt++) {
                for (int y = 0; y < k; y++) {
                    conditional[y] += table[tt][j] * s[tt][point][y];
                }
            }
            double total = 0;
            for (double v : conditional) {
                total += v;
            }
            double u = rng.nextDouble() * total;
            int label = k - 1;
            for (int y = 0; y < k; y++) {
                u -= conditional[y];
                if (u < 0) {
                    label = y;
                    break;
                }
            }
            for (int tt = 0; tt < t; tt++) {
                table[tt][j] *= s[tt][point][label];
            }
        }
    }

    /** Largest number of joint configurations computed exactly. */
    public int maxExactConfigurations() {
        return maxExactConfigurations;
    }

    /** Number of sampled configurations beyond the exact limit. */
    public int sampledConfigurations() {
        return sampledConfigurations;
    }

    /** Seed of the configuration sampling. */
    public long seed() {
        return seed;
    }

    /** The settings. */
    @Override
    public String toString() {
        return "BatchBald{maxExactConfigurations=" + maxExactConfigurations + ", sampledConfigurations="
                + sampledConfigurations + ", seed=" + seed + '}';
    }

    /**
     * A greedily chosen batch: pool indices in the order chosen, and after each choice the batch's BatchBALD value
     * {@code I(y_1..y_j; w)} in nats (non-decreasing when exact; the first equals the first point's BALD score).
     */
    public static final class Selection {

        private final int[] indices;
        private final double[] scores;
        private final boolean[] exact;

        Selection(int[] indices, double[] scores, boolean[] exact) {
            this.indices = indices;
            this.scores = scores;
            this.exact = exact;
        }

        /** Chosen pool indices, in the order chosen. */
        public int[] indices() {
            return indices.clone();
        }

        /** Joint mutual information of the first j + 1 chosen points, for each j. */
        public double[] scores() {
            return scores.clone();
        }

        /** True if every score was computed exactly (no sampled configurations). */
        public boolean exact() {
            for (boolean e : exact) {
                if (!e) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the score of step j was exact. */
        public boolean exactAt(int j) {
            return exact[j];
        }

        /** Indices and scores. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("Selection{");
            for (int j = 0; j < indices.length; j++) {
                sb.append(j == 0 ? "" : ", ").append(indices[j])
                        .append(String.format(Locale.ROOT, " (%.4f%s)", scores[j], exact[j] ? "" : "~"));
            }
            return sb.append('}').toString();
        }
    }

    /** Settings of a {@link BatchBald} acquisition; every setter validates its argument. */
    public static final class Builder {

        private int maxExactConfigurations = DEFAULT_MAX_EXACT_CONFIGURATIONS;
        private int sampledConfigurations = DEFAULT_SAMPLED_CONFIGURATIONS;
        private long seed = DEFAULT_SEED;

        private Builder() {
        }

        /**
         * Largest number of joint label configurations ({@code k^(b+1)}) whose entropy is computed exactly. Defaults
         * to {@value BatchBald#DEFAULT_MAX_EXACT_CONFIGURATIONS}.
         *
         * @param configurations at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code configurations < 1}
         */
        public Builder maxExactConfigurations(int configurations) {
            if (configurations < 1) {
                throw new IllegalArgumentException("maxExactConfigurations must be >= 1, got " + configurations);
            }
            this.maxExactConfigurations = configurations;
            return this;
        }

        /**
         * Number M of configurations sampled once the exact table would exceed
         * {@link #maxExactConfigurations(int)}. Defaults to {@value BatchBald#DEFAULT_SAMPLED_CONFIGURATIONS}.
         *
         * @param configurations at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code configurations < 1}
         */
        public Builder sampledConfigurations(int configurations) {
            if (configurations < 1) {
                throw new IllegalArgumentException("sampledConfigurations must be >= 1, got " + configurations);
            }
            this.sampledConfigurations = configurations;
            return this;
        }

        /**
         * Seed of the configuration sampling. Defaults to {@value BatchBald#DEFAULT_SEED}.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the acquisition.
         *
         * @return a new, immutable acquisition
         */
        public BatchBald build() {
            return new BatchBald(this);
        }
    }
}
