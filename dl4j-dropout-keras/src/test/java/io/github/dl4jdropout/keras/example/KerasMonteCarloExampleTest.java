package io.github.dl4jdropout.keras.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Smoke test of the example with tiny settings, so that it cannot rot. */
class KerasMonteCarloExampleTest {

    @Test
    void runsAndShowsUncertaintyFromTheImportedDropout() throws Exception {
        KerasMonteCarloExample.Options o = new KerasMonteCarloExample.Options();
        o.samples = 60;
        o.points = 3;
        KerasMonteCarloExample.Result r = KerasMonteCarloExample.run(o);
        assertThat(r.mappings).anySatisfy(m -> assertThat(m.mappedTo()).startsWith("Dropouts.timeShared(0.2"));
        assertThat(r.inputs).containsExactly(0.0, 0.5, 1.0);
        assertThat(r.deterministic).hasSize(3);
        // The dropout acts on the LSTM's single input feature: dropping a 0 changes nothing, so that input has no
        // spread. For the others the 60 passes disagree unless all keep the input (0.8^60 = 1.5e-6) or all drop it
        // (0.2^60); the evaluator's fixed seed makes the outcome repeatable.
        assertThat(r.mcStd[0]).isZero();
        assertThat(r.mcStd[1]).isPositive();
        assertThat(r.mcStd[2]).isPositive();
        assertThat(r.table()).contains("MC std").contains("layer lstm_1: Keras LSTM(dropout=0.2)");
    }
}
