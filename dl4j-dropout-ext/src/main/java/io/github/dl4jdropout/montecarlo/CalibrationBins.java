package io.github.dl4jdropout.montecarlo;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Equal-width confidence bins on {@code [0, 1]} for the expected calibration error and reliability diagrams, as
 * sufficient statistics that merge exactly: per bin the number of predictions, the sum of their outcomes and the sum
 * of their confidences (exact decimals).
 *
 * <p>The outcome is what the confidence predicts: 1 or 0 for "the top class was right" (classification, Guo et al.
 * 2017), or the label value for a per-label probability (multi-label, Naeini et al. 2015). A confidence of exactly
 * 1 falls in the last bin. {@code ECE = sum_b |outcomeSum_b - confidenceSum_b| / n}, which equals
 * {@code sum_b (n_b / n) |mean outcome_b - mean confidence_b|}.
 */
final class CalibrationBins implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] counts;
    private final BigDecimal[] outcomeSums;
    private final BigDecimal[] confidenceSums;

    private CalibrationBins(long[] counts, BigDecimal[] outcomeSums, BigDecimal[] confidenceSums) {
        this.counts = counts;
        this.outcomeSums = outcomeSums;
        this.confidenceSums = confidenceSums;
    }

    /**
     * @param confidence {@code [m]} values in {@code [0, 1]}
     * @param outcome    {@code [m]} what each confidence predicts (0/1, or a probability)
     * @param weights    {@code [m]} 1 for scored values, 0 for masked ones
     * @param bins       number of bins, at least 1
     */
    static CalibrationBins of(INDArray confidence, INDArray outcome, INDArray weights, int bins) {
        INDArray bin = Transforms.min(Transforms.floor(confidence.mul(bins), false), bins - 1, false);
        long[] counts = new long[bins];
        BigDecimal[] outcomes = new BigDecimal[bins];
        BigDecimal[] confidences = new BigDecimal[bins];
        for (int b = 0; b < bins; b++) {
            INDArray in = bin.eq(b).castTo(DataType.DOUBLE).muli(weights);
            counts[b] = Math.round(in.sumNumber().doubleValue());
            outcomes[b] = BatchMetrics.exact(BatchMetrics.weightedSum(outcome, in), "calibration outcome");
            confidences[b] = BatchMetrics.exact(BatchMetrics.weightedSum(confidence, in), "confidence");
        }
        return new CalibrationBins(counts, outcomes, confidences);
    }

    /**
     * @throws IllegalArgumentException if {@code other} has another number of bins
     */
    CalibrationBins merge(CalibrationBins other) {
        if (other.counts.length != counts.length) {
            throw new IllegalArgumentException("other must use " + counts.length + " calibration bins, got "
                    + other.counts.length);
        }
        long[] c = counts.clone();
        BigDecimal[] o = outcomeSums.clone();
        BigDecimal[] s = confidenceSums.clone();
        for (int b = 0; b < c.length; b++) {
            c[b] += other.counts[b];
            o[b] = o[b].add(other.outcomeSums[b]);
            s[b] = s[b].add(other.confidenceSums[b]);
        }
        return new CalibrationBins(c, o, s);
    }

    int size() {
        return counts.length;
    }

    /** The expected calibration error over {@code total} scored values. */
    double expectedCalibrationError(long total) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int b = 0; b < counts.length; b++) {
            sum = sum.add(outcomeSums[b].subtract(confidenceSums[b]).abs());
        }
        return PredictionMetrics.mean(sum, total);
    }

    long[] counts() {
        return counts.clone();
    }

    /** Mean outcome per bin, 0 for empty bins. */
    double[] meanOutcomes() {
        return means(outcomeSums);
    }

    /** Mean confidence per bin, 0 for empty bins. */
    double[] meanConfidences() {
        return means(confidenceSums);
    }

    private double[] means(BigDecimal[] sums) {
        double[] out = new double[counts.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = counts[b] == 0 ? 0.0 : PredictionMetrics.mean(sums[b], counts[b]);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CalibrationBins)) {
            return false;
        }
        CalibrationBins other = (CalibrationBins) o;
        return Arrays.equals(counts, other.counts) && Arrays.equals(outcomeSums, other.outcomeSums)
                && Arrays.equals(confidenceSums, other.confidenceSums);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }
}
