package io.github.dl4jdropout.examples.uci;

import java.util.Map;
import java.util.Optional;

/**
 * The "Dropout" column of Gal and Ghahramani (2016, "Dropout as a Bayesian Approximation", ICML, Table 1) for the
 * bundled data sets: average test RMSE and test log-likelihood of MC dropout over 20 splits.
 *
 * <p>The numbers after "±" in the ICML table are standard deviations over the splits (Gal's code prints
 * {@code np.std} of the 20 values with "+-"; his later logs print "(stddev)" and "(std error)" side by side, and
 * e.g. Boston's ± 0.85 in RMSE matches the spread of his per-split files, not a standard error). The standard error
 * is that deviation divided by {@code sqrt(20)}: {@link Row#rmseStandardError()}, {@link Row#llStandardError()}.
 */
public final class PaperTable1 {

    /** Splits the paper averaged over. */
    public static final int SPLITS = 20;

    /**
     * One data set's row.
     *
     * @param rmse      average test RMSE, original units
     * @param rmseStd   "±" of the RMSE (standard deviation over the splits)
     * @param ll        average test log-likelihood, nats
     * @param llStd     "±" of the log-likelihood
     */
    public record Row(double rmse, double rmseStd, double ll, double llStd) {
        /** @return the standard error of the average RMSE: {@code rmseStd / sqrt(20)} */
        public double rmseStandardError() {
            return rmseStd / Math.sqrt(SPLITS);
        }

        /** @return the standard error of the average log-likelihood: {@code llStd / sqrt(20)} */
        public double llStandardError() {
            return llStd / Math.sqrt(SPLITS);
        }
    }

    private static final Map<String, Row> ROWS = Map.of(
            "bostonHousing", new Row(2.97, 0.85, -2.46, 0.25),
            "concrete", new Row(5.23, 0.53, -3.04, 0.09),
            "energy", new Row(1.66, 0.19, -1.99, 0.09),
            "wine-quality-red", new Row(0.62, 0.04, -0.93, 0.06),
            "yacht", new Row(1.11, 0.38, -1.55, 0.12));

    private PaperTable1() {
    }

    /**
     * @param dataset a data set's name, such as {@code bostonHousing}
     * @return the paper's row for it, empty for data sets the paper's Table 1 does not list here
     */
    public static Optional<Row> row(String dataset) {
        return Optional.ofNullable(ROWS.get(dataset));
    }
}
