package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Regression metrics of fixed predictions against hand-computed values. Tolerance 1e-12: a few double operations. */
class RegressionMetricsTest {

    private static final double EPS = 1e-12;

    private static final INDArray MEAN = Nd4j.createFromArray(new double[][] {{1.0, 2.0}, {3.0, 5.0}, {9.0, 9.0}});
    private static final INDArray Y = Nd4j.createFromArray(new double[][] {{1.5, 2.0}, {2.0, 5.0}, {0.0, 0.0}});
    private static final INDArray VAR = Nd4j.createFromArray(new double[][] {{0.25, 1.0}, {0.5, 2.0}, {1.0, 1.0}});
    /** The third row is masked out. */
    private static final INDArray W = Nd4j.createFromArray(1.0, 1.0, 0.0);
    private static final OptionalDouble NONE = OptionalDouble.empty();

    @Test
    void regressionMetricsMatchHandComputation() {
        RegressionMetrics mc = BatchMetrics.regression(MEAN, Y, W, VAR, null, NONE, 1.0, true);
        assertThat(mc.count()).isEqualTo(2);
        assertThat(mc.valueCount()).isEqualTo(4);
        assertThat(mc.rmse()).isCloseTo(Math.sqrt((0.25 + 0 + 1 + 0) / 4), within(EPS));
        double nll = 0.5 * (Math.log(2 * Math.PI * 0.25) + 0.25 / 0.25) + 0.5 * Math.log(2 * Math.PI * 1.0)
                + 0.5 * (Math.log(2 * Math.PI * 0.5) + 1 / 0.5) + 0.5 * Math.log(2 * Math.PI * 2.0);
        assertThat(mc.gaussianNegativeLogLikelihood()).isCloseTo(nll / 4, within(EPS));
        assertThat(mc.meanPredictiveVariance()).isCloseTo(3.75 / 4, within(EPS));
        assertThat(mc.regressionEvaluation().meanSquaredError(0)).isCloseTo(0.625, within(EPS));

        RegressionMetrics det = BatchMetrics.regression(MEAN, Y, W, null, null, NONE, 1.0, false);
        assertThat(det.hasGaussianNegativeLogLikelihood()).isFalse();
        assertThatThrownBy(det::gaussianNegativeLogLikelihood).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("observationPrecision(tau)");
        assertThatThrownBy(det::meanPredictiveVariance).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs Monte Carlo samples");
        RegressionMetrics detWithNoise = BatchMetrics.regression(MEAN, Y, W, null, null, OptionalDouble.of(0.5), 1.0,
                false);
        double nllNoise = 2 * Math.log(2 * Math.PI * 2.0) + (0.25 + 0 + 1 + 0) / (2 * 2.0);
        assertThat(detWithNoise.gaussianNegativeLogLikelihood()).isCloseTo(nllNoise / 4, within(EPS));
    }

    @Test
    void mergeIsExactAndLeavesOperandsUnchanged() {
        RegressionMetrics a = BatchMetrics.regression(MEAN.getRows(0), Y.getRows(0), Nd4j.ones(1), VAR.getRows(0),
                null, NONE, 1.0, true);
        RegressionMetrics b = BatchMetrics.regression(MEAN.getRows(1, 2), Y.getRows(1, 2),
                Nd4j.createFromArray(1.0, 0.0), VAR.getRows(1, 2), null, NONE, 1.0, true);
        RegressionMetrics all = BatchMetrics.regression(MEAN, Y, W, VAR, null, NONE, 1.0, true);
        RegressionMetrics merged = a.merge(b);
        assertThat(merged.count()).isEqualTo(2);
        assertThat(merged.rmse()).isEqualTo(all.rmse());
        assertThat(merged.gaussianNegativeLogLikelihood()).isCloseTo(all.gaussianNegativeLogLikelihood(), within(EPS));
        assertThat(merged.regressionEvaluation().meanSquaredError(0))
                .isCloseTo(all.regressionEvaluation().meanSquaredError(0), within(EPS));
        assertThat(a.count()).isEqualTo(1);
        assertThat(a.regressionEvaluation().meanSquaredError(0)).isCloseTo(0.25, within(EPS));
        assertThat(a.merge(b)).isEqualTo(b.merge(a)).isNotEqualTo(a);
    }
}
