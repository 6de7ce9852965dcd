package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * On the real files: in training mode the imported dropout drops what Keras drops, as often as Keras does, and
 * scales what it keeps by {@code 1 / (1 - rate)}; spatial dropout drops whole channels of channels-last activations;
 * recurrent input dropout keeps one mask per sequence. Every drop count is checked against a binomial with
 * {@link Binomial#K} sigma; seeds make the runs repeatable.
 */
class DropoutStatisticsTest {

    /** float32 rounding of a few operations on values of order 1. */
    private static final double FLOAT_TOLERANCE = 1e-5;

    @Test
    void dropoutAsOutputVertexDropsTwentyPercentAndScalesTheRest() throws Exception {
        ComputationGraph graph = KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.MLP_0));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 20_000, 3);
        INDArray inference = graph.outputSingle(false, x);
        Nd4j.getRandom().setSeed(2);
        INDArray training = graph.outputSingle(true, x);
        assertDroppedAndScaled("mlp_0 Dropout(0.2)", inference, training, 0.2);
    }

    @Test
    void dropoutBetweenFlattenAndDenseDropsItsKerasRate() throws Exception {
        ComputationGraph graph = KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.ISSUE_9349));
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 40_000, 6).muli(4.999).castTo(DataType.INT32).castTo(DataType.FLOAT);
        // Everything before the dropout is deterministic, so both passes feed it the same activations.
        INDArray before = graph.feedForward(x, false).get("dropout");
        Nd4j.getRandom().setSeed(4);
        INDArray after = graph.feedForward(x, true).get("dropout");
        assertDroppedAndScaled("issue_9349 Dropout(0.2584)", before, after, 0.2584);
    }

    /** Where the undropped value is non-zero: zero (dropped) with probability rate, else scaled by 1/(1-rate). */
    private static void assertDroppedAndScaled(String what, INDArray undropped, INDArray dropped, double rate) {
        float[] u = undropped.castTo(DataType.FLOAT).data().asFloat();
        float[] d = dropped.castTo(DataType.FLOAT).data().asFloat();
        assertThat(d).hasSameSizeAs(u);
        long n = 0;
        long zeros = 0;
        for (int i = 0; i < u.length; i++) {
            if (u[i] == 0f) {
                continue;       // ReLU zeros say nothing about the mask
            }
            n++;
            if (d[i] == 0f) {
                zeros++;
            } else {
                assertThat((double) d[i]).as("%s element %d kept and scaled by 1/(1-%s)", what, i, rate)
                        .isCloseTo(u[i] / (1 - rate), org.assertj.core.data.Offset.offset(
                                FLOAT_TOLERANCE * Math.max(1, Math.abs(u[i]))));
            }
        }
        assertThat(n).as("%s: non-zero activations", what).isGreaterThan(10_000);
        Binomial.assertFraction(what + " dropped", zeros, n, rate);
    }

    @Test
    void alphaDropoutReplacesHalfTheActivationsBySeluSaturationAndCorrectsTheRest() throws Exception {
        ComputationGraph graph = KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.MISC_3));
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 20_000, 2);
        float[] y = graph.outputSingle(false, x).data().asFloat();
        Nd4j.getRandom().setSeed(6);
        float[] t = graph.outputSingle(true, x).data().asFloat();
        SeluAlphaDropout alpha = new SeluAlphaDropout(0.5);
        double a = alpha.a();
        double b = alpha.b();
        double saturated = a * (-SeluAlphaDropout.SELU_SCALE * SeluAlphaDropout.SELU_ALPHA) + b;
        long dropped = 0;
        for (int i = 0; i < y.length; i++) {
            double kept = a * y[i] + b;
            boolean isDropped = Math.abs(t[i] - saturated) < 1e-4;
            boolean isKept = Math.abs(t[i] - kept) < 1e-4 * Math.max(1, Math.abs(kept));
            assertThat(isDropped || isKept).as("element %d: %s is neither a*alpha'+b = %s nor a*x+b = %s", i, t[i],
                    saturated, kept).isTrue();
            if (isDropped && !isKept) {
                dropped++;
            }
        }
        Binomial.assertFraction("misc_3 AlphaDropout(0.5) dropped", dropped, y.length, 0.5);
    }

    @Test
    void spatialDropout3dDropsWholeChannelsOfChannelsLastActivations() throws Exception {
        ComputationGraph graph = KerasDropoutImport.importFunctional(KerasFiles.path(KerasFiles.CNN3D_16));
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1_000, 10, 10, 10, 3);
        // DL4J cannot run this graph to its end (its Cropping3D reads NDHWC as NCDHW), so drive the two layers.
        LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
        INDArray conv = graph.getLayer("conv3d_24").activate(x, false, noWs).dup();
        Nd4j.getRandom().setSeed(8);
        INDArray dropped = graph.getLayer("spatial_dropout3d_16").activate(conv.dup(), true, noWs);
        // NDHWC: the 4 channels of Conv3D(filters=4) last ('same' padding keeps 10x10x10).
        assertThat(conv.shape()).containsExactly(1_000, 10, 10, 10, 4);
        // Per (example, channel): the largest |value| of the whole channel, and the largest deviation from in/0.8.
        INDArray channelMax = Transforms.abs(dropped).max(1, 2, 3);
        INDArray keptError = Transforms.abs(dropped.sub(conv.mul(1 / 0.8))).max(1, 2, 3);
        float[] maxes = channelMax.data().asFloat();
        float[] errors = keptError.data().asFloat();
        long units = maxes.length;
        long droppedUnits = 0;
        for (int i = 0; i < maxes.length; i++) {
            if (maxes[i] == 0f) {
                droppedUnits++;     // the whole 10x10x10 channel is zero
            } else {
                // Kept whole: every position scaled, none dropped (DL4J's SpatialDropout would zero depth slices).
                assertThat((double) errors[i]).as("(example, channel) %d", i).isLessThan(FLOAT_TOLERANCE);
            }
        }
        assertThat(units).isEqualTo(4_000);
        Binomial.assertFraction("cnn3d_16 SpatialDropout3D(0.2) channels dropped", droppedUnits, units, 0.2);
    }

    /**
     * Recurrent input dropout with one feature: a sequence's input is either all zero (dropped) or all scaled by
     * 1/(1-rate) for the whole sequence, so each training-mode output equals the inference output on zeros or on the
     * scaled input. A fresh mask per time step (DL4J's import) would match neither for most sequences.
     */
    @ParameterizedTest
    @ValueSource(strings = {KerasFiles.SIMPLE_RNN, KerasFiles.SIMPLE_LSTM})
    void recurrentInputDropoutKeepsOneMaskPerSequence(String file) throws Exception {
        MultiLayerNetwork net = KerasDropoutImport.importSequential(KerasFiles.path(file));
        int sequences = 4_000;
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, sequences, 9, 1).addi(0.5);   // NWC, no zeros
        float[] ifDropped = net.output(Nd4j.zeros(DataType.FLOAT, sequences, 9, 1), false).data().asFloat();
        float[] ifKept = net.output(x.mul(1.25), false).data().asFloat();
        Nd4j.getRandom().setSeed(10);
        float[] training = net.output(x, true).data().asFloat();
        long dropped = 0;
        for (int n = 0; n < sequences; n++) {
            boolean isDropped = Math.abs(training[n] - ifDropped[n]) < FLOAT_TOLERANCE;
            boolean isKept = Math.abs(training[n] - ifKept[n]) < FLOAT_TOLERANCE;
            assertThat((double) Math.abs(ifDropped[n] - ifKept[n])).as("%s sequence %d distinguishable", file, n)
                    .isGreaterThan(100 * FLOAT_TOLERANCE);
            assertThat(isDropped || isKept).as("%s sequence %d: training output %s is neither %s (all dropped) nor"
                    + " %s (all kept)", file, n, training[n], ifDropped[n], ifKept[n]).isTrue();
            if (isDropped) {
                dropped++;
            }
        }
        Binomial.assertFraction(file + " sequences dropped", dropped, sequences, 0.2);
    }
}
