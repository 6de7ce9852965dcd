package io.github.dl4jdropout.dropout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.Dropouts;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** What the recurrent-weight dropout does to each parameter, in training and at inference. */
class RecurrentWeightDropoutTest {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private static Layer recurrentLayer(org.deeplearning4j.nn.conf.layers.Layer conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).list()
                .layer(conf)
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(200).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net.getLayer(0);
    }

    @Test
    void dropsWholeRowsOfTheLstmRecurrentWeightsAndNothingElse() {
        double rate = 0.25;
        IWeightNoise noise = Dropouts.recurrentWeights(rate);
        Layer layer = recurrentLayer(new LSTM.Builder().nIn(5).nOut(200).weightNoise(noise).build());
        INDArray rw = layer.getParam("RW");
        Nd4j.getRandom().setSeed(11);
        INDArray noisy = noise.getParameter(layer, "RW", 0, 0, true, NO_WS);
        // Ratio per row: 0 for dropped rows, 1 / (1 - rate) for kept ones, the same in all 800 columns.
        INDArray ratio = noisy.div(rw);
        INDArray rowMax = ratio.max(1);
        assertThat(ratio.min(1)).isEqualTo(rowMax);
        double dropped = rowMax.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        // 200 Bernoulli(0.25) rows: 5 sigma = 5 * sqrt(0.25 * 0.75 / 200) = 0.153.
        assertThat(dropped).isCloseTo(rate, within(0.153));
        assertThat(rowMax.maxNumber().doubleValue()).isCloseTo(1 / (1 - rate), within(1e-12));

        assertThat(noise.getParameter(layer, "W", 0, 0, true, NO_WS)).isSameAs(layer.getParam("W"));
        assertThat(noise.getParameter(layer, "b", 0, 0, true, NO_WS)).isSameAs(layer.getParam("b"));
        assertThat(noise.getParameter(layer, "RW", 0, 0, false, NO_WS)).isSameAs(rw);
        assertThat(rw).isEqualTo(layer.getParam("RW"));
    }

    @Test
    void leavesGravesLstmPeepholeWeightsUntouched() {
        IWeightNoise noise = Dropouts.recurrentWeights(0.5);
        Layer layer = recurrentLayer(new GravesLSTM.Builder().nIn(5).nOut(200).weightNoise(noise).build());
        INDArray rw = layer.getParam("RW");
        assertThat(rw.size(1)).isEqualTo(4 * 200 + 3);
        Nd4j.getRandom().setSeed(12);
        INDArray noisy = noise.getParameter(layer, "RW", 0, 0, true, NO_WS);
        INDArray peepholes = noisy.get(NDArrayIndex.all(), NDArrayIndex.interval(800, 803));
        assertThat(peepholes).isEqualTo(rw.get(NDArrayIndex.all(), NDArrayIndex.interval(800, 803)));
        assertThat(noisy.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 800)).eq(0.0).castTo(DataType.DOUBLE)
                .sumNumber().doubleValue()).isGreaterThan(0.0);
    }

    @Test
    void inferenceUsesTheFullWeights() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LSTM.Builder().nIn(3).nOut(6).weightNoise(Dropouts.recurrentWeights(0.5)).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        MultiLayerNetwork plain = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LSTM.Builder().nIn(3).nOut(6).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(6).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .build());
        plain.init();
        plain.setParams(net.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 5);
        assertThat(net.output(x)).isEqualTo(plain.output(x));
        Nd4j.getRandom().setSeed(3);
        assertThat(net.output(x, true)).isNotEqualTo(plain.output(x));
    }

    @Test
    void aScheduledRateIsValidatedReadPerIterationAndSharedWithTheOtherVariants() throws Exception {
        ISchedule warmUp = new MapSchedule(
                ScheduleType.ITERATION, Map.of(0, 0.0, 5, 0.3, 9, 1.5));
        RecurrentWeightDropout scheduled = (RecurrentWeightDropout) Dropouts.recurrentWeights(warmUp);
        assertThat(scheduled.dropRateAt(0, 0)).isZero();
        assertThat(scheduled.dropRateAt(6, 0)).isEqualTo(0.3);
        // The same validation path as the dropout variants: a scheduled value outside [0, 1) names the iteration.
        assertThatThrownBy(() -> scheduled.dropRateAt(9, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("iteration 9")
                .hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> Dropouts.recurrentWeights(
                new FixedSchedule(1.0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1.0");
        assertThatThrownBy(() -> Dropouts.recurrentWeights(
                (ISchedule) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRateSchedule");
        // Equal by value, clones independent, and the JSON keeps the schedule.
        assertThat(scheduled.clone()).isEqualTo(scheduled).isNotSameAs(scheduled);
        assertThat(scheduled.clone().dropRateSchedule()).isNotSameAs(scheduled.dropRateSchedule());
        String json = new NeuralNetConfiguration.Builder().weightNoise(scheduled).list()
                .layer(new LSTM.Builder().nIn(2).nOut(2).build()).build().toJson();
        MultiLayerConfiguration back =
                MultiLayerConfiguration.fromJson(json);
        assertThat(((BaseLayer) back.getConf(0).getLayer()).getWeightNoise())
                .isEqualTo(scheduled);
        assertThat(scheduled).isInstanceOf(HasDropRate.class);
    }
}
