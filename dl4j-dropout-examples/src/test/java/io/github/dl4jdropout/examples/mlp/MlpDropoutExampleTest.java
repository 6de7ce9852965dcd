package io.github.dl4jdropout.examples.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.examples.mlp.MlpDropoutExample.Options;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.McReportAssertions;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Smoke test: the MLP example end to end on a few hundred MNIST images. */
class MlpDropoutExampleTest {

    @Test
    void runsEndToEndWithTinySettings(@TempDir Path out) {
        Options options = Options.defaults()
                // 600 test images: two Monte Carlo minibatches (MC_BATCH = 500), so the curve is combined
                .withCommon(CommonOptions.of(5, 32, 300, 600, 7, "mlp").withOutputDir(out))
                .with(Options.HIDDEN, 64)
                .with(Options.MC_SAMPLES, 5);

        MlpDropoutExample.Result result = MlpDropoutExample.run(options);

        assertThat(result.withoutDropout()).hasSize(5);
        assertThat(result.withDropout()).hasSize(5);
        // 10 classes: a network that learned nothing errs on about 90%; five epochs on 300 images get far below.
        assertThat(result.finalWithoutDropout().testError()).isBetween(0.0, 0.6);
        assertThat(result.finalWithDropout().testError()).isBetween(0.0, 0.6);
        // The paper's recipe (0.2 on the pixels, 0.5 on hidden units) and the plain network are both clean.
        assertThat(result.auditWithout().findings()).isEmpty();
        assertThat(result.auditWith().findings()).isEmpty();

        McCurve curve = result.monteCarlo();
        assertThat(curve.errorBySamples()).hasSize(5);
        assertThat(curve.lossBySamples()).hasSize(5);
        // Each point is a count of misclassified images out of 600, whatever k. The curve joins two minibatches
        // (500 and 100 images) weighted by size; weighting them equally would give (a/500 + b/100) / 2, which times
        // 600 is 0.6a + 3b, an integer only when a is a multiple of 5. The weighted sums are exact to 1e-12.
        for (int k = 1; k <= 5; k++) {
            assertThat(curve.errorAt(k) * 600).as("misclassified at k = %d", k)
                    .isCloseTo(Math.rint(curve.errorAt(k) * 600), within(1e-9));
            assertThat(curve.lossAt(k)).as("loss at k = %d", k).isFinite();
        }
        // The training loop's last evaluation (minibatches of 32) and the curve's standard inference (one minibatch
        // of 500, one of 100) score the same network on the same first 600 test images. Only float rounding in
        // matrix products of other shapes can differ, which can flip at most a near-tie: one image of 600.
        assertThat(curve.standardError()).isCloseTo(result.finalWithDropout().testError(), within(1.0 / 600 + 1e-12));

        McReport report = result.report();
        assertThat(report.samples()).isEqualTo(5);
        assertThat(report.mc().count()).isEqualTo(600);
        assertThat(report.deterministic().count()).isEqualTo(600);
        // Better than chance (10% for 10 classes): the binomial standard deviation of a chance accuracy over 600
        // images is 1.2 points, so 20% is 8 standard deviations above it; measured 33%. Catches MC passes that
        // sample an untrained network or score against the wrong labels.
        assertThat(report.mc().asClassification().accuracy()).isGreaterThan(0.2);
        McReportAssertions.assertCalibrationIsConsistent("mlp", report, 600);
        // The curve's last point and the report average the same T = 5 samples (same masks) and score them with
        // their own code: floats averaged here, doubles in the evaluator; the NLL floors differ (1e-12 here, 1e-15
        // there) only for a true-class probability below 1e-12, which this barely trained network never gives.
        // Float rounding of probabilities moves a mean log by about 1e-7; 1e-4 leaves a wide margin.
        assertThat(curve.lossAt(5)).isCloseTo(report.mc().asClassification().negativeLogLikelihood(), within(1e-4));
        assertThat(curve.standardLoss()).isCloseTo(report.deterministic().asClassification().negativeLogLikelihood(), within(1e-4));
        // Standard inference: the report and the curve score the same deterministic output of the same 600 images.
        assertThat(report.deterministic().asClassification().accuracy()).isCloseTo(1 - curve.standardError(), within(1e-12));
        // The report evaluates the same minibatches, so it draws the same masks as the curve: its MC accuracy is the
        // curve's last point. The two means differ only by rounding (float samples summed in the curve, double
        // accumulation in the evaluator), which can flip at most a near-tie: allow one image of 600.
        assertThat(report.mc().asClassification().accuracy()).isCloseTo(1 - curve.errorAt(5), within(1.0 / 600 + 1e-12));

        assertThat(result.table()).contains("no dropout", "Monte Carlo k = 5", "expected calibration error");
        assertThat(result.plots()).allSatisfy(p -> {
            assertThat(p).startsWith(out).exists();
            assertThat(Files.size(p)).isGreaterThan(1000);
        });
        assertThat(out.resolve("epochs.csv")).exists();
        assertThat(out.resolve("monte-carlo.csv")).exists();
    }

    @Test
    void curvePointKScoresTheMeanOfTheFirstKSamples() {
        Options options = Options.defaults().withCommon(CommonOptions.of(1, 8, 8, 8, 3, "mlp")).with(Options.HIDDEN, 8);
        var net = Training.network(MlpDropoutExample.configuration(options, true));
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 30, 28 * 28);
        // arbitrary classes: the network is untrained, only the bookkeeping of the curve is tested
        INDArray labels = Nd4j.eye(10).getRows(java.util.stream.IntStream.range(0, 30).map(i -> (7 * i + 3) % 10)
                .toArray()).castTo(DataType.FLOAT);
        int t = 6;
        McPrediction p = MonteCarloEvaluator.builder(net).samples(t).seed(5).keepSamples(true).build().predict(x);

        McCurve curve = McCurve.of(p, labels);

        // Reference, one k at a time: average the first k samples with a plain sum, then score it.
        INDArray samples = p.samples().castTo(DataType.DOUBLE);
        for (int k = 1; k <= t; k++) {
            INDArray mean = samples.get(NDArrayIndex.interval(0, k), NDArrayIndex.all(), NDArrayIndex.all())
                    .sum(0).divi(k);
            Training.Score expected = Training.score(mean, labels.castTo(DataType.DOUBLE));
            // Same numbers summed in a different order: only rounding (1e-9 is far above double's) can differ.
            assertThat(curve.errorAt(k)).as("error at k = %d", k).isCloseTo(expected.error(), within(1e-9));
            assertThat(curve.lossBySamples()[k - 1]).as("loss at k = %d", k).isCloseTo(expected.loss(), within(1e-9));
        }
        Training.Score standard = Training.score(p.deterministic(), labels);
        assertThat(curve.standardError()).isEqualTo(standard.error());
    }

    @Test
    void parsesOptionsAndRejectsUnknownOnes() {
        Options o = Options.parse("--epochs", "3", "--train=500", "--mc-samples", "7");
        assertThat(o.common().epochs()).isEqualTo(3);
        assertThat(o.common().trainExamples()).isEqualTo(500);
        assertThat(o.mcSamples()).isEqualTo(7);
        // endsWithRaw: endsWith resolves the real path, which fails while the folder does not exist yet
        assertThat(o.common().outputDir()).endsWithRaw(Path.of("dl4j-dropout-results", "mlp"));

        assertThat(Options.parse("--full").common().trainExamples()).isEqualTo(60_000);
        assertThatThrownBy(() -> Options.parse("--epoch", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --epoch");
        // the last token: reported as unknown, not as an option without its value
        assertThatThrownBy(() -> Options.parse("--bogus-option"))
                .hasMessageStartingWith("unknown option --bogus-option").hasMessageContaining("--mc-samples K");
        assertThatThrownBy(() -> Options.parse("--hidden-drop", "1.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hiddenDropRate")
                .hasMessageContaining("1.0");
    }
}
