package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * {@link H5Attributes} reads each attribute exactly: the model configuration is one JSON value with nothing after it
 * (DL4J's {@code Hdf5Archive} returns whatever native memory follows), and the Keras version is not cut at 5 bytes.
 */
class H5AttributesTest {

    @ParameterizedTest
    @ValueSource(strings = {KerasFiles.MLP_0, KerasFiles.ISSUE_9349, KerasFiles.CNN3D_16, KerasFiles.CNN2D_40,
            KerasFiles.SIMPLE_LSTM, KerasFiles.SIMPLE_RNN, KerasFiles.LSTM_FUNCTIONAL})
    void attributesAreReadExactly(String file) throws Exception {
        H5Attributes.ModelAttributes a = H5Attributes.read(KerasFiles.path(file));
        ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        assertThat(strict.readTree(a.modelConfig()).get("class_name").asText()).isIn("Model", "Sequential",
                "Functional");
        assertThat(a.modelConfig()).endsWith("}").doesNotContain("\u0000");
        assertThat(a.kerasVersion()).matches("2\\.\\d+\\.\\d+(-tf)?");
        assertThat(a.backend()).isEqualTo("tensorflow");
        if (file.equals(KerasFiles.MLP_0)) {
            assertThat(a.kerasVersion()).isEqualTo("2.2.4-tf");
        }
    }
}
