package io.github.dl4jdropout.examples.uci;

import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * One data set's results over the splits that ran, with the published rows when there are some.
 *
 * @param name   the data set's name
 * @param rows   examples in the data set
 * @param inputs inputs per example
 * @param splits the per-split results, at least one
 * @param paper  Gal and Ghahramani's Table 1 row, empty for data sets it does not list
 * @param rerun  the row of Gal's 2018 grid-search re-run ({@link PaperTable1#gridSearchRerun}), empty for data sets
 *               it does not list
 */
public record DatasetResult(String name, int rows, int inputs, List<SplitResult> splits,
                            Optional<PaperTable1.Row> paper, Optional<PaperTable1.Row> rerun) {

    /** Copies the list and checks that it is not empty. */
    public DatasetResult {
        splits = List.copyOf(splits);
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("a data set result needs at least one split, got none");
        }
    }

    /** @return mean test RMSE of Monte Carlo dropout over the splits */
    public Estimate mcRmse() {
        return Estimate.of(splits, SplitResult::mcRmse);
    }

    /** @return mean test log-likelihood of Monte Carlo dropout */
    public Estimate mcLl() {
        return Estimate.of(splits, SplitResult::mcLl);
    }

    /** @return mean test RMSE of standard inference */
    public Estimate standardRmse() {
        return Estimate.of(splits, SplitResult::standardRmse);
    }

    /** @return mean test log-likelihood of standard inference */
    public Estimate standardLl() {
        return Estimate.of(splits, SplitResult::standardLl);
    }

    /** @return total wall time of the splits, in seconds */
    public double seconds() {
        return splits.stream().mapToDouble(SplitResult::seconds).sum();
    }

    /**
     * A mean over splits and its standard error.
     *
     * @param mean          the mean
     * @param standardError sample standard deviation (n - 1) over {@code sqrt(n)}; NaN for one split, where it is
     *                      undefined
     * @param n             number of splits
     */
    public record Estimate(double mean, double standardError, int n) {

        /**
         * @param splits the splits
         * @param metric the metric to average
         * @return its mean and standard error
         */
        static Estimate of(List<SplitResult> splits, ToDoubleFunction<SplitResult> metric) {
            double[] v = splits.stream().mapToDouble(metric).toArray();
            double mean = 0;
            for (double a : v) {
                mean += a;
            }
            mean /= v.length;
            if (v.length < 2) {
                return new Estimate(mean, Double.NaN, v.length);
            }
            double ss = 0;
            for (double a : v) {
                ss += (a - mean) * (a - mean);
            }
            return new Estimate(mean, Math.sqrt(ss / (v.length - 1)) / Math.sqrt(v.length), v.length);
        }
    }
}
