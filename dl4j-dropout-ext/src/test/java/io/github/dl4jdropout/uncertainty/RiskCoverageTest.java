package io.github.dl4jdropout.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Risk-coverage curves of a handful of predictions, against values computed by hand. Tolerance 1e-12. */
class RiskCoverageTest {

    private static final double EPS = 1e-12;

    @Test
    void distinctScores() {
        // Most certain first: right, wrong, right, wrong. risk(m) = 0, 1/2, 1/3, 2/4.
        RiskCoverage rc = RiskCoverage.of(new double[] {0.1, 0.2, 0.3, 0.4}, new boolean[] {true, false, true, false});
        assertThat(rc.coverages()).containsExactly(0.25, 0.5, 0.75, 1.0);
        assertThat(rc.risks()).containsExactly(new double[] {0, 0.5, 1.0 / 3, 0.5}, within(EPS));
        assertThat(rc.thresholds()).containsExactly(0.1, 0.2, 0.3, 0.4);
        assertThat(rc.aurc()).isCloseTo((0 + 0.5 + 1.0 / 3 + 0.5) / 4, within(EPS));
        // Ideal ranking (right, right, wrong, wrong): risk 0, 0, 1/3, 1/2.
        assertThat(rc.optimalAurc()).isCloseTo((1.0 / 3 + 0.5) / 4, within(EPS));
        assertThat(rc.excessAurc()).isCloseTo(0.5 / 4, within(EPS));
        assertThat(rc.overallRisk()).isEqualTo(0.5);
        assertThat(rc.accuracyAtCoverage(0.25)).isEqualTo(1.0);
        assertThat(rc.accuracyAtCoverage(0.5)).isCloseTo(0.5, within(EPS));
        assertThat(rc.accuracyAtCoverage(0.6)).isCloseTo(2.0 / 3, within(EPS)); // 3 of 4 needed for 60%
        assertThat(rc.riskAtCoverage(1.0)).isEqualTo(0.5);
    }

    @Test
    void tiedScoresCountInExpectationAndTheInputOrderDoesNotMatter() {
        // Everything tied: one curve point, and every risk(m) is the overall risk 1/2 in expectation.
        RiskCoverage allTied = RiskCoverage.of(new double[] {1, 1, 1, 1}, new boolean[] {true, false, true, false});
        assertThat(allTied.coverages()).containsExactly(1.0);
        assertThat(allTied.aurc()).isCloseTo(0.5, within(EPS));
        assertThat(allTied.accuracyAtCoverage(0.25)).isCloseTo(0.5, within(EPS));
        // Scores 0.1 (right), then a tie at 0.2 of one right and one wrong, then 0.3 (wrong).
        // E errors(2) = 0 + 1 * 1/2, E errors(3) = 1, errors(4) = 2: AURC = (0 + 1/4 + 1/3 + 1/2) / 4.
        double expected = (0 + 0.25 + 1.0 / 3 + 0.5) / 4;
        RiskCoverage a = RiskCoverage.of(new double[] {0.1, 0.2, 0.2, 0.3}, new boolean[] {true, true, false, false});
        RiskCoverage b = RiskCoverage.of(new double[] {0.3, 0.2, 0.1, 0.2}, new boolean[] {false, false, true, true});
        assertThat(a.aurc()).isCloseTo(expected, within(EPS));
        assertThat(b.aurc()).isCloseTo(expected, within(EPS));
        assertThat(a.coverages()).containsExactly(0.25, 0.75, 1.0);
        assertThat(a.accuracyAtCoverage(0.5)).isCloseTo(0.75, within(EPS));
    }

    @Test
    void coverageIsCutAtTheExactSmallestCount() {
        // 0.3 * 10 is 3.0000000000000004 in double: the cut must still be 3 predictions, not 4.
        double[] scores = new double[10];
        boolean[] correct = new boolean[10];
        for (int i = 0; i < 10; i++) {
            scores[i] = i;
            correct[i] = i != 3;
        }
        RiskCoverage rc = RiskCoverage.of(scores, correct);
        assertThat(rc.accuracyAtCoverage(0.3)).isEqualTo(1.0);
        assertThat(rc.accuracyAtCoverage(0.4)).isCloseTo(0.75, within(EPS));
    }

    @Test
    void correctnessFromProbabilities() {
        boolean[] correct = RiskCoverage.correct(Nd4j.createFromArray(new double[][] {{0.7, 0.3}, {0.4, 0.6}}),
                Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}}));
        assertThat(correct).containsExactly(true, false);
    }

    @Test
    void invalidArguments() {
        assertThatThrownBy(() -> RiskCoverage.of(new double[] {1}, new boolean[] {true, false}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one entry per score (1), got 2");
        assertThatThrownBy(() -> RiskCoverage.of(new double[] {Double.NaN}, new boolean[] {true}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uncertainty[0]");
        RiskCoverage rc = RiskCoverage.of(new double[] {1}, new boolean[] {true});
        assertThatThrownBy(() -> rc.accuracyAtCoverage(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coverage must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> RiskCoverage.of(null, new boolean[] {true}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uncertainty");
    }
}
