package io.github.dl4jdropout.examples.uncertainty;

import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.uncertainty.ReliabilityBins;
import io.github.dl4jdropout.uncertainty.RiskCoverage;
import io.github.dl4jdropout.uncertainty.TemperatureScaling;
import io.github.dl4jdropout.uncertainty.UncertaintyScore;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Temperature scaling and selective prediction on upright test digits, with the library's toolkit
 * ({@link TemperatureScaling}, {@link ReliabilityBins}, {@link RiskCoverage}).
 */
public final class Calibration {

    /** Confidence bins of the ECE, as the evaluator's default. */
    public static final int BINS = 15;

    private Calibration() {
    }

    /**
     * Temperature scaling of one kind of inference: T fitted on the first half of the upright test digits, ECE and
     * NLL measured on the second half before and after.
     *
     * @param inference "MC dropout" or "standard"
     * @param scaling   the fitted scaling (temperature, validation NLL)
     * @param eceBefore held-out ECE at T = 1
     * @param eceAfter  held-out ECE at the fitted T
     * @param nllBefore held-out NLL at T = 1, nats
     * @param nllAfter  held-out NLL at the fitted T, nats
     */
    public record TemperatureRow(String inference, TemperatureScaling scaling, double eceBefore, double eceAfter,
                                 double nllBefore, double nllAfter) {
    }

    /**
     * Selective prediction with one uncertainty score: answer only the most certain digits.
     *
     * @param score the score's name
     * @param curve the risk-coverage curve
     */
    public record SelectiveRow(String score, RiskCoverage curve) {
    }

    /**
     * Fits and scores temperature scaling for standard and Monte Carlo inference.
     *
     * @param upright prediction of the upright test digits, with samples kept
     * @param labels  their one-hot labels
     * @return standard first, then Monte Carlo
     */
    public static List<TemperatureRow> temperature(McPrediction upright, INDArray labels) {
        long n = labels.size(0);
        long half = n / 2;
        var validation = NDArrayIndex.interval(0, half);
        var heldOut = NDArrayIndex.interval(half, n);
        INDArray yVal = labels.get(validation, NDArrayIndex.all());
        INDArray yHeld = labels.get(heldOut, NDArrayIndex.all());

        INDArray det = upright.deterministic();
        TemperatureScaling standard = TemperatureScaling.fit(det.get(validation, NDArrayIndex.all()), yVal);
        INDArray detHeld = det.get(heldOut, NDArrayIndex.all());

        INDArray samples = upright.samples();
        TemperatureScaling mc = TemperatureScaling.fitSamples(
                samples.get(NDArrayIndex.all(), validation, NDArrayIndex.all()), yVal);
        INDArray mcHeld = upright.mean().get(heldOut, NDArrayIndex.all());
        INDArray mcHeldScaled = mc.applySamples(samples.get(NDArrayIndex.all(), heldOut, NDArrayIndex.all()));

        return List.of(row("standard", standard, detHeld, standard.apply(detHeld), yHeld),
                row("MC dropout", mc, mcHeld, mcHeldScaled, yHeld));
    }

    private static TemperatureRow row(String name, TemperatureScaling scaling, INDArray before, INDArray after,
                                      INDArray labels) {
        return new TemperatureRow(name, scaling, ReliabilityBins.of(before, labels, BINS).expectedCalibrationError(),
                ReliabilityBins.of(after, labels, BINS).expectedCalibrationError(), nll(before, labels),
                nll(after, labels));
    }

    /** Mean {@code -log p(label)} in nats, probabilities floored at 1e-15. */
    static double nll(INDArray probabilities, INDArray labels) {
        double[][] p = probabilities.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] y = labels.castTo(DataType.DOUBLE).toDoubleMatrix();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < p[i].length; k++) {
                sum -= y[i][k] * Math.log(Math.max(p[i][k], 1e-15));
            }
        }
        return sum / p.length;
    }

    /**
     * Risk-coverage curves of the Monte Carlo scores (against the Monte Carlo mean's errors) and of standard
     * inference's {@code 1 - max softmax} (against its own errors).
     *
     * @param prediction a prediction with samples kept
     * @param labels     one-hot labels
     * @return one row per score
     */
    public static List<SelectiveRow> selective(McPrediction prediction, INDArray labels) {
        boolean[] standardCorrect = RiskCoverage.correct(prediction.deterministic(), labels);
        return List.of(
                new SelectiveRow("MC mutual information",
                        RiskCoverage.of(prediction, UncertaintyScore.MUTUAL_INFORMATION, labels)),
                new SelectiveRow("MC predictive entropy",
                        RiskCoverage.of(prediction, UncertaintyScore.PREDICTIVE_ENTROPY, labels)),
                new SelectiveRow("MC variation ratio",
                        RiskCoverage.of(prediction, UncertaintyScore.VARIATION_RATIO, labels)),
                new SelectiveRow("standard 1 - max softmax", RiskCoverage.of(
                        UncertaintyScore.MAX_SOFTMAX.ofDeterministic(prediction), standardCorrect)));
    }

    /**
     * @param temperature rows of {@link #temperature}
     * @param selective   rows of {@link #selective}
     * @return the two tables the example prints
     */
    public static String tables(List<TemperatureRow> temperature, List<SelectiveRow> selective) {
        Table t = new Table("temperature scaling (fit: 1st half)", "T", "ECE before", "ECE after", "NLL before",
                "NLL after");
        for (TemperatureRow r : temperature) {
            t.row(r.inference(), Table.num(r.scaling().temperature(), 3), Table.num(r.eceBefore(), 4),
                    Table.num(r.eceAfter(), 4), Table.num(r.nllBefore(), 4), Table.num(r.nllAfter(), 4));
        }
        Table s = new Table("selective prediction by", "AURC", "E-AURC", "accuracy at 100%", "at 90%", "at 80%");
        for (SelectiveRow r : selective) {
            RiskCoverage c = r.curve();
            s.row(r.score(), Table.num(c.aurc(), 4), Table.num(c.excessAurc(), 4),
                    Table.pct(c.accuracyAtCoverage(1.0)), Table.pct(c.accuracyAtCoverage(0.9)),
                    Table.pct(c.accuracyAtCoverage(0.8)));
        }
        return t + "\n" + s;
    }

    /**
     * @param temperature rows of {@link #temperature}
     * @return CSV lines, header first
     */
    public static List<String> temperatureCsv(List<TemperatureRow> temperature) {
        List<String> lines = new ArrayList<>();
        lines.add("inference,temperature,validation_nll_before,validation_nll_after,heldout_ece_before,"
                + "heldout_ece_after,heldout_nll_before,heldout_nll_after");
        for (TemperatureRow r : temperature) {
            lines.add(Csv.line(r.inference().replace(' ', '_'), r.scaling().temperature(), r.scaling().nllBefore(),
                    r.scaling().nllAfter(), r.eceBefore(), r.eceAfter(), r.nllBefore(), r.nllAfter()));
        }
        return lines;
    }

    /**
     * @param selective rows of {@link #selective}
     * @return CSV lines, header first: every point of every risk-coverage curve
     */
    public static List<String> riskCoverageCsv(List<SelectiveRow> selective) {
        List<String> lines = new ArrayList<>();
        lines.add("score,coverage,risk,threshold");
        for (SelectiveRow r : selective) {
            double[] coverage = r.curve().coverages();
            double[] risk = r.curve().risks();
            double[] threshold = r.curve().thresholds();
            for (int i = 0; i < coverage.length; i++) {
                lines.add(Csv.line(r.score().replace(' ', '_'), coverage[i], risk[i], threshold[i]));
            }
        }
        return lines;
    }
}
