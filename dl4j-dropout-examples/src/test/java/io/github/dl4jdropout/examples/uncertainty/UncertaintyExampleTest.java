package io.github.dl4jdropout.examples.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.McReportAssertions;
import io.github.dl4jdropout.examples.uncertainty.UncertaintyExample.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: the uncertainty example end to end on a few hundred MNIST images. */
class UncertaintyExampleTest {

    @Test
    void runsEndToEndWithTinySettings(@TempDir Path out) {
        Options options = Options.defaults()
                .withCommon(CommonOptions.of(5, 32, 1_000, 200, 7, UncertaintyExample.NAME).withOutputDir(out))
                .with(Options.HIDDEN, 64)
                .with(Options.MC_SAMPLES, 8)
                .with(Options.ANGLE_STEP, 45)
                .with(Options.NOISE_IMAGES, 100);

        UncertaintyExample.Result result = UncertaintyExample.run(options);

        assertThat(result.audit().findings()).isEmpty();
        assertThat(result.angles()).extracting(UncertaintyExample.AngleRow::degrees)
                .containsExactly(0, 45, 90, 135, 180);
        // Five epochs on 1,000 images (156 steps) get well above chance (10%) on upright digits; digits turned a
        // quarter are mostly misread, so the difference is wide enough not to flip.
        assertThat(result.upright().mcAccuracy()).isGreaterThan(0.5);
        assertThat(result.at(90).mcAccuracy()).isLessThan(result.upright().mcAccuracy() - 0.2);
        // Rotated digits lie off the training distribution: more total uncertainty. (Mutual information is not
        // asserted: after so little training it was measured higher on upright digits, 0.278 vs 0.240 nats at
        // 90 degrees; the defaults give 0.097 vs 0.410, see docs/results.md.)
        assertThat(result.at(90).mcEntropy()).isGreaterThan(result.upright().mcEntropy());
        assertThat(result.upright().mcMutualInformation()).isPositive();
        assertThat(result.pooled().mc().count()).isEqualTo(5 * 200);
        assertThat(result.auroc()).hasSize(2);
        // Noise images against upright digits: with 200 in and 100 out, an AUROC of a score that does not separate
        // them has a standard deviation of sqrt((200 + 100 + 1) / (12 * 200 * 100)) = 0.035 around 0.5, so 0.75 is
        // 7 of them above chance and 0.65 is 4.2; measured 0.969 (MC mutual information) and 0.760 (1 - max softmax).
        assertThat(result.noise().mcMutualInformation()).isGreaterThan(0.75);
        assertThat(result.noise().deterministicMaxSoftmax()).isGreaterThan(0.65);
        // The second OOD set is the 90-degree row's images: with 200 test digits (a single evaluation minibatch of
        // at most 250) the evaluator draws the same masks for both, so the two computations of the mean mutual
        // information and of the mean top-class probability must agree; float against double accumulation of 200
        // values near 0.25 differs by about 1e-7.
        OodDetection rotated = result.auroc().get(1);
        assertThat(rotated.outOfDistribution()).contains(String.valueOf(UncertaintyExample.OOD_ANGLE));
        assertThat(rotated.meanMutualInformation()).isCloseTo(result.at(90).mcMutualInformation(), within(1e-5));
        assertThat(rotated.meanMaxSoftmax())
                .isCloseTo(McReportAssertions.meanStandardConfidence(result.at(90).report()), within(1e-5));
        // The library's OOD metrics: FPR at 95% TPR is a share of the 200 digits, AUPR is at least the OOD share.
        assertThat(result.noise().mutualInformation().fprAt95Tpr()).isBetween(0.0, 1.0);
        assertThat(result.noise().mutualInformation().auprOut()).isGreaterThan(100 / 300.0);
        // Temperature scaling fitted on 100 upright digits cannot raise the NLL of those 100 (T = 1 is a candidate).
        assertThat(result.temperature()).extracting(Calibration.TemperatureRow::inference)
                .containsExactly("standard", "MC dropout");
        assertThat(result.temperature()).allSatisfy(r -> {
            assertThat(r.scaling().validationSize()).isEqualTo(100);
            assertThat(r.scaling().nllAfter()).isLessThanOrEqualTo(r.scaling().nllBefore());
        });
        assertThat(result.selective()).hasSize(4).allSatisfy(r -> {
            assertThat(r.curve().size()).isEqualTo(200);
            assertThat(r.curve().aurc()).isGreaterThanOrEqualTo(r.curve().optimalAurc());
        });
        McReportAssertions.assertCalibrationIsConsistent("pooled", result.pooled(), 5 * 200);
        assertThat(result.table()).contains("AUROC MC mutual information", "pooled 0-180");
        assertThat(result.plots()).hasSize(4).allSatisfy(p -> {
            assertThat(p).startsWith(out).exists();
            assertThat(Files.size(p)).isGreaterThan(1000);
        });
        assertThat(out.resolve("uncertainty-by-angle.csv")).exists();
        assertThat(out.resolve("uncertainty-auroc.csv")).exists();
        assertThat(out.resolve("uncertainty-reliability.csv")).exists();
        assertThat(out.resolve("uncertainty-temperature.csv")).exists();
        assertThat(out.resolve("uncertainty-risk-coverage.csv")).exists();
    }

    @Test
    void parsesOptionsAndRejectsBadOnes() {
        Options o = Options.parse("--epochs", "2", "--angle-step=30", "--mc-samples", "9");
        assertThat(o.common().epochs()).isEqualTo(2);
        assertThat(o.angles()).containsExactly(0, 30, 60, 90, 120, 150, 180);
        assertThat(o.mcSamples()).isEqualTo(9);
        assertThat(o.common().outputDir()).endsWithRaw(Path.of("dl4j-dropout-results", "uncertainty"));
        assertThatThrownBy(() -> Options.parse("--angle-step", "40"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("angleStep")
                .hasMessageContaining("40");
        assertThatThrownBy(() -> Options.parse("--angles", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--angles");
    }
}
