package io.github.dl4jdropout.uncertainty;

import java.util.Arrays;

import io.github.dl4jdropout.internal.Checks;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McTask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Argument checks and conversions shared by the toolkit: predictions of a classifier as {@code [n, k]} rows of
 * class probabilities, raw Monte Carlo samples as {@code [T, n, k]}, labels as one-hot rows or class indices, all
 * read into double arrays (the toolkit's computations are sorting and small loops over them).
 */
final class Inputs {

    /** Rows must sum to 1 within this tolerance, as {@code MonteCarloEvaluator.DISTRIBUTION_TOLERANCE}. */
    static final double DISTRIBUTION_TOLERANCE = 1e-3;

    private Inputs() {
    }

    /**
     * @return {@code [n][k]} probabilities
     * @throws IllegalArgumentException if not a non-empty {@code [n, k]} array (k at least 2) of distributions
     */
    static double[][] probabilities(String name, INDArray p) {
        Checks.notNull(name, p, "an [n, k] array of class probabilities");
        if (p.rank() != 2 || p.size(0) == 0 || p.size(1) < 2) {
            throw new IllegalArgumentException(name + " must be an [n, k] array of class probabilities with n >= 1"
                    + " and k >= 2 (a classifier's softmax output), got shape " + Arrays.toString(p.shape()));
        }
        double[][] rows = p.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < rows.length; i++) {
            checkDistribution(name + " row " + i, rows[i]);
        }
        return rows;
    }

    /**
     * @return {@code [T][n][k]} per-sample probabilities
     * @throws IllegalArgumentException if not a non-empty {@code [T, n, k]} array of distributions
     */
    static double[][][] samples(String name, INDArray s) {
        Checks.notNull(name, s, "a [T, n, k] array of per-sample class probabilities");
        if (s.rank() != 3 || s.size(0) == 0 || s.size(1) == 0 || s.size(2) < 2) {
            throw new IllegalArgumentException(name + " must be a [T, n, k] array of per-sample class probabilities"
                    + " (McPrediction.samples() of a classifier), got shape " + Arrays.toString(s.shape()));
        }
        int t = (int) s.size(0);
        double[][][] out = new double[t][][];
        INDArray d = s.castTo(DataType.DOUBLE);
        for (int i = 0; i < t; i++) {
            out[i] = d.slice(i).toDoubleMatrix();
            for (int j = 0; j < out[i].length; j++) {
                checkDistribution(name + " sample " + i + " row " + j, out[i][j]);
            }
        }
        return out;
    }

    private static void checkDistribution(String what, double[] row) {
        double sum = 0;
        for (double v : row) {
            if (!(v >= -DISTRIBUTION_TOLERANCE && v <= 1 + DISTRIBUTION_TOLERANCE)) {
                throw new IllegalArgumentException(what + " must be a probability distribution, got "
                        + Arrays.toString(row));
            }
            sum += v;
        }
        if (Math.abs(sum - 1) > DISTRIBUTION_TOLERANCE) {
            throw new IllegalArgumentException(what + " must sum to 1 (within " + DISTRIBUTION_TOLERANCE
                    + "), got sum " + sum + " for " + Arrays.toString(row));
        }
    }

    /**
     * Class index of each label row (its arg-max: one-hot or soft labels).
     *
     * @throws IllegalArgumentException if labels are not {@code [n, k]}
     */
    static int[] classes(String name, INDArray labels, int n, int k) {
        Checks.notNull(name, labels, "an [n, k] array of one-hot labels");
        if (labels.rank() != 2 || labels.size(0) != n || labels.size(1) != k) {
            throw new IllegalArgumentException(name + " must be [" + n + ", " + k + "] one-hot labels (one row per"
                    + " prediction), got shape " + Arrays.toString(labels.shape()));
        }
        double[][] rows = labels.castTo(DataType.DOUBLE).toDoubleMatrix();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = argMax(rows[i]);
        }
        return out;
    }

    /** Index of the largest value, the first one among equals. */
    static int argMax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * @throws IllegalArgumentException if the prediction is not a classification of {@code [n, k]} outputs
     */
    static McPrediction classification(String name, McPrediction p) {
        Checks.notNull(name, p, "an McPrediction of a classifier");
        if (p.task() != McTask.CLASSIFICATION || p.mean().rank() != 2) {
            throw new IllegalArgumentException(name + " must be a CLASSIFICATION prediction with [n, k] outputs, got"
                    + " task " + p.task() + " with output shape " + Arrays.toString(p.mean().shape())
                    + " (sequence and per-pixel outputs: reshape to [n, k] rows first)");
        }
        return p;
    }

    /**
     * @throws IllegalStateException if the prediction does not hold its raw samples
     */
    static INDArray keptSamples(String what, McPrediction p) {
        if (!p.hasSamples()) {
            throw new IllegalStateException(what + " needs the per-sample probabilities: build the evaluator with"
                    + " keepSamples(true), got a prediction without samples");
        }
        return p.samples();
    }

    /**
     * @throws IllegalArgumentException if empty or holding NaN
     */
    static double[] scores(String name, double[] scores) {
        Checks.notNull(name, scores, "a double[] of scores");
        if (scores.length == 0) {
            throw new IllegalArgumentException(name + " must hold at least one score, got none");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be a number, got NaN");
            }
        }
        return scores;
    }

    /** Entropy in nats of a distribution, {@code 0 log 0 = 0}. */
    static double entropy(double[] p) {
        double h = 0;
        for (double v : p) {
            if (v > 0) {
                h -= v * Math.log(v);
            }
        }
        return h;
    }
}
