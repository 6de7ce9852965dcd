package io.github.dl4jdropout.examples.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.audit.AuditCheck;
import io.github.dl4jdropout.audit.Severity;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample.Run;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample.Variant;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.McReportAssertions;
import io.github.dl4jdropout.examples.support.Training.Epoch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Smoke test: the RNN example end to end on a few hundred MNIST images with two seeds, and its reshaping. */
class RnnDropoutExampleTest {

    private static final List<Long> SEEDS = List.of(7L, 8L);

    @Test
    void runsAllVariantsWithSeveralSeeds(@TempDir Path out) throws IOException {
        RnnDropoutExample.Options options = new RnnDropoutExample.Options(
                CommonOptions.of(2, 20, 120, 100, 7, "rnn").withOutputDir(out), 4, 1, 16, 0.2, 5e-3, 2, 3,
                List.of(Variant.values()));

        RnnDropoutExample.Result result = RnnDropoutExample.run(options);

        assertThat(result.runs()).containsOnlyKeys(Variant.values());
        result.runs().forEach((v, runs) -> {
            assertThat(runs).extracting(Run::seed).as(v.label()).containsExactlyElementsOf(SEEDS);
            assertThat(runs).allSatisfy(r -> assertThat(r.history()).hasSize(2));
        });
        for (int i = 0; i < SEEDS.size(); i++) {
            // Same seed, same training subset, order and initial weights: only the dropout can make two networks
            // train apart. If a variant's dropout were silently not applied (a wrapper such as LastTimeStep dropping
            // its inner layer's dropout, weight noise ignored by the LSTM, a recurrent mask never drawn), its training
            // loss would equal the other's to the last bit. Dropping 20% of the inputs over 12 minibatches moves the
            // loss by far more than 1e-4 nats (measured with the older example: 0.05 to 0.19).
            double plain = trainLoss(result, Variant.NONE, i);
            for (Variant v : List.of(Variant.PER_STEP, Variant.TIME_SHARED, Variant.VARIATIONAL_LSTM,
                    Variant.RECURRENT_WEIGHTS)) {
                assertThat(trainLoss(result, v, i)).as(v.label()).isNotCloseTo(plain, within(1e-4));
            }
            assertThat(trainLoss(result, Variant.VARIATIONAL_LSTM, i)).as("recurrent dropout applied")
                    .isNotCloseTo(trainLoss(result, Variant.TIME_SHARED, i), within(1e-4));
            assertThat(trainLoss(result, Variant.RECURRENT_WEIGHTS, i)).as("recurrent weight dropout applied")
                    .isNotCloseTo(trainLoss(result, Variant.TIME_SHARED, i), within(1e-4));
        }
        // A second seed is a second experiment (another subset, order, initialization), not a copy of the first.
        assertThat(trainLoss(result, Variant.NONE, 1)).isNotCloseTo(trainLoss(result, Variant.NONE, 0), within(1e-4));

        // Monte Carlo: every network with dropout, with T = 3 over the 100 test images; none without dropout.
        result.runs().forEach((v, runs) -> runs.forEach(r -> {
            assertThat(r.monteCarlo()).as(v.label()).isEqualTo(r.monteCarlo().filter(m -> v != Variant.NONE));
            r.monteCarlo().ifPresent(report -> {
                assertThat(report.samples()).isEqualTo(3);
                assertThat(report.mc().count()).isEqualTo(100);
                McReportAssertions.assertCalibrationIsConsistent(v.label(), report, 100);
                // The evaluator's standard inference and the training loop's last test score are the same network
                // on the same 100 images; only float summation order differs (the MLP test uses the same bound).
                assertThat(report.deterministic().asClassification().negativeLogLikelihood()).as(v.label())
                        .isCloseTo(r.last().testLoss(), within(1e-4));
                assertThat(1 - report.deterministic().asClassification().accuracy()).as(v.label())
                        .isCloseTo(r.last().testError(), within(1e-9));
            });
        }));
        assertThatThrownBy(() -> result.runs().get(Variant.NONE).get(0).mc())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no dropout");

        // Aggregation: mean over the seeds of exactly the runs' numbers; a paired difference is the difference of
        // the means.
        for (Variant v : Variant.values()) {
            List<Run> runs = result.runs().get(v);
            Spread nll = result.spread(v, r -> r.last().testLoss());
            assertThat(nll.values()).containsExactly(runs.get(0).last().testLoss(), runs.get(1).last().testLoss());
            assertThat(nll.mean()).isCloseTo((runs.get(0).last().testLoss() + runs.get(1).last().testLoss()) / 2,
                    within(1e-12));
            assertThat(result.summary()).contains(nll.format(3));
            assertThat(runs.get(0).lowestTestLoss()).isLessThanOrEqualTo(runs.get(0).last().testLoss());
            assertThat(runs.get(0).testLossRise()).isGreaterThanOrEqualTo(0);
        }
        Spread d = result.spread(Variant.TIME_SHARED, r -> r.last().testLoss())
                .minus(result.spread(Variant.NONE, r -> r.last().testLoss()));
        assertThat(result.comparisons()).contains(d.format(3));

        // Files: a CSV line per network, seed and epoch; a Monte Carlo line per dropout network and seed; two plots.
        assertThat(Files.readAllLines(out.resolve("epochs.csv"))).hasSize(1 + 5 * 2 * 2);
        assertThat(Files.readAllLines(out.resolve("monte-carlo.csv"))).hasSize(1 + 4 * 2);
        assertThat(result.plots()).hasSize(2).allSatisfy(p -> assertThat(p).startsWith(out).exists());

        // Audit: no errors; DL4J's per-step dropout on the LSTM is the one warning of the per-step network (the
        // baseline shown; it also gets the INFO that one DL4J Dropout sits on every layer), the library's variants
        // and the network without dropout are clean (a drop rate of 0.2 on the pixels is Srivastava et al.'s input
        // rate, not above it).
        assertThat(result.audits()).containsOnlyKeys(Variant.values());
        result.audits().forEach((v, report) -> {
            assertThat(report.errors()).as(v.label()).isEmpty();
            if (v == Variant.PER_STEP) {
                assertThat(report.atLeast(Severity.WARNING)).as(v.label()).singleElement()
                        .satisfies(f -> assertThat(f.check()).isEqualTo(AuditCheck.PER_STEP_DROPOUT_ON_RECURRENT));
            } else {
                assertThat(report.findings()).as(v.label()).isEmpty();
            }
        });
    }

    @Test
    void rowsBecomeTimeStepsInNcwLayout() {
        INDArray rows = Nd4j.linspace(0, 28 * 28 * 2 - 1, 28 * 28 * 2).reshape(2, 28 * 28);
        DataSet ds = new DataSet(rows, Nd4j.zeros(2, 10));
        RnnDropoutExample.rowsAsTimeSteps().preProcess(ds);
        INDArray seq = ds.getFeatures();
        assertThat(seq.shape()).containsExactly(2, 28, 28);
        // [example, feature = column, time = row]: pixel (row 3, column 5) of example 1
        assertThat(seq.getDouble(1, 5, 3)).isEqualTo(rows.getDouble(1, 3 * 28 + 5));
    }

    @Test
    void severalRowsPerStepAreReadLeftToRightTopToBottom() {
        INDArray rows = Nd4j.linspace(0, 28 * 28 * 2 - 1, 28 * 28 * 2).reshape(2, 28 * 28);
        DataSet ds = new DataSet(rows, Nd4j.zeros(2, 10));
        RnnDropoutExample.rowsAsTimeSteps(4).preProcess(ds);
        INDArray seq = ds.getFeatures();
        assertThat(seq.shape()).containsExactly(2, 112, 7);
        // step 2 reads rows 8 to 11; feature 28 + 5 is row 9, column 5
        assertThat(seq.getDouble(1, 28 + 5, 2)).isEqualTo(rows.getDouble(1, 9 * 28 + 5));
        assertThatThrownBy(() -> RnnDropoutExample.rowsAsTimeSteps(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowsPerStep").hasMessageContaining("3");
    }

    @Test
    void optionsNameTheBadValue() {
        assertThatThrownBy(() -> RnnDropoutExample.Options.parse("--layers", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers").hasMessageContaining("3");
        assertThatThrownBy(() -> RnnDropoutExample.Options.parse("--seeds", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seeds").hasMessageContaining("0");
        assertThat(RnnDropoutExample.Options.parse("--seeds", "4", "--seed", "10").seedList())
                .containsExactly(10L, 11L, 12L, 13L);
    }

    private static double trainLoss(RnnDropoutExample.Result result, Variant v, int seedIndex) {
        List<Epoch> h = result.runs().get(v).get(seedIndex).history();
        return h.get(h.size() - 1).trainLoss();
    }
}
