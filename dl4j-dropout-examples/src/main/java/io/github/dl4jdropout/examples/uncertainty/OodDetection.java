package io.github.dl4jdropout.examples.uncertainty;

import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Vectors;
import io.github.dl4jdropout.montecarlo.McPrediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Out-of-distribution detection: how well an uncertainty score separates in-distribution inputs (upright test
 * digits) from inputs the network was not trained on (noise images, rotated digits), measured by the AUROC of each
 * score, Monte Carlo (mutual information, predictive entropy) against standard inference (one minus the maximum
 * softmax probability, the baseline of Hendrycks and Gimpel 2017, and the softmax entropy).
 *
 * @param outOfDistribution       what the OOD set is
 * @param mcMutualInformation     AUROC of the Monte Carlo mutual information
 * @param mcEntropy               AUROC of the Monte Carlo predictive entropy
 * @param deterministicMaxSoftmax AUROC of {@code 1 - max softmax probability} of standard inference
 * @param deterministicEntropy    AUROC of the entropy of standard inference's softmax
 * @param meanMutualInformation   mean Monte Carlo mutual information on the OOD set, nats
 * @param meanMaxSoftmax          mean maximum softmax probability of standard inference on the OOD set
 */
public record OodDetection(String outOfDistribution, double mcMutualInformation, double mcEntropy,
                           double deterministicMaxSoftmax, double deterministicEntropy, double meanMutualInformation,
                           double meanMaxSoftmax) {

    /**
     * Scores both sets with every uncertainty measure.
     *
     * @param label what the OOD set is
     * @param in    predictions on in-distribution inputs
     * @param out   predictions on out-of-distribution inputs
     * @return the AUROCs and the OOD set's means
     */
    public static OodDetection of(String label, McPrediction in, McPrediction out) {
        return new OodDetection(label,
                Auroc.of(Vectors.values(in.mutualInformation()), Vectors.values(out.mutualInformation())),
                Auroc.of(Vectors.values(in.predictiveEntropy()), Vectors.values(out.predictiveEntropy())),
                Auroc.of(oneMinusMaxSoftmax(in), oneMinusMaxSoftmax(out)),
                Auroc.of(entropy(in.deterministic()), entropy(out.deterministic())),
                out.mutualInformation().castTo(DataType.DOUBLE).meanNumber().doubleValue(),
                out.deterministic().max(1).castTo(DataType.DOUBLE).meanNumber().doubleValue());
    }

    /**
     * The baseline out-of-distribution score of Hendrycks and Gimpel (2017): one minus the largest class
     * probability of standard inference.
     *
     * @param p a prediction
     * @return one score per example, higher means "less sure"
     */
    public static double[] oneMinusMaxSoftmax(McPrediction p) {
        return Vectors.values(p.deterministic().max(1).rsub(1.0));
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
                "AUROC standard 1 - max softmax", "AUROC standard entropy", "mean MI on out (nats)",
                "mean max softmax on out");
        for (OodDetection a : rows) {
            t.row(a.outOfDistribution(), Table.num(a.mcMutualInformation(), 3), Table.num(a.mcEntropy(), 3),
                    Table.num(a.deterministicMaxSoftmax(), 3), Table.num(a.deterministicEntropy(), 3),
                    Table.num(a.meanMutualInformation(), 3), Table.num(a.meanMaxSoftmax(), 3));
        }
        return t;
    }

    /**
     * @param rows one per OOD set
     * @return CSV lines, header first
     */
    public static List<String> csv(List<OodDetection> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("out_of_distribution,auroc_mc_mutual_information,auroc_mc_entropy,auroc_det_one_minus_max_softmax,"
                + "auroc_det_entropy,mean_mc_mutual_information,mean_det_max_softmax");
        for (OodDetection a : rows) {
            lines.add(Csv.line(a.outOfDistribution().replace(' ', '_'), a.mcMutualInformation(), a.mcEntropy(),
                    a.deterministicMaxSoftmax(), a.deterministicEntropy(), a.meanMutualInformation(),
                    a.meanMaxSoftmax()));
        }
        return lines;
    }

    private static double[] entropy(INDArray probabilities) {
        INDArray p = probabilities.castTo(DataType.DOUBLE);
        INDArray logP = Transforms.log(Transforms.max(p, 1e-15), true);
        return Vectors.values(p.mul(logP).sum(1).negi());
    }
}
