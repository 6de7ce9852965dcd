package io.github.dl4jdropout.layers;

import static io.github.dl4jdropout.layers.LstmFixtures.SEED;
import static io.github.dl4jdropout.layers.LstmFixtures.maxAbsDiff;
import static io.github.dl4jdropout.layers.LstmFixtures.net;
import static io.github.dl4jdropout.layers.LstmFixtures.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Seeded statistics of the recurrent mask, read through the layer's package-private hook
 * ({@link VariationalLstmLayer#currentRecurrentMask()}), and its effect on the outputs.
 */
class RecurrentMaskTest {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private static VariationalLstmLayer layer(MultiLayerNetwork net) {
        return (VariationalLstmLayer) net.getLayer(0);
    }

    private static MultiLayerNetwork vlstm(long nIn, long hidden, double recurrentDropRate, DataType dataType) {
        return net(new VariationalLSTM.Builder().nIn(nIn).nOut(hidden).activation(Activation.TANH)
                        .recurrentDropout(recurrentDropRate).build(), nIn, hidden, 2, RNNFormat.NCW, dataType,
                WorkspaceMode.ENABLED);
    }

    /**
     * Drop rate 0.3 on a [1000, 500] mask (n = 500,000 units): the fraction of zeros is within 5 sigma of a binomial
     * (sigma = sqrt(0.3 * 0.7 / n) = 6.5e-4, so 0.0033), every kept value is exactly 1 / (1 - 0.3) (float rounding:
     * 1e-6), every example has its own mask (all 1000 rows differ: two equal rows of 500 units have probability
     * about 0.58^500), and each unit is dropped for about 30% of the examples (within 5 sigma of a binomial with
     * n = 1000, 0.072), unlike a mask shared by the minibatch.
     */
    @Test
    void onePerExampleMaskDropsTheRateAndScalesTheRest() {
        MultiLayerNetwork net = vlstm(2, 500, 0.3, DataType.FLOAT);
        Nd4j.getRandom().setSeed(SEED);
        layer(net).activate(sequences(RNNFormat.NCW, DataType.FLOAT, 1000, 2, 2), true, NO_WS);
        INDArray mask = layer(net).currentRecurrentMask();

        assertThat(mask.shape()).containsExactly(1000, 500);
        double kept = 1.0 / (1.0 - 0.3);
        INDArray isZero = mask.eq(0.0).castTo(DataType.DOUBLE);
        INDArray isKept = Transforms.abs(mask.castTo(DataType.DOUBLE).sub(kept)).lt(1e-6).castTo(DataType.DOUBLE);
        assertThat(isZero.add(isKept).minNumber().doubleValue()).as("every value is 0 or 1 / (1 - rate)")
                .isEqualTo(1.0);
        assertThat(isZero.meanNumber().doubleValue()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.0033));

        Set<String> rows = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(mask.getRow(i).toString());
        }
        assertThat(rows).as("distinct example masks").hasSize(1000);
        INDArray perUnit = isZero.mean(0);
        assertThat(perUnit.minNumber().doubleValue()).isGreaterThan(0.3 - 0.072);
        assertThat(perUnit.maxNumber().doubleValue()).isLessThan(0.3 + 0.072);
    }

    /**
     * The layer's training output equals an LSTM computed by hand in ND4J with h(t-1) multiplied by the one mask the
     * hook reports, at every step (DOUBLE, tolerance 1e-12): a mask that changed between steps could not match. The
     * same output without the mask differs, so the mask is really applied.
     */
    @Test
    void theSameMaskMultipliesTheHiddenStateAtEveryStep() {
        long nIn = 3;
        long hidden = 6;
        long steps = 7;
        MultiLayerNetwork net = vlstm(nIn, hidden, 0.5, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.DOUBLE, 4, nIn, steps);
        INDArray out = layer(net).activate(x, true, NO_WS).dup();
        INDArray mask = layer(net).currentRecurrentMask().dup();

        assertThat(mask.eq(0.0).any()).as("some unit is dropped").isTrue();
        assertThat(maxAbsDiff(out, byHand(net, x, mask))).isLessThan(1e-12);
        assertThat(maxAbsDiff(out, byHand(net, x, Nd4j.ones(DataType.DOUBLE, 4, hidden)))).isGreaterThan(1e-3);
    }

    /** DL4J's LSTM equations ([i, f, o, g] blocks; tanh block input and cell output, sigmoid gates). */
    static INDArray byHand(MultiLayerNetwork net, INDArray x, INDArray recurrentMask) {
        INDArray w = net.getLayer(0).getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY);
        INDArray r = net.getLayer(0).getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray b = net.getLayer(0).getParam(LSTMParamInitializer.BIAS_KEY);
        long n = x.size(0);
        long h = r.size(0);
        INDArray hPrev = Nd4j.zeros(x.dataType(), n, h);
        INDArray cPrev = Nd4j.zeros(x.dataType(), n, h);
        INDArray out = Nd4j.zeros(x.dataType(), n, h, x.size(2));
        for (long t = 0; t < x.size(2); t++) {
            INDArray xt = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
            INDArray z = xt.mmul(w).add(hPrev.mul(recurrentMask).mmul(r)).addRowVector(b);
            INDArray blockInput = Transforms.tanh(z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h)));
            INDArray forget = Transforms.sigmoid(z.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h)));
            INDArray output = Transforms.sigmoid(z.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h)));
            INDArray inputGate = Transforms.sigmoid(z.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * h, 4 * h)));
            INDArray c = forget.mul(cPrev).add(inputGate.mul(blockInput));
            hPrev = output.mul(Transforms.tanh(c));
            cPrev = c;
            out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(hPrev);
        }
        return out;
    }

    /**
     * Inference uses no mask: no mask is drawn, repeated outputs are identical and equal DL4J's LSTM with the same
     * parameters (same seed, same initialization); a training pass differs from it.
     */
    @Test
    void inferenceIsDeterministicAndMaskFree() {
        MultiLayerNetwork ours = vlstm(3, 8, 0.5, DataType.FLOAT);
        MultiLayerNetwork dl4j = net(new LSTM.Builder().nIn(3).nOut(8).activation(Activation.TANH).build(), 3, 8, 2,
                RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 5, 3, 6);

        layer(ours).activate(x, false, NO_WS);
        assertThat(layer(ours).currentRecurrentMask()).isNull();
        INDArray first = ours.output(x);
        assertThat(ours.output(x)).isEqualTo(first);
        assertThat(maxAbsDiff(first, dl4j.output(x))).isEqualTo(0.0);
        assertThat(maxAbsDiff(ours.output(x, true), first)).isGreaterThan(1e-3);
    }

    /** Each training pass draws new masks; the same seed draws the same ones. */
    @Test
    void everyTrainingPassDrawsNewMasksReproducibleBySeed() {
        MultiLayerNetwork net = vlstm(3, 8, 0.5, DataType.FLOAT);
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 5, 3, 6);
        Nd4j.getRandom().setSeed(7);
        INDArray a = net.output(x, true);
        INDArray b = net.output(x, true);
        Nd4j.getRandom().setSeed(7);
        INDArray c = net.output(x, true);
        assertThat(maxAbsDiff(a, b)).isGreaterThan(1e-3);
        assertThat(c).isEqualTo(a);
    }

    /**
     * The copies of one example in a minibatch get independent masks (what the Monte Carlo evaluator relies on when
     * it replicates a minibatch): 200 copies give 200 different training outputs, and their variance is > 0.
     */
    @Test
    void copiesOfOneExampleGetIndependentMasks() {
        MultiLayerNetwork net = vlstm(3, 32, 0.3, DataType.FLOAT);
        Nd4j.getRandom().setSeed(SEED);
        INDArray one = sequences(RNNFormat.NCW, DataType.FLOAT, 1, 3, 6);
        INDArray copies = Nd4j.concat(0, java.util.Collections.nCopies(200, one).toArray(new INDArray[0]));
        INDArray out = net.output(copies, true);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            distinct.add(out.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).toString());
        }
        // Two independent masks of 32 units coincide with probability (0.7^2 + 0.3^2)^32 = 2.7e-8, so all 19,900
        // pairs differ with probability 0.9995; a mask shared by the minibatch would give one distinct output.
        assertThat(distinct).hasSize(200);
        assertThat(out.var(0).maxNumber().doubleValue()).isGreaterThan(0.0);
    }

    /** The forward pass DL4J repeats inside backprop reuses the mask of the forward pass (the same array). */
    @Test
    void backpropReusesTheForwardMask() {
        MultiLayerNetwork net = vlstm(3, 8, 0.5, DataType.FLOAT);
        net.initGradientsView();
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 5, 3, 6);
        layer(net).activate(x, true, NO_WS);
        INDArray forwardMask = layer(net).currentRecurrentMask();
        layer(net).backpropGradient(Nd4j.rand(DataType.FLOAT, 5, 8, 6), NO_WS);
        assertThat(layer(net).currentRecurrentMask()).isSameAs(forwardMask);
        layer(net).clear();
        assertThat(layer(net).currentRecurrentMask()).isNull();
    }

    @Test
    void rateZeroDrawsNoMaskAndAScheduleIsFollowedAndChecked() {
        MultiLayerNetwork off = vlstm(3, 8, 0.0, DataType.FLOAT);
        INDArray x = sequences(RNNFormat.NCW, DataType.FLOAT, 5, 3, 6);
        layer(off).activate(x, true, NO_WS);
        assertThat(layer(off).currentRecurrentMask()).isNull();

        MultiLayerNetwork scheduled = net(new VariationalLSTM.Builder().nIn(3).nOut(400).name("enc")
                        .recurrentDropout(new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.5, 5, 0.0, 8, 1.5)))
                        .build(), 3, 400, 2, RNNFormat.NCW, DataType.FLOAT, WorkspaceMode.ENABLED);
        INDArray batch = sequences(RNNFormat.NCW, DataType.FLOAT, 500, 3, 2);
        layer(scheduled).activate(batch, true, NO_WS);
        // n = 200,000 units, sigma = 0.0011: 5 sigma = 0.0056.
        assertThat(layer(scheduled).currentRecurrentMask().eq(0.0).castTo(DataType.DOUBLE).meanNumber()
                .doubleValue()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.0056));
        layer(scheduled).setIterationCount(5);
        layer(scheduled).activate(batch, true, NO_WS);
        assertThat(layer(scheduled).currentRecurrentMask()).isNull();
        layer(scheduled).setIterationCount(9);
        assertThatThrownBy(() -> layer(scheduled).activate(batch, true, NO_WS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VariationalLSTM 'enc'")
                .hasMessageContaining("gave 1.5").hasMessageContaining("iteration 9").hasMessageContaining("[0, 1)");
    }

    /** Both formats draw the same mask for the same seed: the mask is [minibatch, nOut] whatever the layout. */
    @Test
    void nwcLayerMatchesNcwLayerOnPermutedInput() {
        List<MultiLayerNetwork> nets = new java.util.ArrayList<>();
        for (RNNFormat format : RNNFormat.values()) {
            nets.add(net(new VariationalLSTM.Builder().nIn(3).nOut(8).activation(Activation.TANH).dataFormat(format)
                    .recurrentDropout(0.5).build(), 3, 8, 2, format, DataType.FLOAT, WorkspaceMode.ENABLED));
        }
        Nd4j.getRandom().setSeed(SEED);
        INDArray ncw = sequences(RNNFormat.NCW, DataType.FLOAT, 5, 3, 6);
        Nd4j.getRandom().setSeed(3);
        INDArray a = nets.get(0).output(ncw, true);
        Nd4j.getRandom().setSeed(3);
        INDArray b = nets.get(1).output(ncw.permute(0, 2, 1).dup(), true);
        assertThat(maxAbsDiff(a, b.permute(0, 2, 1))).isLessThan(1e-6);
    }
}
