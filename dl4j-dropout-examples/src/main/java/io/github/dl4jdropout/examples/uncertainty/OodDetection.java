package io.github.dl4jdropout.examples.uncertainty;

import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.uncertainty.OodMetrics;
import io.github.dl4jdropout.uncertainty.UncertaintyScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Out-of-distribution detection: how well an uncertainty score separates in-distribution inputs (upright test
 * digits) from inputs the network was not trained on (noise images, rotated digits), measured with the library's
 * {@link OodMetrics} (AUROC, AUPR, FPR at 95% TPR) for each score: Monte Carlo mutual information, predictive
 * entropy and variation ratio against standard inference (one minus the maximum softmax probability, the baseline
 * of Hendrycks and Gimpel 2017, and the softmax entropy).
 *
 * @param outOfDistribution     what the OOD set is
 * @param mutualInformation     metrics of the Monte Carlo mutual information
 * @param entropy               metrics of the Monte Carlo predictive entropy
 * @param variationRatio        metrics of the Monte Carlo variation ratio
 * @param standardMaxSoftmax    metrics of {@code 1 - max softmax probability} of standard inference
 * @param standardEntropy       metrics of the entropy of standard inference's softmax
 * @param meanMutualInformation mean Monte Carlo mutual information on the OOD set, nats
 * @param meanMaxSoftmax        mean maximum softmax probability of standard inference on the OOD set
 */
public record OodDetection(String outOfDistribution, OodMetrics mutualInformation, OodMetrics entropy,
                           OodMetrics variationRatio, OodMetrics standardMaxSoftmax, OodMetrics standardEntropy,
                           double meanMutualInformation, double meanMaxSoftmax) {

    /**
     * Scores both sets with every uncertainty measure.
     *
     * @param label what the OOD set is
     * @param in    predictions on in-distribution inputs, with samples kept
     * @param out   predictions on out-of-distribution inputs, with samples kept
     * @return the metrics and the OOD set's means
     */
    public static OodDetection of(String label, McPrediction in, McPrediction out) {
        return new OodDetection(label,
                OodMetrics.of(in, out, UncertaintyScore.MUTUAL_INFORMATION),
                OodMetrics.of(in, out, UncertaintyScore.PREDICTIVE_ENTROPY),
                OodMetrics.of(in, out, UncertaintyScore.VARIATION_RATIO),
                OodMetrics.ofDeterministic(in, out, UncertaintyScore.MAX_SOFTMAX),
                OodMetrics.ofDeterministic(in, out, UncertaintyScore.PREDICTIVE_ENTROPY),
                out.mutualInformation().castTo(DataType.DOUBLE).meanNumber().doubleValue(),
                out.deterministic().max(1).castTo(DataType.DOUBLE).meanNumber().doubleValue());
    }

    /** @return AUROC of the Monte Carlo mutual information */
    public double mcMutualInformation() {
        return mutualInformation.auroc();
    }

    /** @return AUROC of the Monte Carlo predictive entropy */
    public double mcEntropy() {
        return entropy.auroc();
    }

    /** @return AUROC of {@code 1 - max softmax probability} of standard inference */
    public double deterministicMaxSoftmax() {
        return standardMaxSoftmax.auroc();
    }

    /** @return AUROC of the entropy of standard inference */
    public double deterministicEntropy() {
        return standardEntropy.auroc();
    }

    /**
     * Images of independent uniform pixels in [0, 1]: inputs from no digit at all.
     *
     * @param n    number of images
     * @param seed seed
     * @return {@code [n, 784]} float array
     */
    public static INDArray noiseImages(int n, long seed) {
        Random rng = new Random(seed);
        float[][] pixels = new float[n][28 * 28];
        for (float[] row : pixels) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextFloat();
            }
        }
        return Nd4j.create(pixels);
    }

    /**
     * @param rows one per OOD set
     * @return the table the example prints
     */
    public static Table table(List<OodDetection> rows) {
        Table t = new Table("in: upright test digits vs out:", "AUROC MC mutual information", "AUROC MC entropy",
                "AUROC MC variation ratio", "AUROC standard 1 - max softmax", "AUROC standard entropy",
                "FPR@95%TPR MC MI", "FPR@95%TPR standard 1 - max softmax", "mean MI on out (nats)",
                "mean max softmax on out");
        for (OodDetection a : rows) {
            t.row(a.outOfDistribution(), Table.num(a.mcMutualInformation(), 3), Table.num(a.mcEntropy(), 3),
                    Table.num(a.variationRatio().auroc(), 3), Table.num(a.deterministicMaxSoftmax(), 3),
                    Table.num(a.deterministicEntropy(), 3), Table.num(a.mutualInformation().fprAt95Tpr(), 3),
                    Table.num(a.standardMaxSoftmax().fprAt95Tpr(), 3), Table.num(a.meanMutualInformation(), 3),
                    Table.num(a.meanMaxSoftmax(), 3));
        }
        return t;
    }

    /**
     * @param rows one per OOD set
     * @return CSV lines, header first: per OOD set and score, AUROC, AUPR-Out, AUPR-In and FPR at 95% TPR
     */
    public static List<String> csv(List<OodDetection> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("out_of_distribution,score,auroc,aupr_out,aupr_in,fpr_at_95_tpr,mean_mc_mutual_information,"
                + "mean_det_max_softmax");
        for (OodDetection a : rows) {
            Map<String, OodMetrics> scores = new LinkedHashMap<>();
            scores.put("mc_mutual_information", a.mutualInformation());
            scores.put("mc_entropy", a.entropy());
            scores.put("mc_variation_ratio", a.variationRatio());
            scores.put("det_one_minus_max_softmax", a.standardMaxSoftmax());
            scores.put("det_entropy", a.standardEntropy());
            scores.forEach((name, m) -> lines.add(Csv.line(a.outOfDistribution().replace(' ', '_'), name, m.auroc(),
                    m.auprOut(), m.auprIn(), m.fprAt95Tpr(), a.meanMutualInformation(), a.meanMaxSoftmax())));
        }
        return lines;
    }
}
