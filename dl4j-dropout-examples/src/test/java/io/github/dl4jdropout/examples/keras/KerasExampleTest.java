package io.github.dl4jdropout.examples.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.examples.keras.KerasExample.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: the Keras example end to end with few samples. */
class KerasExampleTest {

    @Test
    void importsAuditsAndShowsUncertaintyFromTheImportedDropout(@TempDir Path out) throws Exception {
        Options options = Options.defaults().with(Options.OUT, out).with(Options.MC_SAMPLES, 60)
                .with(Options.POINTS, 3);

        KerasExample.Result r = KerasExample.run(options);

        assertThat(r.mappings()).anySatisfy(m -> {
            assertThat(m.layerName()).isEqualTo("lstm_1");
            assertThat(m.mappedTo()).startsWith("VariationalLSTM(dropOut=Dropouts.timeShared(0.2, RNNFormat.NWC)");
        });
        assertThat(r.audit().errors()).isEmpty();
        assertThat(r.inputs()).containsExactly(0.0, 0.5, 1.0);
        assertThat(r.deterministic()).hasSize(3);
        // The dropout acts on the LSTM's single input feature: dropping a 0 changes nothing, so that input has no
        // spread. For the others the 60 passes disagree unless all keep the input (0.8^60 = 1.5e-6) or all drop it
        // (0.2^60); the evaluator's fixed seed makes the outcome repeatable.
        assertThat(r.mcStd()[0]).isZero();
        assertThat(r.mcStd()[1]).isPositive();
        assertThat(r.mcStd()[2]).isPositive();
        assertThat(r.table()).contains("MC std");
        assertThat(r.csv()).startsWith(out).exists();
        assertThat(Files.readAllLines(r.csv())).hasSize(4).first().isEqualTo("input,standard,mc_mean,mc_std");
    }

    @Test
    void parsesOptionsAndRejectsBadOnes(@TempDir Path dir) {
        Options o = Options.parse("--mc-samples", "7", "--points=2");
        assertThat(o.mcSamples()).isEqualTo(7);
        assertThat(o.points()).isEqualTo(2);
        assertThat(o.model()).exists().endsWithRaw(Path.of(KerasExample.BUNDLED_MODEL));
        assertThat(o.outputDir()).endsWithRaw(Path.of("dl4j-dropout-results", "keras"));
        assertThatThrownBy(() -> Options.parse("--model", dir.resolve("absent.h5").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent.h5");
        assertThatThrownBy(() -> Options.parse("--mc-samples", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mcSamples");
    }
}
