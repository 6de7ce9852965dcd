package io.github.dl4jdropout.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.layers.VariationalLSTM;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class DropoutAuditTest {

    // ------------------------------------------------------------------------------------------ building blocks

    private static DenseLayer dense(int nIn, int nOut, IDropout dropout) {
        return new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(Activation.RELU).dropOut(dropout).build();
    }

    private static OutputLayer output(int nIn, IDropout dropout) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(3)
                .activation(Activation.SOFTMAX).dropOut(dropout).build();
    }

    private static ConvolutionLayer conv(int nOut, CNN2DFormat format, IDropout dropout) {
        return new ConvolutionLayer.Builder(3, 3).nOut(nOut).dataFormat(format).activation(Activation.RELU)
                .dropOut(dropout).build();
    }

    private static LSTM lstm(int nIn, int nOut, IDropout dropout) {
        return new LSTM.Builder().nIn(nIn).nOut(nOut).dropOut(dropout).build();
    }

    private static RnnOutputLayer rnnOutput(int nIn, IDropout dropout) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(3)
                .activation(Activation.SOFTMAX).dropOut(dropout).build();
    }

    /** The MLP of Srivastava et al.: drop 0.2 on the input, 0.5 on hidden units (and so on the output layer's input). */
    static MultiLayerConfiguration wellFormedMlp() {
        return new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(dense(20, 32, Dropouts.standard(0.2)))
                .layer(dense(32, 32, Dropouts.standard(0.5)))
                .layer(output(32, Dropouts.standard(0.5)))
                .build();
    }

    static MultiLayerConfiguration wellFormedCnn(CNN2DFormat format) {
        return new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(conv(8, format, null))
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).dataFormat(format).build())
                .layer(conv(16, format, Dropouts.spatial(0.2, format)))
                .layer(dense(0, 32, Dropouts.standard(0.3)))
                .layer(output(32, Dropouts.standard(0.5)))
                .setInputType(InputType.convolutional(12, 12, 1, format))
                .build();
    }

    static MultiLayerConfiguration wellFormedRnn() {
        return new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LSTM.Builder().nIn(10).nOut(16).dropOut(Dropouts.timeShared(0.2))
                        .weightNoise(Dropouts.recurrentWeights(0.25)).build())
                .layer(new LSTM.Builder().nIn(16).nOut(16).dropOut(Dropouts.timeShared(0.3))
                        .weightNoise(Dropouts.recurrentWeights(0.3)).build())
                .layer(rnnOutput(16, Dropouts.standard(0.3)))
                .setInputType(InputType.recurrent(10))
                .build();
    }

    /** Builds a network of the given layers on an input of 20 features. */
    private static MultiLayerConfiguration list(org.deeplearning4j.nn.conf.layers.Layer... layers) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(1).list();
        for (org.deeplearning4j.nn.conf.layers.Layer l : layers) {
            b.layer(l);
        }
        return b.build();
    }

    private static Finding only(AuditReport report, AuditCheck check) {
        List<Finding> found = report.of(check);
        assertThat(found).as("findings of %s in%n%s", check, report).hasSize(1);
        return found.get(0);
    }

    // ------------------------------------------------------------------------------------------- clean configs

    @Nested
    class WellFormedConfigurationsHaveNoFindings {

        @Test
        void mlpWithOurDropout() {
            assertThat(DropoutAudit.of(wellFormedMlp()).findings()).isEmpty();
        }

        @Test
        void mlpWithDl4jDropoutUsedCorrectly() {
            // Retain 0.5 on hidden units, a separate instance per layer, no dropout on the input.
            MultiLayerConfiguration conf = list(dense(20, 32, null), dense(32, 32, new Dropout(0.5)),
                    output(32, new Dropout(0.8)));
            assertThat(DropoutAudit.of(conf).findings()).isEmpty();
        }

        @Test
        void cnnWithSpatialDropoutInTheLayersFormat() {
            assertThat(DropoutAudit.of(wellFormedCnn(CNN2DFormat.NHWC)).findings()).isEmpty();
            assertThat(DropoutAudit.of(wellFormedCnn(CNN2DFormat.NCHW)).findings()).isEmpty();
        }

        @Test
        void cnnWithDl4jSpatialDropoutOnChannelsFirst() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(conv(8, CNN2DFormat.NCHW, null))
                    .layer(conv(8, CNN2DFormat.NCHW, new SpatialDropout(0.8)))
                    .layer(output(0, null))
                    .setInputType(InputType.convolutional(12, 12, 1, CNN2DFormat.NCHW))
                    .build();
            assertThat(DropoutAudit.of(conf).findings()).isEmpty();
        }

        @Test
        void rnnWithTimeSharedAndRecurrentWeightDropout() {
            assertThat(DropoutAudit.of(wellFormedRnn()).findings()).isEmpty();
        }

        @Test
        void graphMlp() {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder()
                    .addInputs("in")
                    .addLayer("d0", dense(20, 32, Dropouts.standard(0.2)), "in")
                    .addLayer("d1", dense(32, 32, Dropouts.standard(0.5)), "d0")
                    .addLayer("out", output(32, Dropouts.standard(0.5)), "d1")
                    .setOutputs("out").build();
            assertThat(DropoutAudit.of(conf).findings()).isEmpty();
        }

        @Test
        void noDropoutAtAll() {
            assertThat(DropoutAudit.of(list(dense(20, 32, null), output(32, null))).findings()).isEmpty();
        }
    }

    // ----------------------------------------------------------------------------------------------- pitfalls

    @Nested
    class EachPitfallIsFound {

        @Test
        void retainProbabilityBelowHalf() {
            AuditReport report = DropoutAudit.of(list(dense(20, 32, null),
                    new DenseLayer.Builder().nIn(32).nOut(32).dropOut(0.1).build(), output(32, null)));
            Finding f = only(report, AuditCheck.RETAIN_PROBABILITY_CONFUSION);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.layerIndex()).hasValue(1);
            assertThat(f.layerName()).hasValue("layer1");
            assertThat(f.problem()).contains("drops 90%");
            assertThat(f.fix()).contains(".dropOut(Dropouts.standard(0.1))").contains("Dropouts.standard(0.9)");
        }

        @Test
        void retainProbabilityAtHalfIsNotFlagged() {
            AuditReport report = DropoutAudit.of(list(dense(20, 32, null), dense(32, 32, new Dropout(0.5)),
                    output(32, null)));
            assertThat(report.of(AuditCheck.RETAIN_PROBABILITY_CONFUSION)).isEmpty();
        }

        @Test
        void hiddenRateOnTheInputIsAWarning() {
            Finding f = only(DropoutAudit.of(list(dense(20, 32, Dropouts.standard(0.5)), output(32, null))),
                    AuditCheck.INPUT_DROPOUT_TOO_HIGH);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.layerIndex()).hasValue(0);
            assertThat(f.fix()).contains(".dropOut(Dropouts.standard(0.2))");
        }

        @Test
        void moderatelyHighRateOnTheInputIsInfo() {
            Finding f = only(DropoutAudit.of(list(dense(20, 32, new Dropout(0.7)), output(32, null))),
                    AuditCheck.INPUT_DROPOUT_TOO_HIGH);
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.problem()).contains("drops 30%");
        }

        @Test
        void inputRateThroughADropoutLayerIsSeen() {
            AuditReport report = DropoutAudit.of(list(new DropoutLayer.Builder(Dropouts.standard(0.5)).build(),
                    dense(20, 32, null), output(32, null)));
            Finding f = only(report, AuditCheck.INPUT_DROPOUT_TOO_HIGH);
            assertThat(f.layerIndex()).hasValue(0);
            assertThat(f.fix()).contains("Dropouts.layer(Dropouts.standard(0.2))");
        }

        @Test
        void sameDropoutOnEveryLayerFromTheGlobalBuilder() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dropOut(0.8).list()
                    .layer(dense(20, 32, null)).layer(dense(32, 32, null)).layer(output(32, null)).build();
            AuditReport report = DropoutAudit.of(conf);
            Finding f = only(report, AuditCheck.DROPOUT_ON_EVERY_LAYER);
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.location()).isEqualTo("network");
            assertThat(f.layerIndex()).isEmpty();
            assertThat(f.fix()).contains("Dropouts.standard(0.0)");
            // The global builder clones its dropout per layer: no shared instance, and 0.2 on the input is fine.
            assertThat(report.findings()).hasSize(1);
        }

        @Test
        void elementWiseDropoutOnFeatureMaps() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(conv(8, CNN2DFormat.NHWC, Dropouts.standard(0.1)))   // raw image: not a feature map
                    .layer(conv(8, CNN2DFormat.NHWC, new Dropout(0.8)))
                    .layer(output(0, null))
                    .setInputType(InputType.convolutional(12, 12, 1, CNN2DFormat.NHWC))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.ELEMENTWISE_DROPOUT_ON_FEATURE_MAPS);
            assertThat(f.layerIndex()).hasValue(1);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.fix()).isEqualTo(".dropOut(Dropouts.spatial(0.2, CNN2DFormat.NHWC))");
        }

        @Test
        void elementWiseDropoutLayerBetweenConvolutions() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(conv(8, CNN2DFormat.NCHW, null))
                    .layer(new DropoutLayer.Builder(Dropouts.standard(0.25)).build())
                    .layer(conv(8, CNN2DFormat.NCHW, null))
                    .layer(output(0, null))
                    .setInputType(InputType.convolutional(12, 12, 1))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.ELEMENTWISE_DROPOUT_ON_FEATURE_MAPS);
            assertThat(f.layerIndex()).hasValue(1);
            assertThat(f.fix()).isEqualTo("Dropouts.layer(Dropouts.spatial(0.25, CNN2DFormat.NCHW))");
        }

        @Test
        void dl4jSpatialDropoutOnChannelsLast() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(conv(8, CNN2DFormat.NHWC, null))
                    .layer(conv(8, CNN2DFormat.NHWC, new SpatialDropout(0.8)))
                    .layer(output(0, null))
                    .setInputType(InputType.convolutional(12, 12, 1, CNN2DFormat.NHWC))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.DL4J_SPATIAL_DROPOUT_CHANNELS_LAST);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.layerIndex()).hasValue(1);
            assertThat(f.problem()).contains("rows");
            assertThat(f.fix()).isEqualTo(".dropOut(Dropouts.spatial(0.2, CNN2DFormat.NHWC))");
        }

        @Test
        void freshMaskAtEveryTimeStep() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(lstm(10, 16, null))
                    .layer(lstm(16, 16, new Dropout(0.75)))
                    .layer(rnnOutput(16, null))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.PER_STEP_DROPOUT_ON_RECURRENT);
            assertThat(f.layerIndex()).hasValue(1);
            assertThat(f.fix()).startsWith(".dropOut(Dropouts.timeShared(0.25, RNNFormat.NCW))")
                    .contains(".weightNoise(Dropouts.recurrentWeights(0.25))")
                    .contains("new VariationalLSTM.Builder()...dropOut(Dropouts.timeShared(0.25)).recurrentDropout(0.25)");
        }

        @Test
        void variationalLstmGetsItsOwnRecurrentDropoutSuggestedNotRecurrentWeights() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(lstm(10, 16, null))
                    .layer(new VariationalLSTM.Builder().nIn(16).nOut(16).dropOut(Dropouts.standard(0.25)).build())
                    .layer(rnnOutput(16, null))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.PER_STEP_DROPOUT_ON_RECURRENT);
            assertThat(f.fix()).startsWith(".dropOut(Dropouts.timeShared(0.25, RNNFormat.NCW))")
                    .contains(".recurrentDropout(0.25)").doesNotContain("recurrentWeights");
        }

        @Test
        void perStepDropoutOnASimpleRnnSuggestsTheVariationalSimpleRnn() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder().nIn(10).nOut(16)
                            .dropOut(new Dropout(0.75)).build())
                    .layer(rnnOutput(16, null))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.PER_STEP_DROPOUT_ON_RECURRENT);
            assertThat(f.fix()).startsWith(".dropOut(Dropouts.timeShared(0.25, RNNFormat.NCW))")
                    .contains("new VariationalSimpleRnn.Builder()...dropOut(Dropouts.timeShared(0.25))"
                            + ".recurrentDropout(0.25)");
        }

        @Test
        void variationalSimpleRnnGetsItsOwnRecurrentDropoutSuggested() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(new io.github.dl4jdropout.layers.VariationalSimpleRnn.Builder().nIn(10).nOut(16)
                            .dropOut(Dropouts.standard(0.25)).build())
                    .layer(rnnOutput(16, null))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.PER_STEP_DROPOUT_ON_RECURRENT);
            assertThat(f.fix()).contains(".recurrentDropout(0.25)").doesNotContain("recurrentWeights")
                    .doesNotContain("replace the");
        }

        @Test
        void recurrentWeightDropoutOnAVariationalLstmIsAnError() {
            // The builder refuses the pair; a global weight noise reaches the layer anyway, and init would fail.
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                    .weightNoise(Dropouts.recurrentWeights(0.2)).list()
                    .layer(new VariationalLSTM.Builder().nIn(10).nOut(16).recurrentDropout(0.2).build())
                    .layer(rnnOutput(16, null))
                    .build();
            // Two findings: the VariationalLSTM, and the output layer, which has no recurrent connections at all.
            Finding f = DropoutAudit.of(conf).of(AuditCheck.FORMAT_MISMATCH).stream()
                    .filter(x -> x.layerIndex().orElse(-1) == 0).findFirst().orElseThrow();
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.fix()).contains(".recurrentDropout(rate)");
            assertThatThrownBy(() -> Dropouts.checkFormats(conf)).hasMessageContaining("runs its own implementation");
        }

        @Test
        void freshMaskInsideABidirectionalWrapper() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(lstm(10, 16, null))
                    .layer(new Bidirectional(lstm(16, 16, Dropouts.standard(0.3))))
                    .layer(rnnOutput(32, null))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.PER_STEP_DROPOUT_ON_RECURRENT);
            assertThat(f.location()).isEqualTo("layer 1 (Bidirectional)");
            assertThat(f.fix()).contains("Dropouts.timeShared(0.3, RNNFormat.NCW)");
        }

        @Test
        void dropoutLayerRightBeforeBatchNormalization() {
            AuditReport report = DropoutAudit.of(list(dense(20, 32, null),
                    new DropoutLayer.Builder(Dropouts.standard(0.5)).build(),
                    new BatchNormalization.Builder().nIn(32).nOut(32).build(), output(32, null)));
            Finding f = only(report, AuditCheck.DROPOUT_BEFORE_BATCH_NORM);
            assertThat(f.layerIndex()).hasValue(1);
            assertThat(f.problem()).contains("layer 2 (BatchNormalization)");
            assertThat(f.why()).contains("Li, Chen, Hu and Yang (2019");
        }

        @Test
        void dropoutOnTheBatchNormalizationLayerItselfIsIgnoredByDl4j() {
            AuditReport report = DropoutAudit.of(list(dense(20, 32, null),
                    new BatchNormalization.Builder().nIn(32).nOut(32).dropOut(Dropouts.standard(0.5)).build(),
                    output(32, null)));
            Finding f = only(report, AuditCheck.DROPOUT_IGNORED);
            assertThat(f.layerIndex()).hasValue(1);
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(report.of(AuditCheck.DROPOUT_BEFORE_BATCH_NORM)).isEmpty();
        }

        @Test
        void oneDl4jDropoutInstanceOnTwoLayers() {
            Dropout shared = new Dropout(0.5);
            AuditReport report = DropoutAudit.of(list(dense(20, 32, null), dense(32, 32, shared),
                    output(32, shared)));
            Finding f = only(report, AuditCheck.SHARED_STATEFUL_DROPOUT);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.layerIndex()).hasValue(2);
            assertThat(f.problem()).contains("layer 1 (DenseLayer)");
            assertThat(f.fix()).contains(".dropOut(Dropouts.standard(0.5))");
        }

        @Test
        void oneOfOurInstancesOnTwoLayersIsSafe() {
            IDropout shared = Dropouts.standard(0.5);
            assertThat(DropoutAudit.of(list(dense(20, 32, null), dense(32, 32, shared), output(32, shared)))
                    .findings()).isEmpty();
        }

        @Test
        void formatMismatchOfOurVariant() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(new SimpleRnn.Builder().nIn(10).nOut(16).dataFormat(RNNFormat.NWC).build())
                    .layer(new SimpleRnn.Builder().nIn(16).nOut(16).dataFormat(RNNFormat.NWC)
                            .dropOut(Dropouts.timeShared(0.2, RNNFormat.NCW)).build())
                    .layer(rnnOutput(16, null))
                    .build();
            Finding f = only(DropoutAudit.of(conf), AuditCheck.FORMAT_MISMATCH);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.layerIndex()).hasValue(1);
            assertThat(f.fix()).isEqualTo(".dropOut(Dropouts.timeShared(0.2, RNNFormat.NWC))");
        }

        @Test
        void graphFindingsNameTheVertex() {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder()
                    .addInputs("in")
                    .addLayer("d0", dense(20, 32, Dropouts.standard(0.5)), "in")
                    .addLayer("drop", new DropoutLayer.Builder(Dropouts.standard(0.3)).build(), "d0")
                    .addLayer("bn", new BatchNormalization.Builder().nIn(32).nOut(32).build(), "drop")
                    .addLayer("out", output(32, null), "bn")
                    .setOutputs("out").build();
            AuditReport report = DropoutAudit.of(conf);
            Finding input = only(report, AuditCheck.INPUT_DROPOUT_TOO_HIGH);
            assertThat(input.layerName()).hasValue("d0");
            assertThat(input.layerIndex()).isEmpty();
            assertThat(input.location()).isEqualTo("vertex 'd0' (DenseLayer)");
            assertThat(only(report, AuditCheck.DROPOUT_BEFORE_BATCH_NORM).layerName()).hasValue("drop");
        }
    }

    // ------------------------------------------------------------------------------------------- Monte Carlo

    @Nested
    class MonteCarlo {

        @Test
        void networkWithoutStochasticLayerIsAnError() {
            MultiLayerConfiguration conf = list(dense(20, 32, null), output(32, null));
            assertThat(DropoutAudit.hasStochasticLayer(conf)).isFalse();
            Finding f = only(DropoutAudit.forMonteCarlo(conf), AuditCheck.NO_STOCHASTIC_LAYER);
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(DropoutAudit.of(conf).of(AuditCheck.NO_STOCHASTIC_LAYER)).isEmpty();
        }

        @Test
        void ignoredOrZeroRateDropoutIsNotStochastic() {
            MultiLayerConfiguration conf = list(dense(20, 32, Dropouts.standard(0.0)),
                    new BatchNormalization.Builder().nIn(32).nOut(32).dropOut(new Dropout(0.5)).build(),
                    output(32, null));
            assertThat(DropoutAudit.hasStochasticLayer(conf)).isFalse();
        }

        @Test
        void dropoutOrWeightNoiseIsStochastic() {
            assertThat(DropoutAudit.hasStochasticLayer(wellFormedMlp())).isTrue();
            assertThat(DropoutAudit.forMonteCarlo(wellFormedMlp()).findings()).isEmpty();
            MultiLayerConfiguration weightNoiseOnly = list(new LSTM.Builder().nIn(10).nOut(8)
                    .weightNoise(Dropouts.recurrentWeights(0.2)).build(), rnnOutput(8, null));
            assertThat(DropoutAudit.hasStochasticLayer(weightNoiseOnly)).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------- the report

    @Nested
    class Report {

        @Test
        void emptyReportSaysSo() {
            AuditReport report = DropoutAudit.of(wellFormedMlp());
            assertThat(report.isEmpty()).isTrue();
            assertThat(report).hasToString("Dropout audit: no findings");
            assertThat(report.requireNoErrors()).isSameAs(report);
        }

        @Test
        void reportListsFindingsMostSevereFirst() {
            Dropout shared = new Dropout(0.3);
            AuditReport report = DropoutAudit.of(list(dense(20, 32, null), dense(32, 32, shared),
                    output(32, shared)));
            List<Finding> findings = report.findings();
            assertThat(findings).extracting(Finding::severity).isSortedAccordingTo(Enum::compareTo);
            assertThat(findings.get(0).check()).isEqualTo(AuditCheck.SHARED_STATEFUL_DROPOUT);
            assertThat(report.errors()).hasSize(1);
            assertThat(report.atLeast(Severity.WARNING)).hasSize(3);   // the error and two retain-probability warnings
            assertThat(report.toString())
                    .startsWith("Dropout audit: 1 error, 2 warnings, 0 infos")
                    .contains("SHARED_STATEFUL_DROPOUT", "layer 2 (OutputLayer)", "fix:");
            assertThatThrownBy(report::requireNoErrors).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SHARED_STATEFUL_DROPOUT");
        }

        @Test
        void builtNetworksAreAuditedThroughTheirConfiguration() {
            MultiLayerConfiguration conf = list(dense(20, 32, Dropouts.standard(0.6)), output(32, null));
            assertThat(DropoutAudit.of(new MultiLayerNetwork(conf))).isEqualTo(DropoutAudit.of(conf))
                    .matches(r -> !r.isEmpty());
            ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().graphBuilder()
                    .addInputs("in")
                    .addLayer("d0", dense(20, 32, Dropouts.standard(0.6)), "in")
                    .addLayer("out", output(32, null), "d0")
                    .setOutputs("out").build();
            assertThat(DropoutAudit.of(new ComputationGraph(graph)).of(AuditCheck.INPUT_DROPOUT_TOO_HIGH))
                    .hasSize(1);
            assertThat(DropoutAudit.forMonteCarlo(new ComputationGraph(graph)).findings())
                    .extracting(Finding::check).doesNotContain(AuditCheck.NO_STOCHASTIC_LAYER);
        }

        @Test
        void nullArgumentsAreRejectedByName() {
            assertThatThrownBy(() -> DropoutAudit.of((MultiLayerConfiguration) null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conf");
            assertThatThrownBy(() -> DropoutAudit.of((ComputationGraph) null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network");
            assertThatThrownBy(() -> DropoutAudit.of(wellFormedMlp()).atLeast(null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("severity");
        }
    }
}
