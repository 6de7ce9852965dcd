package io.github.dl4jdropout.examples.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Mean, spread and the "exceeds the spread" rule of per-seed measurements. */
class SpreadTest {

    @Test
    void meanAndSampleStandardDeviation() {
        Spread s = Spread.of(1, 2, 3);
        // Exact in binary floating point up to one rounding: mean 2, sum of squares 2, divisor n - 1 = 2.
        assertThat(s.mean()).isCloseTo(2.0, within(1e-15));
        assertThat(s.sd()).isCloseTo(1.0, within(1e-15));
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.format(2)).isEqualTo("2.00 ± 1.00");
        assertThat(Spread.of(0.1, 0.12).formatPercent()).isEqualTo("11.00% ± 1.41%");
        assertThat(Spread.of(5).sd()).isZero();
    }

    @Test
    void pairedDifferencesAreTakenSeedBySeed() {
        Spread d = Spread.of(0.5, 0.7, 0.4).minus(Spread.of(0.3, 0.4, 0.3));
        assertThat(d.values()).containsExactly(new double[] {0.2, 0.3, 0.1}, within(1e-15));
        assertThatThrownBy(() -> Spread.of(1, 2).minus(Spread.of(1, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
    }

    @Test
    void exceedsTheSpreadOnlyWhenLargerThanItsSdAndOfOneSign() {
        assertThat(Spread.of(-0.2, -0.3, -0.1).exceedsSpread()).isTrue();    // mean -0.2, sd 0.1
        assertThat(Spread.of(0.1, 0.1, 1.0).exceedsSpread()).isFalse();      // one sign, but sd 0.52 > mean 0.4
        assertThat(Spread.of(0.5, 0.6, -0.01).exceedsSpread()).isFalse();    // |mean| > sd, one seed of the other sign
        assertThat(Spread.of(0.2, 0.2, 0.0).exceedsSpread()).isFalse();      // a zero difference is no sign
        assertThat(Spread.of(0.3).exceedsSpread()).isFalse();                // one seed has no spread to exceed
    }

    @Test
    void rejectsNoValuesAndCopiesWhatItGets() {
        assertThatThrownBy(() -> Spread.of()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one value per seed");
        double[] v = {1, 2};
        Spread s = new Spread(v);
        v[0] = 100;
        s.values()[1] = 100;
        assertThat(s.values()).containsExactly(1, 2);
        assertThat(s).isEqualTo(Spread.of(1, 2)).hasSameHashCodeAs(Spread.of(1, 2));
    }
}
