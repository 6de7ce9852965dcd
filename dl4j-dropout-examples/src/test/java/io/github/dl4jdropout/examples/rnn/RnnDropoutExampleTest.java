package io.github.dl4jdropout.examples.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.audit.AuditCheck;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample.Variant;
import io.github.dl4jdropout.examples.support.CommonOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Smoke test: the RNN example end to end on a few hundred MNIST images, and its row-to-step reshaping. */
class RnnDropoutExampleTest {

    @Test
    void runsAllVariantsWithTinySettings(@TempDir Path out) {
        RnnDropoutExample.Options options = new RnnDropoutExample.Options(
                CommonOptions.of(2, 20, 200, 100, 7, "rnn").withOutputDir(out), 16, 0.25, 5e-3,
                List.of(Variant.values()));

        RnnDropoutExample.Result result = RnnDropoutExample.run(options);

        assertThat(result.histories()).containsOnlyKeys(Variant.values());
        for (Variant v : Variant.values()) {
            assertThat(result.last(v).fitSeconds()).isPositive();
        }
        // Same seed, same data order, same initial weights: only the dropout can make two networks train apart. If a
        // variant's dropout were silently not applied (a wrapper such as LastTimeStep dropping its inner layer's
        // dropout, or weight noise ignored by the LSTM), its training loss would equal the other's to the last bit.
        // Dropping 25% of the inputs moves a 2-epoch loss by far more than 1e-4 nats (measured: 0.05 to 0.19).
        double plain = result.last(Variant.NONE).trainLoss();
        for (Variant v : List.of(Variant.PER_STEP, Variant.TIME_SHARED, Variant.TIME_SHARED_RECURRENT)) {
            assertThat(result.last(v).trainLoss()).as(v.label()).isNotCloseTo(plain, within(1e-4));
        }
        assertThat(result.last(Variant.TIME_SHARED_RECURRENT).trainLoss()).as("recurrent dropout applied")
                .isNotCloseTo(result.last(Variant.TIME_SHARED).trainLoss(), within(1e-4));
        assertThat(result.plots()).allSatisfy(p -> assertThat(p).startsWith(out).exists());

        // Audit: no errors; DL4J's per-step dropout on the second LSTM is flagged (it is the baseline shown), the
        // library's time-shared variants and the network without dropout are clean.
        assertThat(result.audits()).containsOnlyKeys(Variant.values());
        result.audits().forEach((v, report) -> {
            assertThat(report.errors()).as(v.label()).isEmpty();
            if (v == Variant.PER_STEP) {
                assertThat(report.findings()).as(v.label()).singleElement()
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
}
