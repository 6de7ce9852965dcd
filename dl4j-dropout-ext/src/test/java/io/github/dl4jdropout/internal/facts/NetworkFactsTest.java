package io.github.dl4jdropout.internal.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditCheck;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.audit.Finding;
import io.github.dl4jdropout.audit.Severity;
import io.github.dl4jdropout.internal.DataLayout;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The one model of a network's dropout facts, and the three readers that must agree on it: {@code checkFormats}, the
 * audit and the Monte Carlo evaluator.
 */
class NetworkFactsTest {

    private static ConvolutionLayer conv(int nOut, CNN2DFormat format) {
        return new ConvolutionLayer.Builder(3, 3).nOut(nOut).dataFormat(format).activation(Activation.RELU).build();
    }

    private static OutputLayer output(int nIn) {
        return new OutputLayer.Builder(LossFunction.MCXENT).nIn(nIn).nOut(3).activation(Activation.SOFTMAX).build();
    }

    private static MultiLayerConfiguration cnn(CNN2DFormat format, Layer middle) {
        return new NeuralNetConfiguration.Builder().list()
                .layer(conv(4, format)).layer(middle).layer(conv(4, format)).layer(output(0))
                .setInputType(InputType.convolutional(11, 9, 2, format)).build();
    }

    private static MultiLayerConfiguration rnn(Layer middle) {
        return new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(3).nOut(4).build()).layer(middle)
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(3)).build();
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Every reader refuses: checkFormats throws, the audit has an ERROR, the evaluator will not build. */
    private static void refusedEverywhere(MultiLayerConfiguration conf, int layer, String... messageParts) {
        assertThatThrownBy(() -> Dropouts.checkFormats(conf)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer " + layer).hasMessageContainingAll(messageParts);
        List<Finding> errors = DropoutAudit.of(conf).errors();
        assertThat(errors).extracting(f -> f.layerIndex().orElse(-1)).contains(layer);
        MultiLayerNetwork net = init(conf);
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(net).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll(messageParts);
    }

    @Nested
    class FormatOfDropoutLayers {

        @Test
        void spatialChannelsLastBetweenChannelsFirstConvolutions() {
            // Neither DL4J's DropoutLayer nor ours was checked before: training dropped rows instead of channels.
            for (Layer layer : new Layer[]{new DropoutLayer.Builder(Dropouts.spatial(0.5, CNN2DFormat.NHWC)).build(),
                    Dropouts.layer(Dropouts.spatial(0.5, CNN2DFormat.NHWC))}) {
                refusedEverywhere(cnn(CNN2DFormat.NCHW, layer), 1, "NCHW",
                        "Dropouts.layer(Dropouts.spatial(0.5, CNN2DFormat.NCHW))");
            }
            assertThat(NetworkFacts.of(cnn(CNN2DFormat.NCHW, Dropouts.layer(Dropouts.spatial(0.5)))).problems())
                    .isEmpty();
            assertThat(NetworkFacts.of(cnn(CNN2DFormat.NHWC, new DropoutLayer.Builder(
                    Dropouts.spatial(0.5, CNN2DFormat.NHWC)).build())).problems()).isEmpty();
        }

        @Test
        void timeSharedChannelsLastAfterAChannelsFirstLstm() {
            for (Layer layer : new Layer[]{new DropoutLayer.Builder(Dropouts.timeShared(0.3, RNNFormat.NWC)).build(),
                    Dropouts.layer(Dropouts.timeShared(0.3, RNNFormat.NWC))}) {
                refusedEverywhere(rnn(layer), 1, "Dropouts.layer(Dropouts.timeShared(0.3, RNNFormat.NCW))");
            }
            assertThat(NetworkFacts.of(rnn(Dropouts.layer(Dropouts.timeShared(0.3)))).problems()).isEmpty();
        }

        @Test
        void layoutIsFollowedThroughNormalizationAndFoundForNetworkInputs() {
            MultiLayerConfiguration throughBatchNorm = new NeuralNetConfiguration.Builder().list()
                    .layer(conv(4, CNN2DFormat.NHWC))
                    .layer(new BatchNormalization.Builder().build())
                    .layer(new DropoutLayer.Builder(Dropouts.spatial(0.2, CNN2DFormat.NCHW)).build())
                    .layer(conv(4, CNN2DFormat.NHWC)).layer(output(0))
                    .setInputType(InputType.convolutional(11, 9, 2, CNN2DFormat.NHWC)).build();
            NetworkFacts facts = NetworkFacts.of(throughBatchNorm);
            assertThat(facts.node(2).dropoutInputLayout()).isEqualTo(DataLayout.NHWC);
            assertThat(facts.problems()).hasSize(1);

            // A dropout layer on the network input of an LSTM without input type: the LSTM says what it expects.
            MultiLayerConfiguration first = new NeuralNetConfiguration.Builder().list()
                    .layer(new DropoutLayer.Builder(Dropouts.timeShared(0.1, RNNFormat.NWC)).build())
                    .layer(new LSTM.Builder().nIn(3).nOut(4).build())
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).build())
                    .build();
            assertThat(NetworkFacts.of(first).node(0).dropoutInputLayout()).isEqualTo(DataLayout.NCW);
            assertThat(NetworkFacts.of(first).problems()).hasSize(1);
        }

        @Test
        void theProducersConfigurationWinsOverDl4jsMislabelledInputType() {
            // DL4J's Convolution3D reports an NDHWC output type even in NCDHW; the layer's own format is the truth.
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(new Convolution3D.Builder().kernelSize(2, 2, 2).nIn(2).nOut(3)
                            .dataFormat(Convolution3D.DataFormat.NCDHW).build())
                    .layer(Dropouts.layer(Dropouts.spatial(0.3, Convolution3D.DataFormat.NCDHW)))
                    .layer(new Convolution3D.Builder().kernelSize(2, 2, 2).nOut(3)
                            .dataFormat(Convolution3D.DataFormat.NCDHW).build())
                    .layer(output(0))
                    .setInputType(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 4, 4, 4, 2)).build();
            NetworkFacts facts = NetworkFacts.of(conf);
            assertThat(facts.node(1).dropoutInputLayout()).isEqualTo(DataLayout.NCDHW);
            assertThat(facts.problems()).isEmpty();
        }

        @Test
        void graphDropoutLayerIsCheckedAgainstTheVertexFeedingIt() {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                    .addLayer("c1", conv(4, CNN2DFormat.NCHW), "in")
                    .addLayer("drop", new DropoutLayer.Builder(Dropouts.spatial(0.5, CNN2DFormat.NHWC)).build(), "c1")
                    .addLayer("c2", conv(4, CNN2DFormat.NCHW), "drop")
                    .addLayer("out", output(0), "c2").setOutputs("out")
                    .setInputTypes(InputType.convolutional(11, 9, 2)).build();
            assertThatThrownBy(() -> Dropouts.checkFormats(conf)).hasMessageContaining("vertex 'drop'")
                    .hasMessageContaining("CNN2DFormat.NCHW");
            assertThat(DropoutAudit.of(conf).of(AuditCheck.FORMAT_MISMATCH)).hasSize(1);
        }
    }

    @Nested
    class VariantsOnLayersThatCannotTakeThem {

        @Test
        void spatialOrTimeSharedOnADenseLayer() {
            for (IDropout d : new IDropout[]{Dropouts.spatial(0.3), Dropouts.timeShared(0.3)}) {
                MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                        .layer(new DenseLayer.Builder().nIn(5).nOut(4).build())
                        .layer(new DenseLayer.Builder().nIn(4).nOut(4).dropOut(d).build())
                        .layer(output(4)).build();
                refusedEverywhere(conf, 1, "2-D", ".dropOut(Dropouts.standard(0.3))");
            }
        }

        @Test
        void auditAndCheckFormatsReportTheSameProblems() {
            MultiLayerConfiguration conf = cnn(CNN2DFormat.NCHW, Dropouts.layer(Dropouts.timeShared(0.2)));
            NetworkFacts facts = NetworkFacts.of(conf);
            AuditReport report = DropoutAudit.of(conf);
            assertThat(report.of(AuditCheck.FORMAT_MISMATCH)).extracting(Finding::problem)
                    .containsExactlyElementsOf(facts.problems().stream().map(Problem::problem).toList());
            assertThat(report.of(AuditCheck.FORMAT_MISMATCH)).allMatch(f -> f.severity() == Severity.ERROR);
        }
    }

    @Nested
    class OneDefinitionOfStochastic {

        private MultiLayerConfiguration mlp(IDropout dropout, Activation activation) {
            return new NeuralNetConfiguration.Builder().list()
                    .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(activation).build())
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(3)
                            .activation(Activation.SOFTMAX).dropOut(dropout).build())
                    .build();
        }

        @Test
        void dropoutWithRateZeroSamplesNothingForTheAuditAndTheEvaluatorAlike() {
            for (IDropout d : new IDropout[]{Dropouts.standard(0.0), new Dropout(1.0), new GaussianNoise(0.0)}) {
                MultiLayerConfiguration conf = mlp(d, Activation.TANH);
                assertThat(DropoutAudit.hasStochasticLayer(conf)).as("%s", d).isFalse();
                assertThat(DropoutAudit.forMonteCarlo(conf).of(AuditCheck.NO_STOCHASTIC_LAYER)).hasSize(1);
                MultiLayerNetwork net = init(conf);
                assertThatThrownBy(() -> MonteCarloEvaluator.builder(net).build())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-zero rate");
            }
        }

        @Test
        void rreluSamplesForTheAuditAndTheEvaluatorAlike() {
            MultiLayerConfiguration conf = mlp(null, Activation.RRELU);
            assertThat(DropoutAudit.hasStochasticLayer(conf)).isTrue();
            assertThat(DropoutAudit.forMonteCarlo(conf).of(AuditCheck.NO_STOCHASTIC_LAYER)).isEmpty();
            assertThat(MonteCarloEvaluator.builder(init(conf)).build().stochasticLayers()).isNotEmpty();
        }

        @Test
        void aScheduleIsReadAtTheNetworksIteration() {
            ISchedule warmUp = new MapSchedule(ScheduleType.ITERATION, java.util.Map.of(0, 0.0, 10, 0.5));
            MultiLayerConfiguration conf = mlp(Dropouts.standard(warmUp), Activation.TANH);
            assertThat(NetworkFacts.of(conf).hasStochasticLayer()).isFalse();
            conf.setIterationCount(10);
            assertThat(NetworkFacts.of(conf).hasStochasticLayer()).isTrue();
        }

        @Test
        void samplingLooksIntoWrappersAndSkipsWhatNeverSamples() {
            LSTM lstm = new LSTM.Builder().nIn(3).nOut(3).dropOut(new Dropout(0.5)).build();
            assertThat(Sampling.of(new LastTimeStep(lstm), 0, 0).stochastic()).isTrue();
            assertThat(Sampling.of(new TimeDistributed(new DenseLayer.Builder().nIn(3).nOut(3)
                    .dropOut(new Dropout(0.5)).build(), RNNFormat.NCW), 0, 0).stochastic()).isTrue();
            assertThat(Sampling.of(new Bidirectional(new LSTM.Builder().nIn(3).nOut(3).build()), 0, 0).stochastic())
                    .isFalse();
            assertThat(Sampling.of(new Bidirectional(lstm), 0, 0).stochastic()).isTrue();
            assertThat(Sampling.of(new FrozenLayer(new DenseLayer.Builder().nIn(3).nOut(3)
                    .dropOut(new Dropout(0.5)).build()), 0, 0).stochastic()).isFalse();
            assertThat(Sampling.of(new BatchNormalization.Builder().dropOut(new Dropout(0.5)).build(), 0, 0)
                    .stochastic()).isFalse();
            assertThat(Sampling.of(new SubsamplingLayer.Builder().dropOut(Dropouts.standard(0.5)).build(), 0, 0)
                    .stochastic()).as("dropout on a layer that ignores it").isFalse();
            assertThat(Sampling.of(new DenseLayer.Builder().activation(Activation.RRELU).build(), 0, 0).stochastic())
                    .isTrue();
            assertThat(Sampling.of(new DenseLayer.Builder().activation(new ActivationRReLU(0.2, 0.2)).build(), 0, 0)
                    .stochastic()).as("RReLU with l == u is a leaky ReLU").isFalse();
            DenseLayer dropConnect = new DenseLayer.Builder().weightNoise(new DropConnect(0.7)).build();
            assertThat(Sampling.of(dropConnect, 0, 0).stochastic()).isTrue();
            assertThat(Sampling.of(dropConnect, 0, 0).sharedAcrossMinibatch()).isTrue();
            assertThat(Sampling.of(new DenseLayer.Builder().weightNoise(new DropConnect(1.0)).build(), 0, 0)
                    .stochastic()).isFalse();
            assertThat(Sampling.of(new LSTM.Builder().weightNoise(Dropouts.recurrentWeights(0.0)).build(), 0, 0)
                    .stochastic()).isFalse();
        }
    }
}
