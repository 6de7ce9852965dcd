package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.dropout.TimeSharedDropout;
import io.github.dl4jdropout.layers.VariationalSimpleRnn;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * Keras {@code SimpleRNN(dropout=0.2, recurrent_dropout=0.3)} imported as a {@link VariationalSimpleRnn}, on the real
 * file {@code simple_rnn_recurrent_dropout.h5} (SimpleRNN(50) then Dense(1); DL4J's own import throws on it).
 */
class VariationalSimpleRnnImportTest {

    private static final String NO_RECURRENT_DROPOUT_FROM = "\"recurrent_dropout\": 0.3";
    private static final String NO_RECURRENT_DROPOUT_TO = "\"recurrent_dropout\": 0.0";

    private static MultiLayerNetwork imported() throws Exception {
        return KerasDropoutImport.importSequential(KerasFiles.path(KerasFiles.RNN_RECURRENT_DROPOUT));
    }

    private static VariationalSimpleRnn variational(MultiLayerNetwork net) {
        Layer top = net.getLayerWiseConfigurations().getConf(0).getLayer();
        assertThat(Dl4jLayers.recurrent(top)).isInstanceOf(VariationalSimpleRnn.class);
        return (VariationalSimpleRnn) Dl4jLayers.recurrent(top);
    }

    @Test
    void dl4jsOwnImportRefusesTheFile() {
        assertThatThrownBy(() -> KerasModelImport.importKerasSequentialModelAndWeights(
                KerasFiles.path(KerasFiles.RNN_RECURRENT_DROPOUT), false))
                .hasMessageContaining("Dropout > 0 on recurrent connections not supported");
    }

    @Test
    void recurrentDropoutBecomesAVariationalSimpleRnnWithTheKerasRates() throws Exception {
        KerasDropoutImport.Result<MultiLayerNetwork> r =
                KerasDropoutImport.importSequentialWithReport(KerasFiles.path(KerasFiles.RNN_RECURRENT_DROPOUT));
        VariationalSimpleRnn rnn = variational(r.model());
        assertThat(rnn.getLayerName()).isEqualTo("simple_rnn_1");
        assertThat(rnn.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.3));
        assertThat(rnn.getIDropout()).isEqualTo(new TimeSharedDropout(0.2, RNNFormat.NWC));
        assertThat(rnn.getRnnDataFormat()).isEqualTo(RNNFormat.NWC);
        assertThat(r.model().getLayer(0).paramTable().keySet()).containsExactlyInAnyOrder("W", "RW", "b");
        assertThat(r.mappings()).filteredOn(m -> m.kerasSetting().startsWith("SimpleRNN(")).singleElement()
                .satisfies(m -> assertThat(m.toString()).startsWith("layer simple_rnn_1: Keras SimpleRNN(dropout=0.2,"
                        + " recurrent_dropout=0.3) -> VariationalSimpleRnn(dropOut=Dropouts.timeShared(0.2,"
                        + " RNNFormat.NWC), recurrentDropout=0.3); DL4J's import would have used per-step"
                        + " Dropout(p=0.8), a new mask at every time step and refused recurrent_dropout"));
    }

    /**
     * Inference equals DL4J's own import of the same file with {@code recurrent_dropout} set to 0 (the only way DL4J
     * loads it): same weights, same graph, the masks off.
     */
    @Test
    void inferenceEqualsDl4jsImportWithoutTheRecurrentDropout() throws Exception {
        MultiLayerNetwork ours = imported();
        MultiLayerNetwork dl4j = KerasFiles.dl4jSequential(KerasFiles.RNN_RECURRENT_DROPOUT,
                KerasFiles.replace(NO_RECURRENT_DROPOUT_FROM, NO_RECURRENT_DROPOUT_TO));
        INDArray x = ImportParityTest.input(KerasFiles.RNN_RECURRENT_DROPOUT);
        assertThat(ours.params()).isEqualTo(dl4j.params());
        INDArray expected = dl4j.output(x, false);
        assertThat(ours.output(x, false).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    /**
     * The recurrent mask alone (input dropout edited to 0) makes training-mode passes differ, and the Monte Carlo
     * evaluator reports a positive predictive variance for every example of 9 steps.
     */
    @Test
    void theRecurrentMaskAloneIsLiveInTrainingAndMonteCarlo() throws Exception {
        MultiLayerNetwork net = ImportPipeline.sequential(KerasFiles.path(KerasFiles.RNN_RECURRENT_DROPOUT),
                KerasFiles.replace("\"dropout\": 0.2,", "\"dropout\": 0.0,")).model();
        assertThat(variational(net).getIDropout()).isNull();
        INDArray x = ImportParityTest.input(KerasFiles.RNN_RECURRENT_DROPOUT);
        Nd4j.getRandom().setSeed(1);
        INDArray a = net.output(x, true);
        Nd4j.getRandom().setSeed(2);
        assertThat(net.output(x, true)).isNotEqualTo(a);
        McPrediction p = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION).samples(30).seed(3).build()
                .predict(x);
        assertThat(p.variance().minNumber().doubleValue()).isGreaterThan(0.0);
    }

    @Test
    void roundTripsThroughModelSerializer(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = imported();
        File zip = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, zip, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, true);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(net.getLayerWiseConfigurations());
        assertThat(variational(restored).recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.3));
        INDArray x = ImportParityTest.input(KerasFiles.RNN_RECURRENT_DROPOUT);
        Nd4j.getRandom().setSeed(5);
        INDArray expected = net.output(x, true);
        Nd4j.getRandom().setSeed(5);
        assertThat(restored.output(x, true)).as("same seed, same masks").isEqualTo(expected);
    }
}
