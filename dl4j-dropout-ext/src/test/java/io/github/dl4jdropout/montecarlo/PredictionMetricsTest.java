package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The common type of the per-task metrics: typed views and merging across types. */
class PredictionMetricsTest {

    private static final INDArray P = Nd4j.createFromArray(new double[][] {{0.7, 0.3}, {0.4, 0.6}});
    private static final INDArray Y = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}});
    private static final INDArray W = Nd4j.ones(DataType.DOUBLE, 2);
    private static final OptionalDouble NONE = OptionalDouble.empty();

    @Test
    void typedViewsReturnTheObjectOrNameTheRightOne() {
        PredictionMetrics classification = BatchMetrics.classification(P, Y, W, null, 5, false);
        PredictionMetrics regression = BatchMetrics.regression(P, Y, W, null, null, NONE, 1.0, false);
        assertThat(classification.asClassification()).isSameAs(classification);
        assertThat(regression.asRegression()).isSameAs(regression);
        assertThat(classification.task()).isEqualTo(McTask.CLASSIFICATION);
        assertThat(regression.task()).isEqualTo(McTask.REGRESSION);
        assertThatThrownBy(classification::asRegression).isInstanceOf(IllegalStateException.class)
                .hasMessage("asRegression() needs regression metrics; these are classification deterministic"
                        + " metrics (use asClassification())");
        assertThatThrownBy(regression::asClassification).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("use asRegression()");
    }

    @Test
    void mergeRefusesAnotherTaskOrKindOfInference() {
        PredictionMetrics det = BatchMetrics.classification(P, Y, W, null, 5, false);
        PredictionMetrics mc = BatchMetrics.classification(P, Y, W, Nd4j.zeros(DataType.DOUBLE, 2), 5, true);
        PredictionMetrics regression = BatchMetrics.regression(P, Y, W, null, null, NONE, 1.0, false);
        assertThatThrownBy(() -> det.merge(regression)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other must hold classification deterministic metrics, got regression deterministic");
        assertThatThrownBy(() -> det.merge(mc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other must hold classification deterministic metrics, got classification Monte Carlo");
        assertThat(det.merge(det).count()).isEqualTo(4);
    }
}
