package io.github.dl4jdropout.examples.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.montecarlo.McReport;
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
        // The paper's recipe (0.2 on the pixels, 0.5 on hidden units) and the plain network are both clean.
        assertThat(result.auditWithout().findings()).isEmpty();
        assertThat(result.auditWith().findings()).isEmpty();

        MlpDropoutExample.McCurve curve = result.monteCarlo();
        assertThat(curve.errorBySamples()).hasSize(5);
        assertThat(curve.lossBySamples()).hasSize(5);
        for (int k = 1; k <= 5; k++) {
            assertThat(curve.errorAt(k)).as("error at k = %d", k).isBetween(0.0, 1.0);
            assertThat(curve.lossBySamples()[k - 1]).as("loss at k = %d", k).isFinite().isNotNegative();
        }
        assertThat(curve.standardError()).isBetween(0.0, 1.0);

        McReport report = result.report();
        assertThat(report.samples()).isEqualTo(5);
        assertThat(report.mc().count()).isEqualTo(200);
        assertThat(report.deterministic().count()).isEqualTo(200);
        assertThat(report.mc().accuracy()).isBetween(0.0, 1.0);
        assertThat(report.mc().expectedCalibrationError()).isBetween(0.0, 1.0);
        // Standard inference: the report and the curve score the same deterministic output of the same 200 images.
        assertThat(report.deterministic().accuracy()).isCloseTo(1 - curve.standardError(), within(1e-12));
        // The report evaluates the test set as one minibatch, so it draws the same masks as the curve: its MC
        // accuracy is the curve's last point. The two means differ only by rounding (float samples summed in the
        // curve, double accumulation in the evaluator), which can flip at most a near-tie: allow one image of 200.
        assertThat(report.mc().accuracy()).isCloseTo(1 - curve.errorAt(5), within(1.0 / 200 + 1e-12));

        assertThat(result.table()).contains("no dropout", "Monte Carlo k = 5", "expected calibration error");
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
        // endsWithRaw: endsWith resolves the real path, which fails while the folder does not exist yet
        assertThat(o.common().outputDir()).endsWithRaw(Path.of("dl4j-dropout-results", "mlp"));

        assertThat(MlpDropoutExample.Options.parse("--full").common().trainExamples()).isEqualTo(60_000);
        assertThatThrownBy(() -> MlpDropoutExample.Options.parse("--epoch", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--epoch");
        assertThatThrownBy(() -> MlpDropoutExample.Options.parse("--hidden-drop", "1.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hiddenDropRate")
                .hasMessageContaining("1.0");
    }
}
