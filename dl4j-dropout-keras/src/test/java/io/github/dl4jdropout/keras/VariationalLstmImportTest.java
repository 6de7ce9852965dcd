package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import io.github.dl4jdropout.layers.VariationalLSTM;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * Keras LSTM {@code dropout} and {@code recurrent_dropout} imported as a {@link VariationalLSTM}, on the real file
 * {@code simple_lstm_recurrent_dropout.h5} ({@code LSTM(50, dropout=0.2, recurrent_dropout=0.25, implementation=0)},
 * {@code Dense(1)}) and on {@code lstm_functional_tf_keras_2.h5} with its configuration edited in memory.
 */
class VariationalLstmImportTest {

    private static final String NO_INPUT_DROPOUT_FROM = "\"dropout\": 0.2,";
    private static final String NO_INPUT_DROPOUT_TO = "\"dropout\": 0.0,";

    private static KerasDropoutImport.Result<MultiLayerNetwork> recurrentDropoutFile(UnaryOperator<String> edit)
            throws Exception {
        return ImportPipeline.sequential(KerasFiles.path(KerasFiles.LSTM_RECURRENT_DROPOUT), edit);
    }

    /** The LSTM's dropout line (the layer also has a line for its replaced Orthogonal initializer). */
    private static boolean isLstmLine(LayerMapping m) {
        return m.layerName().equals("lstm_1") && m.kerasSetting().startsWith("LSTM(");
    }

    private static VariationalLSTM variational(Layer top) {
        assertThat(Dl4jLayers.recurrent(top)).isInstanceOf(VariationalLSTM.class);
        return (VariationalLSTM) Dl4jLayers.recurrent(top);
    }

    @Test
    void recurrentDropoutBecomesAVariationalLstmWithTheKerasRates() throws Exception {
        KerasDropoutImport.Result<MultiLayerNetwork> r =
                KerasDropoutImport.importSequentialWithReport(KerasFiles.path(KerasFiles.LSTM_RECURRENT_DROPOUT));
        Layer top = r.model().getLayerWiseConfigurations().getConf(0).getLayer();
        // DL4J's wrapper for return_sequences=False stays; the LSTM inside it is replaced.
        assertThat(top).isInstanceOf(LastTimeStep.class);
        VariationalLSTM lstm = variational(top);
        assertThat(lstm.getLayerName()).isEqualTo("lstm_1");
        assertThat(lstm.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.25));
        assertThat(lstm.getIDropout()).isEqualTo(new TimeSharedDropout(0.2, RNNFormat.NWC));
        assertThat(lstm.getRnnDataFormat()).isEqualTo(RNNFormat.NWC);
        assertThat(r.model().getLayer(0).paramTable().keySet()).containsExactlyInAnyOrder("W", "RW", "b");

        assertThat(r.mappings()).filteredOn(VariationalLstmImportTest::isLstmLine).singleElement().satisfies(m -> {
            assertThat(m.toString()).startsWith("layer lstm_1: Keras LSTM(dropout=0.2, recurrent_dropout=0.25) ->"
                    + " VariationalLSTM(dropOut=Dropouts.timeShared(0.2, RNNFormat.NWC), recurrentDropout=0.25);"
                    + " DL4J's import would have used per-step Dropout(p=0.8), a new mask at every time step, on the"
                    + " input of an NWC LSTM, which computes its gradients from the undropped input and ignored"
                    + " recurrent_dropout");
            // Keras 2.0.6 with implementation=0 draws one mask per gate; reported, not hidden.
            assertThat(m.note()).hasValueSatisfying(n -> assertThat(n).startsWith("Keras implementation=0 draws a"
                    + " separate time-shared input and recurrent mask for each of the four gates; here one input and"
                    + " recurrent mask serves all four"));
        });
    }

    /** Keras' implementation=2 draws one mask of each kind for all gates: exactly the VariationalLSTM, no note. */
    @ParameterizedTest
    @CsvSource({"2, false", "1, true", "0, true"})
    void theGateNoteDependsOnKerasImplementation(int implementation, boolean noted) throws Exception {
        KerasDropoutImport.Result<MultiLayerNetwork> r = recurrentDropoutFile(KerasFiles.replace(
                "\"implementation\": 0", "\"implementation\": " + implementation));
        LayerMapping line = r.mappings().stream().filter(VariationalLstmImportTest::isLstmLine).findFirst()
                .orElseThrow();
        assertThat(line.note().isPresent()).as(line.toString()).isEqualTo(noted);
        if (noted) {
            assertThat(line.note().get()).startsWith("Keras implementation=" + implementation);
        }
        variational(r.model().getLayerWiseConfigurations().getConf(0).getLayer());
    }

    @Test
    void recurrentDropoutAloneIsReportedAsIgnoredByDl4j() throws Exception {
        KerasDropoutImport.Result<MultiLayerNetwork> r = recurrentDropoutFile(
                KerasFiles.replace(NO_INPUT_DROPOUT_FROM, NO_INPUT_DROPOUT_TO));
        VariationalLSTM lstm = variational(r.model().getLayerWiseConfigurations().getConf(0).getLayer());
        assertThat(lstm.getIDropout()).isNull();
        assertThat(lstm.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.25));
        assertThat(r.mappings()).filteredOn(VariationalLstmImportTest::isLstmLine).singleElement()
                .hasToString("layer lstm_1: Keras LSTM(recurrent_dropout=0.25) -> VariationalLSTM(dropOut=none,"
                        + " recurrentDropout=0.25); DL4J's import would have ignored recurrent_dropout (note: Keras"
                        + " implementation=0 draws a separate time-shared recurrent mask for each of the four gates;"
                        + " here one recurrent mask serves all four (as Keras' implementation=2): each gate still sees"
                        + " the same drop rate and one mask per example and sequence, but the gates' noise is"
                        + " correlated)");
    }

    /**
     * The recurrent mask read off exactly: with the LSTM's parameters set so that the forget gate is shut, the input
     * and output gates are open, the input weights are 0 and {@code h(t-1)} unit j feeds only the block input of
     * unit j, every unit's last output is {@code tanh(tanh(b))} if its mask is 0, and one value that depends on the
     * 1/(1 - rate) scale if it is kept at every step. A new mask per step, per minibatch instead of per example, or
     * an unscaled mask gives other values.
     */
    @Test
    void theRecurrentMaskIsOnePerExampleAndSequenceScaledAndOnlyInTraining() throws Exception {
        MultiLayerNetwork net = recurrentDropoutFile(KerasFiles.replace(NO_INPUT_DROPOUT_FROM, NO_INPUT_DROPOUT_TO))
                .model();
        int units = 50;
        double bias = 0.5;
        double coupling = 2.0;
        double rate = 0.25;
        org.deeplearning4j.nn.api.Layer lstm = net.getLayer(0);
        INDArray w = lstm.getParam("W");
        INDArray rw = lstm.getParam("RW");
        INDArray b = lstm.getParam("b");
        w.assign(0);
        rw.assign(0);
        for (int j = 0; j < units; j++) {
            rw.putScalar(j, j, coupling);       // block input (first of DL4J's four blocks) of unit j
        }
        // DL4J's blocks: [block input (tanh), forget, output, input gate] (hard sigmoid gates: 0 and 1 at -+10).
        assertThat(b.length()).isEqualTo(4L * units);
        for (int i = 0; i < 4 * units; i++) {
            b.putScalar(i, i < units ? bias : i < 2 * units ? -10 : 10);
        }

        int examples = 400;
        int steps = 4;
        INDArray x = Nd4j.rand(DataType.FLOAT, examples, steps, 1);
        double dropped = Math.tanh(Math.tanh(bias));
        double kept = dropped;
        double inference = dropped;
        for (int t = 1; t < steps; t++) {
            kept = Math.tanh(Math.tanh(bias + coupling * kept / (1 - rate)));
            inference = Math.tanh(Math.tanh(bias + coupling * inference));
        }
        assertThat(Math.abs(kept - dropped)).isGreaterThan(0.1);

        INDArray clean = net.feedForward(x, false).get(1);
        assertThat(clean.shape()).containsExactly(examples, units);
        assertThat(clean.minNumber().doubleValue()).isCloseTo(inference, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(clean.maxNumber().doubleValue()).isCloseTo(inference, org.assertj.core.data.Offset.offset(1e-5));

        Nd4j.getRandom().setSeed(21);
        float[] h = net.feedForward(x, true).get(1).data().asFloat();
        long zeros = 0;
        for (int i = 0; i < h.length; i++) {
            // FLOAT arithmetic of values of order 1: 1e-5.
            boolean isDropped = Math.abs(h[i] - dropped) < 1e-5;
            boolean isKept = Math.abs(h[i] - kept) < 1e-5;
            assertThat(isDropped || isKept).as("unit %d of example %d: %s is neither %s (mask 0 at every step) nor %s"
                    + " (kept and scaled at every step)", i % units, i / units, h[i], dropped, kept).isTrue();
            if (isDropped) {
                zeros++;
            }
        }
        Binomial.assertFraction("recurrent units dropped", zeros, (long) examples * units, rate);
        // One mask per example: the first example's pattern is not everybody's (0.75^50-ish chance otherwise).
        INDArray pattern = Nd4j.create(h, new long[]{examples, units}, 'c');
        long sameAsFirst = 0;
        for (int n = 0; n < examples; n++) {
            if (pattern.getRow(n).equals(pattern.getRow(0))) {
                sameAsFirst++;
            }
        }
        assertThat(sameAsFirst).isLessThan(examples / 10);

        Nd4j.getRandom().setSeed(22);
        INDArray again = net.feedForward(x, true).get(1);
        assertThat(again).as("a new mask per training-mode pass").isNotEqualTo(pattern);
    }

    /** The recurrent mask is the model's only noise here; the evaluator samples it. */
    @Test
    void monteCarloSamplesTheRecurrentMaskAlone() throws Exception {
        MultiLayerNetwork net = recurrentDropoutFile(KerasFiles.replace(NO_INPUT_DROPOUT_FROM, NO_INPUT_DROPOUT_TO))
                .model();
        assertThat(DropoutAudit.forMonteCarlo(net).errors()).isEmpty();
        INDArray x = ImportParityTest.input(KerasFiles.LSTM_RECURRENT_DROPOUT);      // 9 steps: h(t-1) matters
        McPrediction p = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION).samples(40).seed(5).build()
                .predict(x);
        INDArray variance = p.variance();
        assertThat(variance.length()).isEqualTo(x.size(0));
        // Every example's 40 passes disagree unless the 50-unit mask repeats exactly: the minimum is positive.
        assertThat(variance.minNumber().doubleValue()).isGreaterThan(0.0);
        INDArray deterministic = net.output(x, false);
        assertThat(ImportParityTest.maxAbsDifference(p.deterministic(), deterministic)).isLessThan(1e-6);
    }

    @Test
    void roundTripsThroughModelSerializerWithItsRates(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = KerasDropoutImport.importSequential(KerasFiles.path(KerasFiles.LSTM_RECURRENT_DROPOUT));
        File zip = dir.resolve("vlstm.zip").toFile();
        ModelSerializer.writeModel(net, zip, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, true);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(net.getLayerWiseConfigurations());
        assertThat(restored.params()).isEqualTo(net.params());
        VariationalLSTM lstm = variational(restored.getLayerWiseConfigurations().getConf(0).getLayer());
        assertThat(lstm.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.25));
        assertThat(lstm.getIDropout()).isEqualTo(new TimeSharedDropout(0.2, RNNFormat.NWC));
        INDArray x = ImportParityTest.input(KerasFiles.LSTM_RECURRENT_DROPOUT);
        Nd4j.getRandom().setSeed(6);
        INDArray expected = net.output(x, true);
        Nd4j.getRandom().setSeed(6);
        assertThat(restored.output(x, true)).as("same seed, same masks").isEqualTo(expected);
        assertThat(restored.output(x, false)).isEqualTo(net.output(x, false));
    }

    @Test
    void lstmDropoutInAGraphKeepsDl4jsVerticesAndInference() throws Exception {
        UnaryOperator<String> edit = KerasFiles.replace("\"dropout\": 0.0,", "\"dropout\": 0.2,")
                .andThen(KerasFiles.replace("\"recurrent_dropout\": 0.0,", "\"recurrent_dropout\": 0.3,"))::apply;
        KerasDropoutImport.Result<ComputationGraph> r = EditedConfigTest.lstmFunctional(edit);
        ComputationGraph graph = r.model();
        ComputationGraph dl4j = KerasFiles.dl4jFunctional(KerasFiles.LSTM_FUNCTIONAL, edit);
        assertThat(graph.getConfiguration().getVertices().keySet())
                .containsExactlyElementsOf(dl4j.getConfiguration().getVertices().keySet());
        assertThat(graph.getConfiguration().getVertexInputs()).isEqualTo(dl4j.getConfiguration().getVertexInputs());
        VariationalLSTM lstm = variational(layer(graph, "lstm"));
        assertThat(lstm.getIDropout()).isEqualTo(new TimeSharedDropout(0.2, RNNFormat.NWC));
        assertThat(lstm.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.3));
        ImportParityTest.assertSameLayerButDropout(layer(graph, "lstm"), layer(dl4j, "lstm"), "lstm");
        assertThat(r.report()).contains("layer lstm: Keras LSTM(dropout=0.2, recurrent_dropout=0.3) ->"
                + " VariationalLSTM(dropOut=Dropouts.timeShared(0.2, RNNFormat.NWC), recurrentDropout=0.3)");
        assertThat(graph.params()).isEqualTo(dl4j.params());
        INDArray x = ImportParityTest.input(KerasFiles.LSTM_FUNCTIONAL);
        assertThat(ImportParityTest.maxAbsDifference(graph.outputSingle(x), dl4j.outputSingle(x)))
                .isLessThan(ImportParityTest.PARITY_TOLERANCE);
        Nd4j.getRandom().setSeed(3);
        INDArray a = graph.outputSingle(true, x);
        Nd4j.getRandom().setSeed(4);
        assertThat(graph.outputSingle(true, x)).isNotEqualTo(a);
    }

    /**
     * Keras {@code Masking} before the LSTM: DL4J's import wraps the LSTM in a {@code MaskZeroLayer}, which computes
     * the sequence mask from the undropped input before the {@code VariationalLSTM} drops it. Padded steps stay
     * masked (output 0) in training mode; the real steps are noisy.
     */
    @Test
    void dropoutAfterMaskingIsImportedAndPaddedStepsStayMasked() throws Exception {
        // return_sequences=True: DL4J 1.0.0-M2.1 cannot import Masking before an LSTM that returns the last step only.
        UnaryOperator<String> edit = json -> EditedConfigTest.beforeLstm("Masking", "masking",
                        "\"trainable\": true, \"mask_value\": 0.0")
                .andThen(KerasFiles.replace("\"dropout\": 0.0,", "\"dropout\": 0.2,"))
                .andThen(KerasFiles.replace("\"recurrent_dropout\": 0.0,", "\"recurrent_dropout\": 0.3,"))
                .andThen(KerasFiles.replace("\"return_sequences\": false", "\"return_sequences\": true"))
                .apply(json);
        ComputationGraph graph = EditedConfigTest.lstmFunctional(edit).model();
        ComputationGraph dl4j = KerasFiles.dl4jFunctional(KerasFiles.LSTM_FUNCTIONAL, edit);
        assertThat(layer(graph, "lstm")).isInstanceOf(MaskZeroLayer.class);
        VariationalLSTM lstm = variational(layer(graph, "lstm"));
        assertThat(lstm.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.3));

        // Post-padded: example n has 10 - (n % 4) real steps, then all-zero steps.
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, 10, 4).addi(0.5);
        for (int n = 0; n < 40; n++) {
            int padded = n % 4;
            if (padded > 0) {
                x.get(NDArrayIndex.point(n), NDArrayIndex.interval(10 - padded, 10), NDArrayIndex.all()).assign(0);
            }
        }
        // DL4J 1.0.0-M2.1 imports Keras Masking as MaskZeroLayer(SameDiffLayer), whose activate fails in
        // ComputationGraph.output() (NullPointerException on a workspace, the same for DL4J's own import);
        // feedForward runs it.
        Map<String, INDArray> ours = graph.feedForward(x, false);
        Map<String, INDArray> theirs = dl4j.feedForward(x, false);
        for (String vertex : List.of("lstm", "outputLayer_a")) {
            assertThat(ImportParityTest.maxAbsDifference(ours.get(vertex), theirs.get(vertex))).as(vertex)
                    .isLessThan(ImportParityTest.PARITY_TOLERANCE);
        }
        INDArray clean = ours.get("lstm");
        Nd4j.getRandom().setSeed(9);
        INDArray noisy = graph.feedForward(x, true).get("lstm");       // [40, 10, 8], NWC
        assertThat(noisy.shape()).containsExactly(40, 10, 8);
        for (int n = 0; n < 40; n++) {
            int real = 10 - n % 4;
            if (real < 10) {
                INDArray pad = noisy.get(NDArrayIndex.point(n), NDArrayIndex.interval(real, 10), NDArrayIndex.all());
                assertThat(pad.amaxNumber().doubleValue()).as("example %d padded steps", n).isZero();
            }
        }
        // The first 7 steps are real in every example.
        INDArray realSteps = noisy.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 7), NDArrayIndex.all());
        INDArray cleanReal = clean.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 7), NDArrayIndex.all());
        assertThat(ImportParityTest.maxAbsDifference(realSteps, cleanReal)).as("dropout is live on real steps")
                .isGreaterThan(1e-3);
        assertThat(DropoutAudit.of(graph).errors()).isEmpty();
    }

    private static Layer layer(ComputationGraph graph, String vertex) {
        return ((LayerVertex) graph.getConfiguration().getVertices().get(vertex)).getLayerConf().getLayer();
    }
}
