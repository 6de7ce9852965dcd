package io.github.dl4jdropout.examples.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.linalg.factory.Nd4j;

/** The rank-statistic AUROC against hand-computed values and against ND4J's exact ROC. */
class AurocTest {

    // Exact rational results below are computed in double from small integers: 1e-12 covers rounding.
    private static final double EXACT = 1e-12;

    @Test
    void handExampleWithATie() {
        // Pairs (out, in) with out > in: 0.8 beats 0.1, 0.35, 0.4 (3); 0.4 beats 0.1 and 0.35 (2) and ties with
        // 0.4 (one half): 5.5 of 3 * 2 = 6 pairs.
        double auroc = Auroc.of(new double[] {0.1, 0.4, 0.35}, new double[] {0.8, 0.4});
        assertThat(auroc).isCloseTo(5.5 / 6, within(EXACT));
    }

    @Test
    void separatedReversedAndConstantScores() {
        assertThat(Auroc.of(new double[] {1, 2, 3}, new double[] {4, 5})).isCloseTo(1.0, within(EXACT));
        assertThat(Auroc.of(new double[] {4, 5}, new double[] {1, 2, 3})).isCloseTo(0.0, within(EXACT));
        assertThat(Auroc.of(new double[] {7, 7, 7}, new double[] {7})).isCloseTo(0.5, within(EXACT));
    }

    @Test
    void agreesWithPairCountingWithManyTies() {
        Random rng = new Random(3);
        double[] in = new double[300];
        double[] out = new double[200];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.round(rng.nextGaussian() * 4) / 4.0;   // rounded: many ties
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round((rng.nextGaussian() + 0.7) * 4) / 4.0;
        }
        double pairs = 0;
        for (double o : out) {
            for (double n : in) {
                pairs += o > n ? 1 : o == n ? 0.5 : 0;
            }
        }
        double expected = pairs / (in.length * out.length);
        assertThat(Auroc.of(in, out)).isCloseTo(expected, within(EXACT));

    }

    @Test
    void agreesWithNd4jExactRocOnScoresWithoutTies() {
        // ND4J's ROC expects probabilities in [0, 1] and does not count ties as one half: compare on continuous
        // scores in [0, 1] (ties have probability 0).
        Random rng = new Random(5);
        double[] in = new double[300];
        double[] out = new double[200];
        for (int i = 0; i < in.length; i++) {
            in[i] = rng.nextDouble() * 0.8;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = 0.2 + rng.nextDouble() * 0.8;
        }
        double[] scores = new double[in.length + out.length];
        double[] labels = new double[scores.length];
        System.arraycopy(in, 0, scores, 0, in.length);
        System.arraycopy(out, 0, scores, in.length, out.length);
        java.util.Arrays.fill(labels, in.length, labels.length, 1.0);
        ROC roc = new ROC(0);   // thresholdSteps 0: exact curve
        roc.eval(Nd4j.create(labels, new long[] {labels.length, 1}), Nd4j.create(scores, new long[] {scores.length, 1}));
        // Trapezoids over the exact curve equal the U statistic; 1e-6 allows for ND4J's float arithmetic.
        assertThat(Auroc.of(in, out)).isCloseTo(roc.calculateAUC(), within(1e-6));
    }

    @Test
    void rejectsEmptyAndNaN() {
        assertThatThrownBy(() -> Auroc.of(new double[0], new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inDistribution");
        assertThatThrownBy(() -> Auroc.of(new double[] {1}, new double[] {0, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outOfDistribution[1]");
    }
}
