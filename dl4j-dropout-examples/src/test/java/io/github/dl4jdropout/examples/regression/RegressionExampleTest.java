package io.github.dl4jdropout.examples.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: the regression example end to end with a small network and few steps. */
class RegressionExampleTest {

    @Test
    void runsEndToEndWithTinySettings(@TempDir Path out) {
        RegressionExample.Options options = RegressionExample.Options.defaults().withOutputDir(out)
                .withHiddenUnits(32).withIterations(400).withMcSamples(30);

        RegressionExample.Result result = RegressionExample.run(options);

        assertThat(result.audit().findings()).isEmpty();
        assertThat(result.gridX()).hasSize(options.gridPoints());
        assertThat(result.mcStd()).hasSize(options.gridPoints());
        assertThat(Arrays.stream(result.mcStd()).allMatch(s -> Double.isFinite(s) && s > 0)).isTrue();
        assertThat(Arrays.stream(result.mcMean()).allMatch(Double::isFinite)).isTrue();
        assertThat(result.observationNoiseVariance()).isFinite().isPositive();
        assertThat(result.inGap().mcCover()).isBetween(0.0, 1.0);
        assertThat(result.table()).contains("test points in the gap");
        assertThat(result.plots()).singleElement().satisfies(p -> {
            assertThat(p).startsWith(out).exists();
            assertThat(Files.size(p)).isGreaterThan(1000);
        });
        assertThat(out.resolve("regression-grid.csv")).exists();
    }

    @Test
    void trainingPointsAvoidTheGap() {
        RegressionExample.Options options = RegressionExample.Options.defaults();
        RegressionExample.Data train = RegressionExample.sample(500, 0.1, options, false, new Random(1));
        assertThat(train.x()).hasSize(500);
        assertThat(Arrays.stream(train.x()).noneMatch(options::inGap)).isTrue();
        assertThat(Arrays.stream(train.x()).allMatch(options::inTrainingRange)).isTrue();
        RegressionExample.Data test = RegressionExample.sample(500, 0.1, options, true, new Random(1));
        // 1.5 of 6 units of range: about 125 of 500 points fall in the gap; 50 is more than 8 sigma below.
        assertThat(Arrays.stream(test.x()).filter(options::inGap).count()).isGreaterThan(50);
    }

    @Test
    void parsesOptionsAndRejectsBadOnes() {
        RegressionExample.Options o = RegressionExample.Options.parse("--iterations", "10", "--relu", "--gap-to=2");
        assertThat(o.iterations()).isEqualTo(10);
        assertThat(o.activation()).isEqualTo(org.nd4j.linalg.activations.Activation.RELU);
        assertThat(o.gapTo()).isEqualTo(2.0);
        assertThat(o.outputDir()).endsWithRaw(Path.of("dl4j-dropout-results", "regression"));
        assertThatThrownBy(() -> RegressionExample.Options.parse("--gap-from", "1.5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1.5, 1.0]");
        assertThatThrownBy(() -> RegressionExample.Options.parse("--drop", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropRate");
    }
}
