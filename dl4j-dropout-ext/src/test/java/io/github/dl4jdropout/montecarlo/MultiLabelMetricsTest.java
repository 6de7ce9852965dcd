package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.EvaluationBinary;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Multi-label metrics of fixed predictions against hand-computed values. Tolerance 1e-12: a few double operations. */
class MultiLabelMetricsTest {

    private static final double EPS = 1e-12;

    private static final INDArray P = Nd4j.createFromArray(new double[][] {
        {0.9, 0.2, 0.4}, // predicted {0}: exactly the label set
        {0.3, 0.7, 0.5}, // predicted {1} (0.5 is not > 0.5), label set {1, 2}: two of three right
        {0.1, 0.1, 0.1}, // masked out below
    });
    private static final INDArray Y = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 1, 1}, {1, 1, 1}});
    private static final INDArray W = Nd4j.createFromArray(1.0, 1.0, 0.0);
    private static final INDArray MI = Nd4j.createFromArray(new double[][] {
        {0.1, 0.2, 0.3}, {0.0, 0.1, 0.2}, {9, 9, 9}});

    private static double hb(double p) {
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    }

    @Test
    void metricsMatchHandComputation() {
        MultiLabelMetrics m = BatchMetrics.multiLabel(P, Y, W, MI, 2, true);
        assertThat(m.count()).isEqualTo(2);
        assertThat(m.labelCount()).isEqualTo(3);
        assertThat(m.valueCount()).isEqualTo(6);
        assertThat(m.exactMatchAccuracy()).isCloseTo(0.5, within(EPS));
        assertThat(m.hammingAccuracy()).isCloseTo(5.0 / 6, within(EPS));
        double bce = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.7) + Math.log(0.7)
                + Math.log(0.5));
        assertThat(m.negativeLogLikelihood()).isCloseTo(bce / 6, within(EPS));
        assertThat(m.brierScore()).isCloseTo((0.01 + 0.04 + 0.16 + 0.09 + 0.09 + 0.25) / 6, within(EPS));
        double h = hb(0.9) + hb(0.2) + hb(0.4) + hb(0.3) + hb(0.7) + hb(0.5);
        assertThat(m.meanPredictiveEntropy()).isCloseTo(h / 6, within(EPS));
        assertThat(m.meanMutualInformation()).isCloseTo(0.9 / 6, within(EPS));
        // Two bins: [0, 0.5) holds 0.2, 0.4, 0.3 (labels 0, 0, 0); [0.5, 1] holds 0.9, 0.7, 0.5 (labels 1, 1, 1).
        assertThat(m.binCounts()).containsExactly(3, 3);
        assertThat(m.binObservedFrequencies()).containsExactly(0.0, 1.0);
        assertThat(m.binMeanProbabilities()[0]).isCloseTo(0.3, within(EPS));
        assertThat(m.binMeanProbabilities()[1]).isCloseTo(0.7, within(EPS));
        assertThat(m.expectedCalibrationError()).isCloseTo((0.9 + 0.9) / 6, within(EPS));
        EvaluationBinary e = m.evaluationBinary();
        assertThat(e.totalCount(0)).isEqualTo(2); // the masked row is not evaluated
        assertThat(e.truePositives(0)).isEqualTo(1);
        assertThat(e.trueNegatives(0)).isEqualTo(1);
        assertThat(e.falseNegatives(2)).isEqualTo(1);
        assertThat(e.accuracy(2)).isCloseTo(0.5, within(EPS));
    }

    @Test
    void softLabelsAndClampedProbabilities() {
        INDArray p = Nd4j.createFromArray(new double[][] {{0.6, 1.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{0.3, 0.0}});
        MultiLabelMetrics m = BatchMetrics.multiLabel(p, y, Nd4j.ones(DataType.DOUBLE, 1), null, 15, false);
        double floor = PredictionMetrics.PROBABILITY_FLOOR;
        double bce = -(0.3 * Math.log(0.6) + 0.7 * Math.log(0.4)) - Math.log(1 - (1 - floor));
        // 1e-9: the clamped term is about 34.5 nats, so its rounding is larger than EPS.
        assertThat(m.negativeLogLikelihood()).isCloseTo(bce / 2, within(1e-9));
        // Soft label 0.3 counts as negative, prediction 0.6 as positive: wrong; label 0 and 1.0: wrong.
        assertThat(m.hammingAccuracy()).isEqualTo(0.0);
        assertThat(m.binObservedFrequencies()[9]).isCloseTo(0.3, within(EPS)); // 0.6 falls in bin 9 of 15
        assertThat(m.binCounts()[14]).isEqualTo(1); // probability 1 falls in the last bin
        assertThatThrownBy(m::meanMutualInformation).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs Monte Carlo samples");
    }

    @Test
    void mergeIsExactAndLeavesOperandsUnchanged() {
        MultiLabelMetrics a = BatchMetrics.multiLabel(P.getRows(0), Y.getRows(0), Nd4j.ones(DataType.DOUBLE, 1),
                MI.getRows(0), 15, true);
        MultiLabelMetrics b = BatchMetrics.multiLabel(P.getRows(1, 2), Y.getRows(1, 2),
                Nd4j.createFromArray(1.0, 0.0), MI.getRows(1, 2), 15, true);
        MultiLabelMetrics all = BatchMetrics.multiLabel(P, Y, W, MI, 15, true);
        MultiLabelMetrics merged = a.merge(b);
        assertThat(merged).isEqualTo(b.merge(a));
        assertThat(merged.count()).isEqualTo(2);
        assertThat(merged.exactMatchAccuracy()).isEqualTo(all.exactMatchAccuracy());
        assertThat(merged.hammingAccuracy()).isEqualTo(all.hammingAccuracy());
        assertThat(merged.negativeLogLikelihood()).isCloseTo(all.negativeLogLikelihood(), within(EPS));
        assertThat(merged.expectedCalibrationError()).isCloseTo(all.expectedCalibrationError(), within(EPS));
        assertThat(merged.meanMutualInformation()).isCloseTo(all.meanMutualInformation(), within(EPS));
        assertThat(merged.evaluationBinary().totalCount(1)).isEqualTo(2);
        assertThat(a.count()).isEqualTo(1);
        assertThat(a.evaluationBinary().totalCount(1)).isEqualTo(1);
        assertThat(merged).isNotEqualTo(a);

        MultiLabelMetrics twoLabels = BatchMetrics.multiLabel(P.getColumns(0, 1), Y.getColumns(0, 1), W, null, 15,
                false);
        MultiLabelMetrics det = BatchMetrics.multiLabel(P, Y, W, null, 15, false);
        assertThatThrownBy(() -> det.merge(twoLabels)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other must have 3 labels, got 2");
        assertThat(det.asMultiLabel()).isSameAs(det);
        assertThatThrownBy(det::asClassification).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("use asMultiLabel()");
    }
}
