package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Classification metrics of fixed predictions against hand-computed values. Tolerance 1e-12: a few double operations. */
class ClassificationMetricsTest {

    private static final double EPS = 1e-12;

    private static final INDArray P = Nd4j.createFromArray(new double[][] {
        {0.7, 0.2, 0.1},   // correct, confidence 0.7
        {0.4, 0.5, 0.1},   // wrong (label 0), confidence 0.5
        {0.05, 0.05, 0.9}, // correct, confidence 0.9
        {0.0, 1.0, 0.0},   // masked out below
    });
    private static final INDArray Y = Nd4j.createFromArray(new double[][] {
        {1, 0, 0}, {1, 0, 0}, {0, 0, 1}, {1, 0, 0},
    });

    @Test
    void classificationMetricsMatchHandComputation() {
        INDArray w = Nd4j.createFromArray(1.0, 1.0, 1.0, 0.0);
        ClassificationMetrics m = BatchMetrics.classification(P, Y, w, null, 10, false);
        assertThat(m.count()).isEqualTo(3);
        assertThat(m.accuracy()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.negativeLogLikelihood())
                .isCloseTo(-(Math.log(0.7) + Math.log(0.4) + Math.log(0.9)) / 3, within(EPS));
        double brier = (0.09 + 0.04 + 0.01) + (0.36 + 0.25 + 0.01) + (0.0025 + 0.0025 + 0.01);
        assertThat(m.brierScore()).isCloseTo(brier / 3, within(EPS));
        // Bins of width 0.1: 0.7 -> bin 7 (acc 1), 0.5 -> bin 5 (acc 0), 0.9 -> bin 9 (acc 1).
        double ece = (Math.abs(1 - 0.7) + Math.abs(0 - 0.5) + Math.abs(1 - 0.9)) / 3;
        assertThat(m.expectedCalibrationError()).isCloseTo(ece, within(EPS));
        assertThat(m.binCounts()).containsExactly(0, 0, 0, 0, 0, 1, 0, 1, 0, 1);
        assertThat(m.binAccuracies()[5]).isEqualTo(0.0);
        assertThat(m.binConfidences()[7]).isCloseTo(0.7, within(EPS));
        double h = -(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1))
                - (0.4 * Math.log(0.4) + 0.5 * Math.log(0.5) + 0.1 * Math.log(0.1))
                - (0.05 * Math.log(0.05) * 2 + 0.9 * Math.log(0.9));
        assertThat(m.meanPredictiveEntropy()).isCloseTo(h / 3, within(EPS));
        assertThat(m.evaluation().accuracy()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.evaluation().getNumRowCounter()).isEqualTo(3);
        assertThatThrownBy(m::meanMutualInformation).isInstanceOf(IllegalStateException.class)
                .hasMessage("meanMutualInformation needs Monte Carlo samples; these are metrics of standard"
                        + " (deterministic) inference");
    }

    @Test
    void confidenceOfOneFallsInTheLastBinAndZeroProbabilityIsFloored() {
        INDArray p = Nd4j.createFromArray(new double[][] {{0.0, 1.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1.0, 0.0}});
        ClassificationMetrics m = BatchMetrics.classification(p, y, Nd4j.ones(DataType.DOUBLE, 1), null, 15, false);
        assertThat(m.binCounts()[14]).isEqualTo(1);
        assertThat(m.negativeLogLikelihood()).isCloseTo(-Math.log(PredictionMetrics.PROBABILITY_FLOOR), within(1e-9));
        assertThat(m.expectedCalibrationError()).isCloseTo(1.0, within(EPS));
    }

    @Test
    void mergeIsExactAndLeavesOperandsUnchanged() {
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 2);
        ClassificationMetrics a = BatchMetrics.classification(P.getRows(0, 1), Y.getRows(0, 1), ones, ones.mul(0.1), 15,
                true);
        ClassificationMetrics b = BatchMetrics.classification(P.getRows(2, 3), Y.getRows(2, 3), ones, ones.mul(0.3), 15,
                true);
        ClassificationMetrics all = BatchMetrics.classification(P, Y, Nd4j.ones(DataType.DOUBLE, 4),
                Nd4j.createFromArray(0.1, 0.1, 0.3, 0.3), 15, true);
        ClassificationMetrics merged = a.merge(b);
        assertThat(merged.count()).isEqualTo(4);
        assertThat(merged.accuracy()).isEqualTo(all.accuracy());
        assertThat(merged.brierScore()).isCloseTo(all.brierScore(), within(EPS));
        assertThat(merged.meanMutualInformation()).isCloseTo(0.2, within(EPS));
        assertThat(merged.evaluation().getConfusionMatrix().toCSV())
                .isEqualTo(all.evaluation().getConfusionMatrix().toCSV());
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.evaluation().getNumRowCounter()).isEqualTo(2);
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }
}
