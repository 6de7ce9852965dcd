package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the import refuses, and how: a setting it cannot reproduce names the layer and the Keras setting; a file DL4J
 * cannot load says so; nothing crashes the JVM and nothing is imported with a silently different dropout.
 */
class RefusalTest {

    @Test
    void anInvalidRecurrentDropoutRateIsRefusedWithTheValue() {
        assertThatThrownBy(() -> ImportPipeline.sequential(KerasFiles.path(KerasFiles.LSTM_RECURRENT_DROPOUT),
                KerasFiles.replace("\"recurrent_dropout\": 0.25", "\"recurrent_dropout\": 1.0")))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessage("recurrent_dropout=1.0 on layer 'lstm_1' (LSTM) cannot be honoured: a drop rate must be"
                        + " in [0, 1)");
    }

    @Test
    void aFileDl4jCannotLoadIsRefusedNamingDl4jAndTheLayer() {
        assertThatThrownBy(() -> KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.CNN2D_40)))
                .isInstanceOf(UnsupportedKerasConfigurationException.class)
                .isNotInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessageContaining("DL4J 1.0.0-M2.1's Keras import cannot load cnn2d_40.h5")
                .hasMessageContaining("KerasDepthwiseConvolution2D")
                .hasMessageContaining("DepthwiseConv2D layer 'depthwise_conv2d_4' takes the model input directly")
                .hasRootCauseInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void theWrongKindOfModelFailsAsInDl4jsImport() {
        assertThatThrownBy(() -> KerasDropoutImport.importSequential(KerasFiles.path(KerasFiles.MLP_0)))
                .isInstanceOf(InvalidKerasConfigurationException.class).hasMessageContaining("Sequential");
        assertThatThrownBy(() -> KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.SIMPLE_RNN)))
                .isInstanceOf(InvalidKerasConfigurationException.class);
    }

    @Test
    void missingUnreadableAndNullPathsAreRefused(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> KerasDropoutImport.importFunctional(dir.resolve("absent.h5").toString()))
                .isInstanceOf(FileNotFoundException.class).hasMessageContaining("absent.h5");
        Path text = Files.writeString(dir.resolve("not-hdf5.h5"), "not an HDF5 file");
        assertThatThrownBy(() -> KerasDropoutImport.importFunctional(text.toString()))
                .isInstanceOf(IOException.class).hasMessageStartingWith("Not an HDF5 file")
                .hasMessageContaining("not-hdf5.h5");
        assertThatThrownBy(() -> KerasDropoutImport.importFunctional(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h5Path");
        assertThatThrownBy(() -> KerasDropoutImport.importSequentialWithReport(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got null");
    }

    @Test
    void dropoutInsideAWrapperIsRefusedOnTheKerasConfigurationAlone() throws IOException {
        String bidirectional = "{\"class_name\": \"Model\", \"config\": {\"layers\": ["
                + "{\"class_name\": \"Bidirectional\", \"name\": \"bi\", \"config\": {\"name\": \"bi\","
                + " \"merge_mode\": \"concat\", \"layer\": {\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\","
                + " \"units\": 4, \"dropout\": 0.1, \"recurrent_dropout\": 0.0}}}, \"inbound_nodes\": []}]}}";
        assertThatThrownBy(() -> ImportPipeline.precheck(KerasModelConfig.parse(bidirectional, "2.2.4")))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessageStartingWith("dropout=0.1 on layer 'bi' (Bidirectional(LSTM)) is not supported yet");
        String timeDistributed = "{\"class_name\": \"Model\", \"config\": {\"layers\": ["
                + "{\"class_name\": \"TimeDistributed\", \"config\": {\"name\": \"td\", \"layer\": {\"class_name\":"
                + " \"Dropout\", \"config\": {\"name\": \"d\", \"rate\": 0.5}}}, \"inbound_nodes\": []}]}}";
        assertThatThrownBy(() -> ImportPipeline.precheck(KerasModelConfig.parse(timeDistributed, "2.2.4")))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessageStartingWith("Dropout inside TimeDistributed on layer 'td'");
    }

    @Test
    void invalidRatesAreRefusedWithTheValue() {
        assertThatThrownBy(() -> ImportPipeline.functional(KerasFiles.path(KerasFiles.MLP_0),
                KerasFiles.replace("\"rate\": 0.2", "\"rate\": 1.0")))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessage("rate=1.0 on layer 'dropout' (Dropout) cannot be honoured: a drop rate must be in [0, 1)");
        assertThatThrownBy(() -> ImportPipeline.functional(KerasFiles.path(KerasFiles.MLP_0),
                KerasFiles.replace("\"rate\": 0.2", "\"rate\": \"high\"")))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessageStartingWith("rate=high on layer 'dropout' (Dropout) cannot be read");
    }
}
