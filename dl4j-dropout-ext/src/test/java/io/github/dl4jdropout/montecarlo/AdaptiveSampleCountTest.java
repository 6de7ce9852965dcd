package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The adaptive sample count of {@code predict} ({@link MonteCarloEvaluator.Builder#stopWhenStable}). */
class AdaptiveSampleCountTest {

    private static final MultiLayerNetwork NET = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
    private static final DataSet DATA = TestNets.classificationData(16, 5);

    @Test
    void toleranceZeroNeverStopsAndAHugeOneStopsAtTheFirstComparison() {
        McPrediction all = MonteCarloEvaluator.builder(NET).samples(60).stopWhenStable(0.0, 10).build()
                .predict(DATA.getFeatures());
        assertThat(all.sampleCount()).isEqualTo(60);
        McPrediction first = MonteCarloEvaluator.builder(NET).samples(60).stopWhenStable(1e9, 10).build()
                .predict(DATA.getFeatures());
        assertThat(first.sampleCount()).isEqualTo(20); // the first check only remembers; the second compares
    }

    @Test
    void stoppedEstimateIsWithinTheDocumentedErrorOfAManySampleReference() {
        int checkEvery = 10;
        double tolerance = 0.01;
        McPrediction adaptive = MonteCarloEvaluator.builder(NET).samples(2000).seed(1)
                .stopWhenStable(tolerance, checkEvery).build().predict(DATA.getFeatures());
        int used = adaptive.sampleCount();
        assertThat(used).isBetween(2 * checkEvery, 1990);
        McPrediction reference = MonteCarloEvaluator.builder(NET).samples(5000).seed(2).build()
                .predict(DATA.getFeatures());
        // Documented error: about tolerance * sqrt(T / m) per output, T the samples at the previous check. The
        // largest of the 48 outputs is allowed 3 times that, plus the reference's own error (at most 0.5 / sqrt(5000)
        // = 0.007 for a probability's standard deviation of at most 0.5).
        double allowed = 3 * tolerance * Math.sqrt((used - checkEvery) / (double) checkEvery) + 0.007;
        double error = Transforms.abs(adaptive.mean().sub(reference.mean()), false).maxNumber().doubleValue();
        assertThat(error).isLessThan(allowed);
    }

    @Test
    void evaluateIgnoresTheOptionSoReportsStillMerge() {
        McReport plain = MonteCarloEvaluator.builder(NET).samples(30).build()
                .evaluate(new ListDataSetIterator<>(TestNets.batches(DATA, 8), 8));
        McReport withOption = MonteCarloEvaluator.builder(NET).samples(30).stopWhenStable(1e9, 5).build()
                .evaluate(new ListDataSetIterator<>(TestNets.batches(DATA, 8), 8));
        assertThat(withOption).isEqualTo(plain);
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(NET).stopWhenStable(0.001, 7).build();
        assertThat(mc.stopTolerance().getAsDouble()).isEqualTo(0.001);
        assertThat(mc.checkEvery()).isEqualTo(7);
        assertThat(MonteCarloEvaluator.builder(NET).build().stopTolerance()).isEmpty();
    }

    @Test
    void invalidSettings() {
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(NET).stopWhenStable(-1, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance must be finite and >= 0")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(NET).stopWhenStable(Double.NaN, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(NET).stopWhenStable(0.1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkEvery must be >= 1, got 0");
    }
}
