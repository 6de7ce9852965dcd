package io.github.dl4jdropout.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Uncertainty scores of fixed samples and the ranking built on them, against hand-computed values (1e-12). */
class AcquisitionAndScoresTest {

    private static final double EPS = 1e-12;

    /** Example 0: samples (0.9, 0.1) and (0.1, 0.9); example 1: (0.5, 0.5) twice. */
    private static INDArray samples() {
        return Nd4j.createFromArray(new double[][][] {{{0.9, 0.1}, {0.5, 0.5}}, {{0.1, 0.9}, {0.5, 0.5}}});
    }

    @Test
    void scoresOfSamples() {
        double ln2 = Math.log(2);
        double h91 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
        assertThat(UncertaintyScore.PREDICTIVE_ENTROPY.ofSamples(samples())).containsExactly(new double[] {ln2, ln2},
                within(EPS));
        assertThat(UncertaintyScore.MUTUAL_INFORMATION.ofSamples(samples()))
                .containsExactly(new double[] {ln2 - h91, 0}, within(EPS));
        // Votes: class 0 then class 1 (mode 1 of 2); class 0 twice (the first of equal probabilities).
        assertThat(UncertaintyScore.VARIATION_RATIO.ofSamples(samples())).containsExactly(0.5, 0.0);
        assertThat(UncertaintyScore.MAX_SOFTMAX.ofSamples(samples())).containsExactly(new double[] {0.5, 0.5},
                within(EPS));
        assertThat(UncertaintyScore.MARGIN.ofSamples(samples())).containsExactly(new double[] {1, 1}, within(EPS));
        assertThat(UncertaintyScore.MUTUAL_INFORMATION.needsSamples()).isTrue();
        assertThat(UncertaintyScore.MARGIN.needsSamples()).isFalse();
    }

    @Test
    void scoresOfProbabilities() {
        INDArray p = Nd4j.createFromArray(new double[][] {{0.6, 0.3, 0.1}, {0.2, 0.2, 0.6}});
        double h = -(0.6 * Math.log(0.6) + 0.3 * Math.log(0.3) + 0.1 * Math.log(0.1));
        double h2 = -(0.4 * Math.log(0.2) + 0.6 * Math.log(0.6));
        assertThat(UncertaintyScore.PREDICTIVE_ENTROPY.ofProbabilities(p)).containsExactly(new double[] {h, h2},
                within(EPS));
        assertThat(UncertaintyScore.MAX_SOFTMAX.ofProbabilities(p)).containsExactly(new double[] {0.4, 0.4},
                within(EPS));
        assertThat(UncertaintyScore.MARGIN.ofProbabilities(p)).containsExactly(new double[] {0.7, 0.6},
                within(EPS));
        assertThatThrownBy(() -> UncertaintyScore.MUTUAL_INFORMATION.ofProbabilities(p))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs Monte Carlo samples");
    }

    @Test
    void rankingIsByScoreThenByIndex() {
        double[] scores = {0.2, 0.9, 0.2, 0.5};
        assertThat(Acquisition.rank(scores)).containsExactly(1, 3, 0, 2);
        assertThat(Acquisition.topK(scores, 2)).containsExactly(1, 3);
        assertThatThrownBy(() -> Acquisition.topK(scores, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be in [1, 4] (the pool size), got 5");
        assertThatThrownBy(() -> Acquisition.topK(scores, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomAcquisitionIsDistinctAndSeeded() {
        int[] a = Acquisition.random(100, 30, 7);
        assertThat(Arrays.stream(a).distinct().count()).isEqualTo(30);
        assertThat(Arrays.stream(a).min().getAsInt()).isGreaterThanOrEqualTo(0);
        assertThat(Arrays.stream(a).max().getAsInt()).isLessThan(100);
        assertThat(Acquisition.random(100, 30, 7)).containsExactly(a);
        assertThat(Acquisition.random(100, 30, 8)).isNotEqualTo(a);
        assertThat(Acquisition.random(5, 5, 1)).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThatThrownBy(() -> Acquisition.random(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poolSize must be >= 1, got 0");
    }
}
