package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Imported dropout is live: training-mode passes differ (and {@code graph.output(true, x)} runs, which throws for
 * DL4J's own import of a graph ending in a dropout), the Monte Carlo evaluator sees a stochastic model and reports a
 * positive predictive variance, and the dropout audit finds no error.
 */
class MonteCarloAndAuditTest {

    static Model importAny(String file) throws Exception {
        boolean sequential = file.equals(KerasFiles.SIMPLE_RNN) || file.equals(KerasFiles.SIMPLE_LSTM)
                || file.equals(KerasFiles.LSTM_RECURRENT_DROPOUT) || file.equals(KerasFiles.RNN_RECURRENT_DROPOUT);
        return sequential ? KerasDropoutImport.importSequential(KerasFiles.path(file))
                : KerasDropoutImport.importFunctional(KerasFiles.path(file));
    }

    private static INDArray trainingOutput(Model model, INDArray x, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return model instanceof MultiLayerNetwork ? ((MultiLayerNetwork) model).output(x, true)
                : ((ComputationGraph) model).outputSingle(true, x);
    }

    private static MonteCarloEvaluator.Builder mc(Model model) {
        return model instanceof MultiLayerNetwork ? MonteCarloEvaluator.builder((MultiLayerNetwork) model)
                : MonteCarloEvaluator.builder((ComputationGraph) model);
    }

    @ParameterizedTest
    @ValueSource(strings = {KerasFiles.MLP_0, KerasFiles.MLP_12, KerasFiles.ISSUE_9349, KerasFiles.MISC_3,
            KerasFiles.SIMPLE_RNN, KerasFiles.SIMPLE_LSTM, KerasFiles.LSTM_RECURRENT_DROPOUT,
            KerasFiles.RNN_RECURRENT_DROPOUT})
    void dropoutIsLiveInTrainingModeAndInMonteCarloEvaluation(String file) throws Exception {
        Model model = importAny(file);
        INDArray x = ImportParityTest.input(file);
        INDArray a = trainingOutput(model, x, 1);
        INDArray b = trainingOutput(model, x, 2);
        assertThat(a).as("%s: two training-mode passes with different seeds", file).isNotEqualTo(b);

        // issue_9349 ends in softmax (classification is detected); the others are regression outputs.
        MonteCarloEvaluator.Builder builder = mc(model).samples(30).seed(3);
        if (!file.equals(KerasFiles.ISSUE_9349)) {
            builder.task(McTask.REGRESSION);
        }
        McPrediction p = builder.build().predict(x);
        assertThat(p.sampleCount()).isEqualTo(30);
        // Mean predictive variance over all outputs: strictly positive once any unit is dropped in any of 30 passes.
        assertThat(p.variance().meanNumber().doubleValue()).as("%s predictive variance", file).isGreaterThan(0.0);
    }

    @Test
    void dl4jsOwnImportGivesNoUncertaintyAndFailsInTrainingModeOutput() throws Exception {
        ComputationGraph dl4j = KerasModelImport.importKerasModelAndWeights(KerasFiles.path(KerasFiles.MLP_0), false);
        INDArray x = ImportParityTest.input(KerasFiles.MLP_0);
        // The problem this module solves, as seen on DL4J 1.0.0-M2.1: Dropout(rate) imported as Dropout(p=1.0), so
        // every Monte Carlo pass would be the same; the evaluator refuses such a model instead of reporting zero
        // uncertainty ...
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(dl4j).task(McTask.REGRESSION).samples(30).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-zero rate");
        assertThat(DropoutAudit.hasStochasticLayer(dl4j.getConfiguration())).isFalse();
        // ... whose mask allocation fails in graph.output(true, x) when the dropout is the output vertex.
        assertThatThrownBy(() -> dl4j.outputSingle(true, x)).hasMessageContaining("is not open");
    }

    @ParameterizedTest
    @ValueSource(strings = {KerasFiles.MLP_0, KerasFiles.MLP_12, KerasFiles.ISSUE_9349, KerasFiles.MISC_3,
            KerasFiles.CNN3D_16, KerasFiles.LSTM_FUNCTIONAL, KerasFiles.SIMPLE_RNN, KerasFiles.SIMPLE_LSTM,
            KerasFiles.LSTM_RECURRENT_DROPOUT, KerasFiles.RNN_RECURRENT_DROPOUT})
    void auditFindsNoErrorOnAnyImportedModel(String file) throws Exception {
        Model model = importAny(file);
        AuditReport report = model instanceof MultiLayerNetwork ? DropoutAudit.of((MultiLayerNetwork) model)
                : DropoutAudit.of((ComputationGraph) model);
        assertThat(report.errors()).as("%s:%n%s", file, report).isEmpty();
        if (!file.equals(KerasFiles.LSTM_FUNCTIONAL)) {
            AuditReport mcReport = model instanceof MultiLayerNetwork
                    ? DropoutAudit.forMonteCarlo((MultiLayerNetwork) model)
                    : DropoutAudit.forMonteCarlo((ComputationGraph) model);
            assertThat(mcReport.errors()).as("%s:%n%s", file, mcReport).isEmpty();
        }
    }

    @Test
    void aModelWithoutDropoutStaysWithoutDropout() throws Exception {
        ComputationGraph graph = KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.LSTM_FUNCTIONAL));
        // Keras had no dropout here; DL4J's no-op Dropout(p=1.0) was removed, nothing was added.
        assertThat(DropoutAudit.hasStochasticLayer(graph.getConfiguration())).isFalse();
        graph.getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex)
                .flatMap(v -> Dl4jLayers.levels(((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf()
                        .getLayer()).stream())
                .forEach(l -> assertThat(l.getIDropout()).as(l.getLayerName()).isNull());
    }
}
