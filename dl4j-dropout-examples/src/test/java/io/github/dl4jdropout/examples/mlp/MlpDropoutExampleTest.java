package io.github.dl4jdropout.examples.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.examples.support.CommonOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: the MLP example end to end on a few hundred MNIST images. */
class MlpDropoutExampleTest {

    @Test
    void runsEndToEndWithTinySettings(@TempDir Path out) {
        MlpDropoutExample.Options options = MlpDropoutExample.Options.defaults()
                .withCommon(CommonOptions.of(5, 32, 300, 200, 7, "mlp").withOutputDir(out))
                .withHiddenUnits(64)
                .withMcSamples(5);

        MlpDropoutExample.Result result = MlpDropoutExample.run(options);

        assertThat(result.withoutDropout()).hasSize(5);
        assertThat(result.withDropout()).hasSize(5);
        // 10 classes: a network that learned nothing errs on about 90%; five epochs on 300 images get far below.
        assertThat(result.finalWithoutDropout().testError()).isBetween(0.0, 0.6);
        assertThat(result.finalWithDropout().testError()).isBetween(0.0, 0.6);
        assertThat(result.monteCarlo().errorBySamples()).hasSize(5);
        assertThat(result.table()).contains("no dropout", "Monte Carlo k = 5");
        assertThat(result.plots()).allSatisfy(p -> {
            assertThat(p).startsWith(out).exists();
            assertThat(Files.size(p)).isGreaterThan(1000);
        });
        assertThat(out.resolve("epochs.csv")).exists();
        assertThat(out.resolve("monte-carlo.csv")).exists();
    }

    @Test
    void parsesOptionsAndRejectsUnknownOnes() {
        MlpDropoutExample.Options o = MlpDropoutExample.Options.parse("--epochs", "3", "--train=500", "--mc-samples",
                "7");
        assertThat(o.common().epochs()).isEqualTo(3);
        assertThat(o.common().trainExamples()).isEqualTo(500);
        assertThat(o.mcSamples()).isEqualTo(7);
        assertThat(o.common().outputDir()).endsWith(Path.of("dl4j-dropout-results", "mlp"));

        assertThat(MlpDropoutExample.Options.parse("--full").common().trainExamples()).isEqualTo(60_000);
        assertThatThrownBy(() -> MlpDropoutExample.Options.parse("--epoch", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--epoch");
        assertThatThrownBy(() -> MlpDropoutExample.Options.parse("--hidden-drop", "1.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hiddenDropRate")
                .hasMessageContaining("1.0");
    }
}
