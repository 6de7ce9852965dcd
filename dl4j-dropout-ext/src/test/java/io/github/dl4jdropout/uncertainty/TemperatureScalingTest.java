package io.github.dl4jdropout.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Temperature scaling against closed forms. For two classes with logit gap d on every example, a fraction a of them
 * right, the NLL in beta = 1/T is {@code a log(1 + e^(-beta d)) + (1 - a) log(1 + e^(beta d))}, minimal where
 * {@code sigmoid(beta d) = a}: {@code T = d / log(a / (1 - a))}. Tolerance 1e-6 relative: golden-section search on
 * function values locates a smooth minimum to about the square root of double precision (1e-8) in log T.
 */
class TemperatureScalingTest {

    private static final double REL = 1e-6;

    /** Three examples right and one wrong, each with logits (d, 0) for class 0. */
    private static INDArray labels() {
        return Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {1, 0}, {0, 1}});
    }

    private static INDArray rows(double a, double b) {
        return Nd4j.createFromArray(new double[][] {{a, b}, {a, b}, {a, b}, {a, b}});
    }

    @Test
    void logitsGiveTheClosedFormTemperature() {
        TemperatureScaling ts = TemperatureScaling.fitLogits(rows(2, 0), labels());
        double expected = 2 / Math.log(3); // 1.8204784532536746
        assertThat(ts.temperature()).isCloseTo(expected, within(expected * REL));
        assertThat(ts.isMonteCarlo()).isFalse();
        assertThat(ts.atBound()).isFalse();
        // NLL before: 3/4 log(1 + e^-2) + 1/4 log(1 + e^2); after: the entropy of Bernoulli(3/4).
        double before = 0.75 * Math.log(1 + Math.exp(-2)) + 0.25 * Math.log(1 + Math.exp(2));
        double after = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        assertThat(ts.nllBefore()).isCloseTo(before, within(1e-12));
        assertThat(ts.nllAfter()).isCloseTo(after, within(1e-12));
        assertThat(ts.validationSize()).isEqualTo(4);
    }

    @Test
    void probabilitiesGiveTheSameTemperatureAsTheirLogits() {
        // softmax(2 ln 3, 0) = (0.9, 0.1): log-probabilities differ from the logits by a per-row constant, so T = 2.
        TemperatureScaling ts = TemperatureScaling.fit(rows(0.9, 0.1), labels());
        assertThat(ts.temperature()).isCloseTo(2.0, within(2.0 * REL));
        // Applying T = 2 to (0.8, 0.2): (sqrt 0.8, sqrt 0.2) normalised = (2/3, 1/3).
        INDArray calibrated = ts.apply(Nd4j.createFromArray(new double[][] {{0.8, 0.2}}));
        assertThat(calibrated.getDouble(0, 0)).isCloseTo(2.0 / 3, within(1e-6));
        assertThat(calibrated.getDouble(0, 1)).isCloseTo(1.0 / 3, within(1e-6));
        INDArray fromLogits = ts.applyLogits(Nd4j.createFromArray(new double[][] {{Math.log(4), 0}}));
        assertThat(fromLogits.getDouble(0, 0)).isCloseTo(2.0 / 3, within(1e-6));
    }

    @Test
    void identicalMonteCarloSamplesGiveTheStandardTemperature() {
        INDArray p = rows(0.9, 0.1);
        INDArray samples = Nd4j.stack(0, p, p, p);
        TemperatureScaling ts = TemperatureScaling.fitSamples(samples, labels());
        assertThat(ts.isMonteCarlo()).isTrue();
        assertThat(ts.temperature()).isCloseTo(2.0, within(2.0 * REL));
        INDArray mean = ts.applySamples(samples);
        assertThat(mean.getDouble(0, 0)).isCloseTo(0.75, within(1e-6)); // (0.9, 0.1) at T = 2: (3/4, 1/4)
        assertThat(ts.scaleSamples(samples).shape()).containsExactly(3, 4, 2);
    }

    @Test
    void monteCarloFitScalesEachSampleNotTheMean() {
        // Two samples per example that disagree: the mean is (0.5, 0.5) whatever T does to the mean, but scaling
        // each sample changes the average. The fit must lower the NLL and be a local minimum.
        INDArray s1 = Nd4j.createFromArray(new double[][] {{0.95, 0.05}, {0.7, 0.3}, {0.6, 0.4}, {0.9, 0.1}});
        INDArray s2 = Nd4j.createFromArray(new double[][] {{0.6, 0.4}, {0.8, 0.2}, {0.3, 0.7}, {0.85, 0.15}});
        INDArray samples = Nd4j.stack(0, s1, s2);
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {0, 1}, {0, 1}});
        TemperatureScaling ts = TemperatureScaling.fitSamples(samples, labels);
        assertThat(ts.nllAfter()).isLessThan(ts.nllBefore());
        assertThat(nll(ts, samples, labels, 1.001)).isGreaterThanOrEqualTo(ts.nllAfter() - 1e-12);
        assertThat(nll(ts, samples, labels, 0.999)).isGreaterThanOrEqualTo(ts.nllAfter() - 1e-12);
        TemperatureScaling ofMean = TemperatureScaling.fit(s1.add(s2).divi(2), labels);
        assertThat(ofMean.temperature()).isNotCloseTo(ts.temperature(), within(1e-3));
    }

    /** Mean NLL of the MC average at {@code factor * T}, computed by hand. */
    private static double nll(TemperatureScaling ts, INDArray samples, INDArray labels, double factor) {
        double t = ts.temperature() * factor;
        double total = 0;
        for (int i = 0; i < labels.size(0); i++) {
            int y = labels.getDouble(i, 0) == 1 ? 0 : 1;
            double p = 0;
            for (int s = 0; s < samples.size(0); s++) {
                double a = Math.pow(samples.getDouble(s, i, 0), 1 / t);
                double b = Math.pow(samples.getDouble(s, i, 1), 1 / t);
                p += (y == 0 ? a : b) / (a + b) / samples.size(0);
            }
            total -= Math.log(p);
        }
        return total / labels.size(0);
    }

    @Test
    void aPerfectlyFittedValidationSetEndsAtTheLowerBound() {
        TemperatureScaling ts = TemperatureScaling.fit(rows(0.9, 0.1),
                Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {1, 0}, {1, 0}}));
        assertThat(ts.temperature()).isCloseTo(TemperatureScaling.MIN_TEMPERATURE, within(1e-12));
        assertThat(ts.atBound()).isTrue();
        assertThat(ts.toString()).contains("at bound");
    }

    @Test
    void invalidArgumentsAreRefusedWithTheParameterName() {
        assertThatThrownBy(() -> TemperatureScaling.fit(null, labels())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probabilities");
        assertThatThrownBy(() -> TemperatureScaling.fit(Nd4j.createFromArray(new double[] {0.5, 0.5}), labels()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2]");
        assertThatThrownBy(() -> TemperatureScaling.fit(rows(0.9, 0.3), labels()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> TemperatureScaling.fit(rows(0.9, 0.1), Nd4j.createFromArray(new double[][] {{1, 0}})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels must be [4, 2]");
        assertThatThrownBy(() -> TemperatureScaling.fitLogits(rows(Double.NaN, 0), labels()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }
}
