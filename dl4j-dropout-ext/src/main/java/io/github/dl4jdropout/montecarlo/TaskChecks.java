package io.github.dl4jdropout.montecarlo;

import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks that model outputs and labels are what the task says they are, before any sampling, so that a wrong task
 * fails with a message instead of producing meaningless metrics (for example entropy and Brier score of sigmoid
 * outputs read as one distribution per row, or the Brier score of multi-hot labels against a softmax).
 *
 * <ul>
 *   <li>{@link McTask#CLASSIFICATION}: every output row and every scored label row is a distribution: no value
 *       below {@code -tolerance}, sum within {@code tolerance} of 1. Output rows that are entirely 0 are skipped
 *       (DL4J zeroes masked time steps in some output layers).</li>
 *   <li>{@link McTask#MULTI_LABEL}: every output and every scored label is in {@code [0, 1]}.</li>
 *   <li>{@link McTask#REGRESSION}: nothing to check.</li>
 * </ul>
 * Rows are the {@link OutputLayout} rows (one per prediction), in double.
 */
final class TaskChecks {

    private TaskChecks() {
    }

    /**
     * @param outputRows {@code [rows, channels]} deterministic output
     * @param outputName the output layer, for the message
     * @throws IllegalStateException if the outputs do not fit the task
     */
    static void checkOutputs(McTask task, INDArray outputRows, String outputName, double tolerance) {
        if (task == McTask.CLASSIFICATION) {
            RowStats s = RowStats.of(outputRows, null, true);
            if (!s.distributions(tolerance)) {
                throw new IllegalStateException("task CLASSIFICATION needs model outputs that are probability"
                        + " distributions (non-negative, each row summing to 1 within " + tolerance + "), got "
                        + s.describe() + " from " + outputName + "; use task(McTask.MULTI_LABEL) for independent"
                        + " per-output probabilities (sigmoid), or task(McTask.REGRESSION) for real values");
            }
        } else if (task == McTask.MULTI_LABEL) {
            RowStats s = RowStats.of(outputRows, null, false);
            if (!s.probabilities()) {
                throw new IllegalStateException("task MULTI_LABEL needs model outputs that are probabilities in"
                        + " [0, 1], got values from " + fmt(s.min) + " to " + fmt(s.max) + " from " + outputName
                        + "; use task(McTask.REGRESSION) for real values");
            }
        }
    }

    /**
     * @param labelRows {@code [rows, channels]} labels
     * @param weights   {@code [rows]} 1 for scored rows, 0 for masked ones (whose labels are not checked)
     * @throws IllegalArgumentException if the scored labels do not fit the task
     */
    static void checkLabels(McTask task, INDArray labelRows, INDArray weights, double tolerance) {
        if (task == McTask.CLASSIFICATION) {
            RowStats s = RowStats.of(labelRows, weights, false);
            if (!s.distributions(tolerance)) {
                throw new IllegalArgumentException("labels must be probability distributions for task"
                        + " CLASSIFICATION (one-hot or soft: non-negative, each row summing to 1 within " + tolerance
                        + "), got " + s.describe() + "; multi-hot labels need task(McTask.MULTI_LABEL)");
            }
        } else if (task == McTask.MULTI_LABEL) {
            RowStats s = RowStats.of(labelRows, weights, false);
            if (!s.probabilities()) {
                throw new IllegalArgumentException("labels must be in [0, 1] for task MULTI_LABEL (one probability"
                        + " per label, 1 = present), got values from " + fmt(s.min) + " to " + fmt(s.max));
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Extremes over the checked rows: row sums, values, and the first row whose sum is furthest from 1. */
    private static final class RowStats {
        private double minSum = Double.POSITIVE_INFINITY;
        private double maxSum = Double.NEGATIVE_INFINITY;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private long worstRow = -1;
        private double worstSum;

        static RowStats of(INDArray rows, INDArray weights, boolean skipZeroRows) {
            int n = (int) rows.size(0);
            int k = (int) rows.size(1);
            double[] v = rows.dup('c').data().asDouble();
            double[] w = weights == null ? null : weights.toDoubleVector();
            RowStats s = new RowStats();
            for (int i = 0; i < n; i++) {
                if (w != null && w[i] == 0) {
                    continue;
                }
                double sum = 0;
                boolean allZero = true;
                double rowMin = Double.POSITIVE_INFINITY;
                double rowMax = Double.NEGATIVE_INFINITY;
                for (int j = i * k; j < (i + 1) * k; j++) {
                    sum += v[j];
                    allZero &= v[j] == 0;
                    rowMin = Math.min(rowMin, v[j]);
                    rowMax = Math.max(rowMax, v[j]);
                }
                if (skipZeroRows && allZero) {
                    continue;
                }
                s.min = Math.min(s.min, rowMin);
                s.max = Math.max(s.max, rowMax);
                s.minSum = Math.min(s.minSum, sum);
                s.maxSum = Math.max(s.maxSum, sum);
                // NaN compares false: a row with NaN becomes the worst row.
                if (s.worstRow < 0 || !(Math.abs(sum - 1) <= Math.abs(s.worstSum - 1))) {
                    s.worstRow = i;
                    s.worstSum = sum;
                }
            }
            return s;
        }

        /** True if every checked row is a distribution (vacuously true when every row was skipped). */
        boolean distributions(double tolerance) {
            return worstRow < 0 || (Math.abs(worstSum - 1) <= tolerance && min >= -tolerance);
        }

        boolean probabilities() {
            return worstRow < 0 || (min >= 0 && max <= 1);
        }

        String describe() {
            return "row sums from " + fmt(minSum) + " to " + fmt(maxSum) + " (row " + worstRow + " sums to "
                    + fmt(worstSum) + ") and values from " + fmt(min) + " to " + fmt(max);
        }
    }
}
