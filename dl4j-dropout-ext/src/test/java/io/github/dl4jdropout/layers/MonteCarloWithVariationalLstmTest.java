package io.github.dl4jdropout.layers;

import static io.github.dl4jdropout.layers.LstmFixtures.SEED;
import static io.github.dl4jdropout.layers.LstmFixtures.maxAbsDiff;
import static io.github.dl4jdropout.layers.LstmFixtures.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * <p>The evaluator, the audit and {@code Dropouts.checkFormats} read one model of the network's dropout facts, in
 * which a VariationalLSTM with a positive recurrent rate samples (per example, so replicated examples get independent
 * masks) and an NWC VariationalLSTM with input dropout is correct (it runs its own implementation).
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
     * With the recurrent rate 0 and the input rate 0 nothing is random: like any model without noise, the evaluator
     * refuses it (every sample would equal the deterministic output) and the audit reports it.
     */
    @Test
    void bothRatesZeroIsRefusedLikeAnyModelWithoutNoise() {
        MultiLayerNetwork net = classifier(Dropouts.timeShared(0.0), 0.0, RNNFormat.NCW);
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(net).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-zero rate");
        assertThat(DropoutAudit.hasStochasticLayer(net.getLayerWiseConfigurations())).isFalse();
    }

    /** A VariationalLSTM with recurrent dropout and no other regularizer is stochastic, inside wrappers too. */
    @Test
    void samplesRecurrentMasksWithoutAnyInputDropout() {
        McPrediction p = predict(classifier(null, 0.4, RNNFormat.NCW), RNNFormat.NCW);
        assertThat(p.variance().maxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    /**
     * VariationalLSTM computes NWC gradients from the dropped input (gradient-checked), so the NWC-LSTM rule (DL4J's
     * own LSTM ignores the mask there) does not apply: checkFormats, the audit and the evaluator accept it.
     */
    @Test
    void samplesAnNwcLayerWithInputDropout() {
        MultiLayerNetwork net = classifier(Dropouts.timeShared(0.2, RNNFormat.NWC), 0.4, RNNFormat.NWC);
        Dropouts.checkFormats(net.getLayerWiseConfigurations());
        assertThat(DropoutAudit.of(net.getLayerWiseConfigurations()).findings()).isEmpty();
        assertThat(predict(net, RNNFormat.NWC).variance().maxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    /** The audit counts recurrent dropout as stochastic, with the evaluator's definition. */
    @Test
    void auditSeesRecurrentDropoutAsStochastic() {
        MultiLayerConfiguration conf = classifier(null, 0.4, RNNFormat.NCW).getLayerWiseConfigurations();
        assertThat(DropoutAudit.hasStochasticLayer(conf)).isTrue();
        assertThat(DropoutAudit.forMonteCarlo(conf).findings()).isEmpty();
    }
}
