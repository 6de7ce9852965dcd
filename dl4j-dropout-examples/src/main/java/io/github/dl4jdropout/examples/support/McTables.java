package io.github.dl4jdropout.examples.support;

import io.github.dl4jdropout.montecarlo.McReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Tables and CSV files of {@link McReport}s: Monte Carlo dropout against standard inference, one row per network
 * (or per rotation angle), with the columns an example chooses.
 */
public final class McTables {

    /**
     * One column: a metric of standard inference or of the Monte Carlo average.
     *
     * @param header  table header
     * @param csvName CSV column name
     * @param value   the metric
     * @param percent shown in percent (accuracies) rather than with three decimals
     */
    public record Column(String header, String csvName, ToDoubleFunction<McReport> value, boolean percent) {
        /** @param report a report @return its cell, formatted */
        public String cell(McReport report) {
            double v = value.applyAsDouble(report);
            return percent ? Table.pct(v) : Table.num(v, 3);
        }
    }

    /** Accuracy of standard inference. */
    public static final Column ACCURACY_STANDARD = new Column("accuracy standard", "det_accuracy",
            r -> r.deterministic().asClassification().accuracy(), true);
    /** Accuracy of the Monte Carlo average. */
    public static final Column ACCURACY_MC = new Column("accuracy MC", "mc_accuracy", r -> r.mc().asClassification().accuracy(), true);
    /** Negative log-likelihood of standard inference, nats. */
    public static final Column NLL_STANDARD = new Column("NLL standard", "det_nll",
            r -> r.deterministic().asClassification().negativeLogLikelihood(), false);
    /** Negative log-likelihood of the Monte Carlo average, nats. */
    public static final Column NLL_MC = new Column("NLL MC", "mc_nll", r -> r.mc().asClassification().negativeLogLikelihood(), false);
    /** Brier score of standard inference. */
    public static final Column BRIER_STANDARD = new Column("Brier standard", "det_brier",
            r -> r.deterministic().asClassification().brierScore(), false);
    /** Brier score of the Monte Carlo average. */
    public static final Column BRIER_MC = new Column("Brier MC", "mc_brier", r -> r.mc().asClassification().brierScore(), false);
    /** Expected calibration error of standard inference. */
    public static final Column ECE_STANDARD = new Column("ECE standard", "det_ece",
            r -> r.deterministic().asClassification().expectedCalibrationError(), false);
    /** Expected calibration error of the Monte Carlo average. */
    public static final Column ECE_MC = new Column("ECE MC", "mc_ece", r -> r.mc().asClassification().expectedCalibrationError(),
            false);
    /** Mean entropy of standard inference's softmax, nats. */
    public static final Column ENTROPY_STANDARD = new Column("entropy standard", "det_entropy",
            r -> r.deterministic().asClassification().meanPredictiveEntropy(), false);
    /** Mean predictive entropy of the Monte Carlo average, nats. */
    public static final Column ENTROPY_MC = new Column("entropy MC", "mc_entropy",
            r -> r.mc().asClassification().meanPredictiveEntropy(), false);
    /** Mean mutual information of the Monte Carlo samples (epistemic uncertainty), nats. */
    public static final Column MUTUAL_INFORMATION_MC = new Column("mutual information MC", "mc_mutual_information",
            r -> r.mc().asClassification().meanMutualInformation(), false);

    /** Accuracy, NLL, Brier score and ECE, each standard then MC. */
    public static final List<Column> CLASSIFICATION = List.of(ACCURACY_STANDARD, ACCURACY_MC, NLL_STANDARD, NLL_MC,
            BRIER_STANDARD, BRIER_MC, ECE_STANDARD, ECE_MC);

    private McTables() {
    }

    /**
     * @param title   the first column's title
     * @param reports reports by row, in row order
     * @param label   a row's label
     * @param columns the metrics
     * @param <K>     what identifies a row
     * @return the table
     */
    public static <K> Table table(String title, Map<K, McReport> reports, Function<K, String> label,
                                  List<Column> columns) {
        List<String> header = new ArrayList<>();
        header.add(title);
        columns.forEach(c -> header.add(c.header()));
        Table table = new Table(header.toArray(String[]::new));
        reports.forEach((k, r) -> {
            List<String> cells = new ArrayList<>();
            cells.add(label.apply(k));
            columns.forEach(c -> cells.add(c.cell(r)));
            table.row(cells.toArray());
        });
        return table;
    }

    /**
     * @param keyColumns the header of the columns that identify a row, e.g. {@code variant,format}
     * @param reports    reports by row
     * @param key        a row's cells in those columns
     * @param columns    the metrics
     * @param <K>        what identifies a row
     * @return CSV lines, header first; every row also gives the number of samples T and of predictions
     */
    public static <K> List<String> csv(String keyColumns, Map<K, McReport> reports, Function<K, List<?>> key,
                                       List<Column> columns) {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(keyColumns).append(",samples,count");
        columns.forEach(c -> header.append(',').append(c.csvName()));
        lines.add(header.toString());
        reports.forEach((k, r) -> {
            List<Object> cells = new ArrayList<>(key.apply(k));
            cells.add(r.samples());
            cells.add(r.mc().count());
            columns.forEach(c -> cells.add(c.value().applyAsDouble(r)));
            lines.add(Csv.line(cells.toArray()));
        });
        return lines;
    }
}
