package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.dropout.InvertedDropout;
import io.github.dl4jdropout.dropout.SpatialChannelDropout;
import io.github.dl4jdropout.dropout.SpatialFormat;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras settings no public file has (GaussianDropout, GaussianNoise, noise_shape, SpatialDropout1D), on real files
 * whose model configuration is edited in memory: the weights are the files'. (The LSTM settings are in
 * {@link VariationalLstmImportTest}.)
 */
class EditedConfigTest {

    private static final String MLP_0_DROPOUT = "\"class_name\": \"Dropout\"";

    private static KerasDropoutImport.Result<ComputationGraph> mlp0(UnaryOperator<String> edit) throws Exception {
        return ImportPipeline.functional(KerasFiles.path(KerasFiles.MLP_0), edit);
    }

    private static IDropout dropoutOf(ComputationGraph graph, String vertex) {
        return ((LayerVertex) graph.getConfiguration().getVertices().get(vertex)).getLayerConf().getLayer()
                .getIDropout();
    }

    @Test
    void gaussianDropoutMultipliesByNoiseOfStddevSqrtRateOverOneMinusRate() throws Exception {
        KerasDropoutImport.Result<ComputationGraph> r = mlp0(json -> KerasFiles.replace(MLP_0_DROPOUT,
                "\"class_name\": \"GaussianDropout\"").andThen(KerasFiles.replace("\"rate\": 0.2", "\"rate\": 0.1"))
                .apply(json));
        assertThat(dropoutOf(r.model(), "dropout")).isEqualTo(new GaussianMultiplicativeDropout(0.1));
        assertThat(r.report()).contains("layer dropout: Keras GaussianDropout(rate=0.1) ->"
                + " GaussianMultiplicativeDropout(0.1), multiplier stddev 0.333333; DL4J's import would have used"
                + " GaussianDropout(0.9): multiplier stddev 3.0 instead of 0.333333");

        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 20_000, 3);
        INDArray clean = r.model().outputSingle(false, x);
        Nd4j.getRandom().setSeed(2);
        INDArray multiplier = r.model().outputSingle(true, x).div(clean);     // sigmoid outputs: never 0
        long n = multiplier.length();
        double sd = Math.sqrt(0.1 / 0.9);
        // Sample mean: standard error sd / sqrt(n) = 0.0024 at n = 120000; 5 standard errors.
        assertThat(multiplier.meanNumber().doubleValue()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(5 * sd / Math.sqrt(n)));
        // Sample standard deviation of a normal: standard error sd / sqrt(2n) = 0.0007; 5 standard errors.
        assertThat(multiplier.stdNumber().doubleValue()).isCloseTo(sd,
                org.assertj.core.data.Offset.offset(5 * sd / Math.sqrt(2.0 * n)));
    }

    @Test
    void gaussianNoiseAddsNoiseOfItsStddev() throws Exception {
        KerasDropoutImport.Result<ComputationGraph> r = mlp0(json -> KerasFiles.replace(MLP_0_DROPOUT,
                "\"class_name\": \"GaussianNoise\"").andThen(KerasFiles.replace("\"rate\": 0.2", "\"stddev\": 0.3"))
                .apply(json));
        assertThat(dropoutOf(r.model(), "dropout")).isEqualTo(new GaussianNoise(0.3));
        assertThat(r.report()).contains("layer dropout: Keras GaussianNoise(stddev=0.3) -> GaussianNoise(0.3)");
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 20_000, 3);
        INDArray clean = r.model().outputSingle(false, x);
        Nd4j.getRandom().setSeed(4);
        INDArray noise = r.model().outputSingle(true, x).sub(clean);
        double se = 0.3 / Math.sqrt(2.0 * noise.length());
        assertThat(noise.stdNumber().doubleValue()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(5 * se));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "[null, 1]; noise_shape=(None, 1) on layer 'dropout' (Dropout) cannot be honoured: it draws one mask"
                    + " value per position of dimensions [0]",
            "[1, null]; noise_shape=(1, None) on layer 'dropout' (Dropout) cannot be honoured: its first entry, 1,"
                    + " shares one mask across all examples",
            "[null, 7]; noise_shape=(None, 7) on layer 'dropout' (Dropout) cannot be honoured: entry 1 is 7 but that"
                    + " dimension has size 6"})
    void noiseShapesWithoutEquivalentAreRefused(String noiseShape, String message) {
        assertThatThrownBy(() -> mlp0(KerasFiles.replace("\"noise_shape\": null",
                "\"noise_shape\": " + noiseShape)))
                .isInstanceOf(UnsupportedKerasDropoutException.class).hasMessageStartingWith(message);
    }

    @Test
    void aNoiseShapeOfFullSizesIsStandardDropout() throws Exception {
        KerasDropoutImport.Result<ComputationGraph> r = mlp0(KerasFiles.replace("\"noise_shape\": null",
                "\"noise_shape\": [null, 6]"));
        assertThat(dropoutOf(r.model(), "dropout")).isEqualTo(new InvertedDropout(0.2));
        assertThat(r.report()).contains("Keras Dropout(rate=0.2, noise_shape=(None, 6)) -> Dropouts.standard(0.2)");
    }

    @Test
    void aKerasSeedIsReportedAsNotReproduced() throws Exception {
        KerasDropoutImport.Result<ComputationGraph> r = mlp0(KerasFiles.replace("\"noise_shape\": null, \"seed\": null",
                "\"noise_shape\": null, \"seed\": 42"));
        assertThat(r.mappings()).filteredOn(m -> m.layerName().equals("dropout")).singleElement()
                .satisfies(m -> assertThat(m.note()).contains("Keras seed=42 is not reproduced; masks come from"
                        + " ND4J's random generator"));
    }

    // ------------------------------------------------------------------------------ sequences (functional LSTM)

    private static final String LSTM_ENTRY = "{\"class_name\": \"LSTM\", \"config\": {\"recurrent_activation\"";
    private static final String LSTM_INBOUND = "\"inbound_nodes\": [[[\"inputLayer_1\", 0, 0, {}]]], \"name\": \"lstm\"}";

    /** Inserts a layer between the input [N, 10, 4] and the LSTM of lstm_functional. */
    static UnaryOperator<String> beforeLstm(String className, String name, String config) {
        String entry = "{\"class_name\": \"" + className + "\", \"config\": {\"name\": \"" + name + "\", " + config
                + "}, \"inbound_nodes\": [[[\"inputLayer_1\", 0, 0, {}]]], \"name\": \"" + name + "\"}, ";
        return json -> KerasFiles.replace(LSTM_ENTRY, entry + LSTM_ENTRY).andThen(KerasFiles.replace(LSTM_INBOUND,
                LSTM_INBOUND.replace("inputLayer_1", name))).apply(json);
    }

    static KerasDropoutImport.Result<ComputationGraph> lstmFunctional(UnaryOperator<String> edit)
            throws Exception {
        return ImportPipeline.functional(KerasFiles.path(KerasFiles.LSTM_FUNCTIONAL), edit);
    }

    /** Asserts that each (example, feature) of a [N, T, F] dropout output is dropped or kept for all T steps. */
    static void assertOneMaskPerSequenceAndFeature(INDArray x, INDArray dropped, double rate) {
        INDArray ratio = dropped.div(x);
        INDArray spread = ratio.max(1).sub(ratio.min(1));       // over time, per (example, feature)
        assertThat(spread.amaxNumber().doubleValue()).isLessThan(1e-5);
        long units = ratio.size(0) * ratio.size(2);
        long zeros = ratio.max(1).lt(0.5 / (1 - rate)).castTo(DataType.INT32).sumNumber().longValue();
        Binomial.assertFraction("(example, feature) pairs dropped", zeros, units, rate);
    }

    @Test
    void aTimeSharedNoiseShapeOnSequencesIsTimeSharedDropout() throws Exception {
        KerasDropoutImport.Result<ComputationGraph> r = lstmFunctional(beforeLstm("Dropout", "seq_dropout",
                "\"trainable\": true, \"rate\": 0.3, \"noise_shape\": [null, 1, null], \"seed\": null"));
        assertThat(dropoutOf(r.model(), "seq_dropout")).isEqualTo(new TimeSharedDropout(0.3, RNNFormat.NWC));
        assertThat(r.report()).contains("layer seq_dropout: Keras Dropout(rate=0.3, noise_shape=(None, 1, None)) ->"
                + " Dropouts.timeShared(0.3, RNNFormat.NWC)");
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3_000, 10, 4).addi(0.5);
        Nd4j.getRandom().setSeed(6);
        assertOneMaskPerSequenceAndFeature(x, r.model().feedForward(x, true).get("seq_dropout"), 0.3);
    }

    @Test
    void spatialDropout1dOnSequencesDropsWholeFeatureChannels() throws Exception {
        KerasDropoutImport.Result<ComputationGraph> r = lstmFunctional(beforeLstm("SpatialDropout1D", "spatial_1d",
                "\"trainable\": true, \"rate\": 0.25, \"noise_shape\": null, \"seed\": null"));
        assertThat(dropoutOf(r.model(), "spatial_1d")).isEqualTo(new SpatialChannelDropout(0.25, SpatialFormat.NWC));
        assertThat(r.report()).contains("Keras SpatialDropout1D(rate=0.25) -> Dropouts.spatial(0.25, RNNFormat.NWC);"
                + " DL4J's import would have used SpatialDropout(0.75), which drops dimension 1: whole time steps");
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3_000, 10, 4).addi(0.5);
        Nd4j.getRandom().setSeed(8);
        assertOneMaskPerSequenceAndFeature(x, r.model().feedForward(x, true).get("spatial_1d"), 0.25);
    }
}
