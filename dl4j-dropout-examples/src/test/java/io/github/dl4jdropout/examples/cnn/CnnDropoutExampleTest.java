package io.github.dl4jdropout.examples.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.audit.AuditCheck;
import io.github.dl4jdropout.examples.cnn.CnnDropoutExample.Config;
import io.github.dl4jdropout.examples.cnn.CnnDropoutExample.Variant;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.McReportAssertions;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Smoke test: the CNN example end to end on a few hundred MNIST images, in both layouts. */
class CnnDropoutExampleTest {

    @Test
    void runsAllNetworksWithTinySettings(@TempDir Path out) {
        CnnDropoutExample.Options options = CnnDropoutExample.Options.defaults()
                .withCommon(CommonOptions.of(2, 32, 256, 128, 7, "cnn").withOutputDir(out))
                .withConfigs(CnnDropoutExample.Options.allConfigs())
                .with(CnnDropoutExample.Options.MC_SAMPLES, 3);

        CnnDropoutExample.Result result = CnnDropoutExample.run(options);

        assertThat(result.histories().keySet()).containsExactlyElementsOf(CnnDropoutExample.Options.allConfigs());
        for (Config c : CnnDropoutExample.Options.allConfigs()) {
            // 10 classes: chance is 90% error; 16 minibatches of a BatchNorm CNN get well below.
            assertThat(result.last(c).testError()).as(c.label()).isBetween(0.0, 0.75);
        }
        assertThat(result.plots()).allSatisfy(p -> assertThat(p).startsWith(out).exists());
        assertThat(out.resolve("monte-carlo.csv")).exists();

        // Audit: no errors anywhere; the element-wise baseline is flagged, spatial dropout and no dropout are clean.
        assertThat(result.audits().keySet()).containsExactlyElementsOf(CnnDropoutExample.Options.allConfigs());
        result.audits().forEach((c, report) -> {
            assertThat(report.errors()).as(c.label()).isEmpty();
            if (c.variant() == Variant.STANDARD) {
                assertThat(report.of(AuditCheck.ELEMENTWISE_DROPOUT_ON_FEATURE_MAPS)).as(c.label()).hasSize(1);
            } else {
                assertThat(report.findings()).as(c.label()).isEmpty();
            }
        });

        // Monte Carlo: every network with dropout, none for the network without (nothing to sample).
        assertThat(result.monteCarlo().keySet()).containsExactly(new Config(Variant.STANDARD, CNN2DFormat.NCHW),
                new Config(Variant.SPATIAL, CNN2DFormat.NCHW), new Config(Variant.STANDARD, CNN2DFormat.NHWC),
                new Config(Variant.SPATIAL, CNN2DFormat.NHWC));
        result.monteCarlo().forEach((c, report) -> {
            assertThat(report.samples()).as(c.label()).isEqualTo(3);
            assertThat(report.mc().count()).as(c.label()).isEqualTo(128);
            assertThat(report.deterministic().count()).as(c.label()).isEqualTo(128);
            // Better than chance (10%): over 128 images a chance accuracy has a binomial standard deviation of 2.7
            // points, so 25% is 5.6 of them above it; measured 48% to 54% after 16 minibatches. Catches MC passes
            // that score other images or labels than the test set's, or that sample an untrained network.
            assertThat(report.mc().asClassification().accuracy()).as(c.label()).isGreaterThan(0.25);
            assertThat(report.mc().asClassification().negativeLogLikelihood()).as(c.label()).isFinite().isPositive();
            McReportAssertions.assertCalibrationIsConsistent(c.label(), report, 128);
            // The evaluator's standard inference runs BatchNormalization in inference mode, like the training loop's
            // evaluation (net.output(x, false)) of the same test images, so both count the same mistakes.
            assertThat(report.deterministic().asClassification().accuracy()).as(c.label())
                    .isCloseTo(1 - result.last(c).testError(), within(1e-9));
        });
        assertThat(result.table()).contains("accuracy MC", "ECE standard");
    }

    @Test
    void imagesAreReshapedToTheRequestedLayout() {
        INDArray rows = Nd4j.rand(3, 784);
        DataSet nchw = new DataSet(rows.dup(), Nd4j.zeros(3, 10));
        DataSet nhwc = new DataSet(rows.dup(), Nd4j.zeros(3, 10));
        CnnDropoutExample.images(CNN2DFormat.NCHW).preProcess(nchw);
        CnnDropoutExample.images(CNN2DFormat.NHWC).preProcess(nhwc);
        assertThat(nchw.getFeatures().shape()).containsExactly(3, 1, 28, 28);
        assertThat(nhwc.getFeatures().shape()).containsExactly(3, 28, 28, 1);
        // pixel (row 4, column 9) of example 2 in both
        assertThat(nchw.getFeatures().getDouble(2, 0, 4, 9)).isEqualTo(rows.getDouble(2, 4 * 28 + 9));
        assertThat(nhwc.getFeatures().getDouble(2, 4, 9, 0)).isEqualTo(rows.getDouble(2, 4 * 28 + 9));
    }

    @Test
    void rejectsBadRates() {
        assertThatThrownBy(() -> CnnDropoutExample.Options.parse("--map-drop", "-0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mapDropRate")
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> CnnDropoutExample.Options.parse("--mc-samples", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mcSamples")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> new Config(Variant.SPATIAL, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
