package io.github.dl4jdropout.layers;

import static io.github.dl4jdropout.layers.LstmFixtures.SEED;
import static io.github.dl4jdropout.layers.LstmFixtures.maxAbsDiff;
import static io.github.dl4jdropout.layers.LstmFixtures.sequences;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The Monte Carlo evaluator samples VariationalLSTM's recurrent masks: it runs stochastic layers in training mode on
 * a minibatch replicated along dimension 0, and every replica gets its own per-example mask.
 *
 * <p>The evaluator decides which layers are stochastic from their {@code IDropout}, weight noise and activation, not
 * yet from {@link VariationalLSTM#hasRecurrentDropout()}. The tests that pass today give the layer an input dropout of
 * rate 0 ({@code Dropouts.timeShared(0.0)}: no noise, but the layer counts as stochastic), so the only noise is the
 * recurrent mask. The tests marked {@code INTEGRATION} are the target behaviour once the evaluator's, the audit's and
 * {@code Dropouts.checkFormats}'s detection know this layer; each says what the detection must check.
 */
class MonteCarloWithVariationalLstmTest {

    private static MultiLayerNetwork classifier(IDropout inputDropout, double recurrentDropRate, RNNFormat format) {
        VariationalLSTM.Builder lstm = new VariationalLSTM.Builder().nIn(3).nOut(8).activation(Activation.TANH)
                .dataFormat(format).recurrentDropout(recurrentDropRate);
        if (inputDropout != null) {
            lstm.dropOut(inputDropout);
        }
        MultiLayerConfiguration conf = LstmFixtures.base(DataType.FLOAT, WorkspaceMode.ENABLED).list()
                .layer(lstm.build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(3).dataFormat(format)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static McPrediction predict(MultiLayerNetwork net, RNNFormat format) {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(format, DataType.FLOAT, 6, 3, 7);
        return MonteCarloEvaluator.builder(net).samples(30).seed(5).build().predict(x);
    }

    /** Only the recurrent masks vary between samples (the input dropout has rate 0): the variance is > 0. */
    @Test
    void samplesTheRecurrentMasks() {
        McPrediction p = predict(classifier(Dropouts.timeShared(0.0), 0.4, RNNFormat.NCW), RNNFormat.NCW);
        assertThat(p.sampleCount()).isEqualTo(30);
        assertThat(p.variance().maxNumber().doubleValue()).isGreaterThan(1e-4);
        assertThat(p.mutualInformation().maxNumber().doubleValue()).isGreaterThan(0.0);
    }

    /**
     * With the recurrent rate 0 and the input rate 0 nothing is random: the predictive variance is 0 (up to 1e-12:
     * the evaluator accumulates sums of squares in double, seen 2.2e-16) and the Monte Carlo mean is the
     * deterministic output (1e-6: FLOAT averaging of 30 equal values).
     */
    @Test
    void rateZeroGivesZeroPredictiveVariance() {
        MultiLayerNetwork net = classifier(Dropouts.timeShared(0.0), 0.0, RNNFormat.NCW);
        McPrediction p = predict(net, RNNFormat.NCW);
        assertThat(p.variance().maxNumber().doubleValue()).isLessThan(1e-12);
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 6, 3, 7);
        assertThat(maxAbsDiff(p.mean(), net.output(x))).isLessThan(1e-6);
    }

    /**
     * INTEGRATION: a VariationalLSTM with recurrent dropout and no other regularizer is stochastic. Today the
     * evaluator's builder throws "model must have a stochastic regularizer": {@code montecarlo.Regularizers.of(Layer)}
     * must also count {@code conf instanceof VariationalLSTM && ((VariationalLSTM) conf).hasRecurrentDropout()} as
     * stochastic (per-example masks: not {@code sharedAcrossMinibatch}), inside wrappers as it already does.
     */
    @Test
    @Disabled("INTEGRATION: montecarlo.Regularizers.of must count VariationalLSTM.hasRecurrentDropout() as stochastic")
    void samplesRecurrentMasksWithoutAnyInputDropout() {
        McPrediction p = predict(classifier(null, 0.4, RNNFormat.NCW), RNNFormat.NCW);
        assertThat(p.variance().maxNumber().doubleValue()).isGreaterThan(1e-4);
        McPrediction none = predict(classifier(Dropouts.timeShared(0.0), 0.0, RNNFormat.NCW), RNNFormat.NCW);
        assertThat(none.variance().maxNumber().doubleValue()).isLessThan(1e-12);
    }

    /**
     * INTEGRATION: VariationalLSTM computes NWC gradients from the dropped input (gradient-checked), so the NWC-LSTM
     * rule of {@code internal.FormatCheck} (and through it {@code Dropouts.checkFormats}, the evaluator's builder and
     * the audit's FORMAT_MISMATCH) must skip it: the condition {@code layer instanceof conf.layers.LSTM} needs
     * {@code && !(layer instanceof VariationalLSTM)}. Today the evaluator refuses this model.
     */
    @Test
    @Disabled("INTEGRATION: internal.FormatCheck must not flag VariationalLSTM in NWC with input dropout")
    void samplesAnNwcLayerWithInputDropout() {
        MultiLayerNetwork net = classifier(Dropouts.timeShared(0.2, RNNFormat.NWC), 0.4, RNNFormat.NWC);
        Dropouts.checkFormats(net.getLayerWiseConfigurations());
        assertThat(DropoutAudit.of(net.getLayerWiseConfigurations()).findings()).isEmpty();
        assertThat(predict(net, RNNFormat.NWC).variance().maxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    /**
     * INTEGRATION: the audit's {@code Auditor.hasStochasticLayer} (behind {@code DropoutAudit.hasStochasticLayer} and
     * NO_STOCHASTIC_LAYER) must count {@code VariationalLSTM.hasRecurrentDropout()} like an IDropout.
     */
    @Test
    @Disabled("INTEGRATION: audit.Auditor.hasStochasticLayer must count VariationalLSTM.hasRecurrentDropout()")
    void auditSeesRecurrentDropoutAsStochastic() {
        MultiLayerConfiguration conf = classifier(null, 0.4, RNNFormat.NCW).getLayerWiseConfigurations();
        assertThat(DropoutAudit.hasStochasticLayer(conf)).isTrue();
        assertThat(DropoutAudit.forMonteCarlo(conf).findings()).isEmpty();
    }
}
