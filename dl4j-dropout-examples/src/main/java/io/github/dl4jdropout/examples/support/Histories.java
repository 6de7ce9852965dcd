package io.github.dl4jdropout.examples.support;

import io.github.dl4jdropout.examples.support.Training.Epoch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What the examples report about training histories (one {@link Epoch} per epoch, from {@link Training#fit}): the
 * summary table, the CSV file and plot lines, the same for every example that compares networks.
 */
public final class Histories {

    /** The columns {@link #table} puts after the networks' labels. */
    public static final List<String> TABLE_COLUMNS = List.of("train error", "test error", "gap (test-train)",
            "train NLL", "test NLL", "best test error", "fit time/epoch");

    private Histories() {
    }

    /**
     * @param history one entry per epoch, at least one
     * @return the last epoch
     */
    public static Epoch last(List<Epoch> history) {
        return history.get(history.size() - 1);
    }

    /**
     * @param histories histories by network
     * @param key       a network
     * @param <K>       what identifies a network
     * @return its last epoch
     * @throws IllegalArgumentException if {@code key} was not trained
     */
    public static <K> Epoch last(Map<K, List<Epoch>> histories, K key) {
        List<Epoch> h = histories.get(key);
        if (h == null) {
            throw new IllegalArgumentException("no network " + key + " was trained; trained: " + histories.keySet());
        }
        return last(h);
    }

    /** @param history one entry per epoch @return the lowest test error of any epoch */
    public static double bestTestError(List<Epoch> history) {
        return history.stream().mapToDouble(Epoch::testError).min().orElseThrow();
    }

    /** @param history one entry per epoch @return the mean wall time of {@code fit} per epoch, seconds */
    public static double meanFitSeconds(List<Epoch> history) {
        return history.stream().mapToDouble(Epoch::fitSeconds).average().orElseThrow();
    }

    /**
     * @param name    legend entry
     * @param history one entry per epoch
     * @param metric  what to draw, e.g. {@code e -> 100 * e.testError()}
     * @return a line over the epochs
     */
    public static Plots.Line line(String name, List<Epoch> history, ToDoubleFunction<Epoch> metric) {
        return Plots.Line.solid(name, history.stream().mapToDouble(Epoch::epoch).toArray(),
                history.stream().mapToDouble(metric).toArray());
    }

    /**
     * One line of test error (in percent) by epoch per network.
     *
     * @param histories histories by network, in legend order
     * @param label     a network's legend entry
     * @param <K>       what identifies a network
     * @return the lines
     */
    public static <K> List<Plots.Line> testErrorLines(Map<K, List<Epoch>> histories, Function<K, String> label) {
        List<Plots.Line> lines = new ArrayList<>();
        histories.forEach((k, h) -> lines.add(line(label.apply(k), h, e -> 100 * e.testError())));
        return lines;
    }

    /**
     * The summary table: a row per network with its last epoch's errors and losses, its best test error and its mean
     * fit time per epoch. Rows can be added to it (the MLP example adds its Monte Carlo rows).
     *
     * @param title     the first column's title
     * @param histories histories by network, in row order
     * @param label     a network's row label
     * @param <K>       what identifies a network
     * @return the table, with {@link #TABLE_COLUMNS} after the label
     */
    public static <K> Table table(String title, Map<K, List<Epoch>> histories, Function<K, String> label) {
        List<String> header = new ArrayList<>();
        header.add(title);
        header.addAll(TABLE_COLUMNS);
        Table table = new Table(header.toArray(String[]::new));
        histories.forEach((k, h) -> {
            Epoch e = last(h);
            table.row(label.apply(k), Table.pct(e.trainError()), Table.pct(e.testError()), Table.pct(e.gap()),
                    Table.num(e.trainLoss(), 3), Table.num(e.testLoss(), 3), Table.pct(bestTestError(h)),
                    Table.sec(meanFitSeconds(h)));
        });
        return table;
    }

    /**
     * Every epoch of every network, one CSV line each.
     *
     * @param keyColumns the header of the columns that identify a network, e.g. {@code variant,format}
     * @param histories  histories by network
     * @param key        a network's cells in those columns
     * @param <K>        what identifies a network
     * @return the CSV lines, header first
     */
    public static <K> List<String> csv(String keyColumns, Map<K, List<Epoch>> histories,
                                       Function<K, List<?>> key) {
        List<String> lines = new ArrayList<>();
        lines.add(keyColumns + ",epoch,fit_seconds,train_error,test_error,train_nll,test_nll");
        histories.forEach((k, h) -> {
            for (Epoch e : h) {
                List<Object> cells = new ArrayList<>(key.apply(k));
                cells.addAll(List.of(e.epoch(), e.fitSeconds(), e.trainError(), e.testError(), e.trainLoss(),
                        e.testLoss()));
                lines.add(Csv.line(cells.toArray()));
            }
        });
        return lines;
    }

    /**
     * Writes the plot of test error by epoch, one line per network.
     *
     * @param file      PNG file
     * @param title     chart title
     * @param histories histories by network, in legend order
     * @param label     a network's legend entry
     * @param <K>       what identifies a network
     * @return {@code file}
     */
    public static <K> Path testErrorPlot(Path file, String title, Map<K, List<Epoch>> histories,
                                         Function<K, String> label) {
        return Plots.lineChart(file, title, "epoch", "test error (%)", false, testErrorLines(histories, label));
    }

    /**
     * Writes the plot of test cross-entropy (NLL) by epoch, one line per network: where a network overfits, its line
     * turns upward while its test error may still look flat.
     *
     * @param file      PNG file
     * @param title     chart title
     * @param histories histories by network, in legend order
     * @param label     a network's legend entry
     * @param <K>       what identifies a network
     * @return {@code file}
     */
    public static <K> Path testLossPlot(Path file, String title, Map<K, List<Epoch>> histories,
                                        Function<K, String> label) {
        List<Plots.Line> lines = new ArrayList<>();
        histories.forEach((k, h) -> lines.add(line(label.apply(k), h, Epoch::testLoss)));
        return Plots.lineChart(file, title, "epoch", "test NLL (nats)", false, lines);
    }

    /**
     * The epoch-by-epoch mean of several runs of one network (for example one run per seed), for plots of the
     * average curve.
     *
     * @param runs histories of the same length, at least one
     * @return one entry per epoch, each field the mean over the runs
     * @throws IllegalArgumentException if there is no run or the runs have different lengths
     */
    public static List<Epoch> mean(List<List<Epoch>> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("runs must hold at least one history, got none");
        }
        int epochs = runs.get(0).size();
        for (List<Epoch> r : runs) {
            if (r.size() != epochs) {
                throw new IllegalArgumentException("runs must have the same number of epochs, got " + r.size()
                        + " and " + epochs);
            }
        }
        List<Epoch> mean = new ArrayList<>();
        double n = runs.size();
        for (int e = 0; e < epochs; e++) {
            double fit = 0;
            double trainError = 0;
            double testError = 0;
            double trainLoss = 0;
            double testLoss = 0;
            for (List<Epoch> r : runs) {
                Epoch x = r.get(e);
                fit += x.fitSeconds() / n;
                trainError += x.trainError() / n;
                testError += x.testError() / n;
                trainLoss += x.trainLoss() / n;
                testLoss += x.testLoss() / n;
            }
            mean.add(new Epoch(runs.get(0).get(e).epoch(), fit, trainError, testError, trainLoss, testLoss));
        }
        return mean;
    }
}
