package io.github.dl4jdropout.examples.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.examples.regression.RegressionExample.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

/** Smoke test: the regression example end to end with a small network and few steps. */
class RegressionExampleTest {

    @Test
    void runsEndToEndWithTinySettings(@TempDir Path out) {
        Options options = Options.defaults().with(Options.OUT, out).with(Options.HIDDEN, 32)
                .with(Options.ITERATIONS, 400).with(Options.MC_SAMPLES, 30);

        RegressionExample.Result result = RegressionExample.run(options);

        assertThat(result.audit().findings()).isEmpty();
        assertThat(result.gridX()).hasSize(options.gridPoints());
        assertThat(result.mcStd()).hasSize(options.gridPoints());
        assertThat(Arrays.stream(result.mcStd()).allMatch(s -> Double.isFinite(s) && s > 0)).isTrue();
        assertThat(Arrays.stream(result.mcMean()).allMatch(Double::isFinite)).isTrue();
        assertThat(result.observationNoiseVariance()).isFinite().isPositive();
        // In the training range the interval mean +- 2 sqrt(MC variance + noise) must hold most test points: the
        // noise variance is the training residuals' mean square, test points there have residuals like those (same
        // fit, same x range, fresh noise), and by Chebyshev's inequality at most 1/4 of any distribution lies more
        // than 2 standard deviations out; the MC variance only widens the interval. Measured 98%. Fails if the
        // interval uses the standard deviation as a variance, forgets the noise, or drops the factor 2.
        assertThat(result.outsideGap().mcCover()).isGreaterThanOrEqualTo(0.75);
        assertThat(result.inGap().points() + result.outsideGap().points()).isEqualTo(RegressionExample.TEST_POINTS);
        assertThat(result.table()).contains("test points in the gap");
        assertThat(result.plots()).singleElement().satisfies(p -> {
            assertThat(p).startsWith(out).exists();
            assertThat(Files.size(p)).isGreaterThan(1000);
        });
        assertThat(out.resolve("regression-grid.csv")).exists();
    }

    @Test
    void trainingPointsAvoidTheGap() {
        NoisyCurve curve = Options.defaults().curve();
        Points train = curve.sample(500, false, new Random(1));
        assertThat(train.x()).hasSize(500);
        assertThat(Arrays.stream(train.x()).noneMatch(curve::inGap)).isTrue();
        assertThat(Arrays.stream(train.x()).allMatch(curve::inTrainingRange)).isTrue();
        Points test = curve.sample(500, true, new Random(1));
        // 1.5 of 6 units of range: about 125 of 500 points fall in the gap; 50 is more than 8 sigma below.
        assertThat(Arrays.stream(test.x()).filter(curve::inGap).count()).isGreaterThan(50);
    }

    @Test
    void parsesOptionsAndRejectsBadOnes() {
        Options o = Options.parse("--iterations", "10", "--relu", "--gap-to=2");
        assertThat(o.iterations()).isEqualTo(10);
        assertThat(o.activation()).isEqualTo(Activation.RELU);
        assertThat(o.curve().gapTo()).isEqualTo(2.0);
        assertThat(o.outputDir()).endsWithRaw(Path.of("dl4j-dropout-results", "regression"));
        // both ends of the gap move together, whatever their order on the command line
        assertThat(Options.parse("--gap-from", "1.5", "--gap-to", "2").curve().gapFrom()).isEqualTo(1.5);
        assertThatThrownBy(() -> Options.parse("--gap-from", "1.5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1.5, 1.0]");
        assertThatThrownBy(() -> Options.parse("--drop", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropRate");
    }
}
