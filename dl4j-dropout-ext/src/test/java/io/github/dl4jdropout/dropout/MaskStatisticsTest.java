package io.github.dl4jdropout.dropout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.internal.ForwardOnly;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded statistics of the masks. Tolerances are 5 standard deviations of the binomial or mean estimate named at
 * each assertion, so a correct implementation fails with probability below 1e-6 per assertion; the seeds are fixed,
 * so the outcome is deterministic anyway.
 */
class MaskStatisticsTest {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private static INDArray drop(IDropout dropout, INDArray x) {
        INDArray out = dropout.applyDropout(x, x.dup(), 0, 0, NO_WS);
        dropout.clear();
        return out;
    }

    /** 5 sigma of a fraction estimated from n Bernoulli(p) draws. */
    private static double fiveSigma(double p, long n) {
        return 5 * Math.sqrt(p * (1 - p) / n);
    }

    @Test
    void standardDropoutDropsTheRateAndPreservesTheExpectation() {
        double rate = 0.3;
        long n = 1_000_000;
        Nd4j.getRandom().setSeed(42);
        INDArray out = drop(Dropouts.standard(rate), Nd4j.ones(DataType.DOUBLE, 1000, 1000));
        double dropped = out.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertThat(dropped).isCloseTo(rate, within(fiveSigma(rate, n)));
        // Every kept value is exactly 1 / (1 - rate).
        assertThat(out.neq(0.0).castTo(DataType.DOUBLE).sumNumber().doubleValue() / (1 - rate))
                .isCloseTo(out.sumNumber().doubleValue() * 1.0, within(1e-6 * n));
        // Mean of n values in {0, 1/(1-p)} has standard deviation sqrt(p / (1 - p) / n).
        assertThat(out.meanNumber().doubleValue()).isCloseTo(1.0, within(5 * Math.sqrt(rate / (1 - rate) / n)));
    }

    @Test
    void standardDropoutDropsLikeDl4jDropoutWithTheComplementaryRetainProbability() {
        // Ours draws a Bernoulli mask, DL4J's Dropout uses its DropOutInverted op: the same random numbers, but at
        // this rate not the same mask (at 0.5 they coincide). What must hold is the same distribution: the same drop
        // fraction within 5 sigma of the difference of two binomial fractions, and the same kept value 1 / (1 - rate).
        double rate = 0.25;
        long n = 1_000_000;
        INDArray x = Nd4j.ones(DataType.FLOAT, 1000, 1000);
        Nd4j.getRandom().setSeed(7);
        INDArray ours = drop(Dropouts.standard(rate), x);
        Nd4j.getRandom().setSeed(7);
        INDArray theirs = drop(new Dropout(1 - rate), x);
        double oursDropped = ours.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        double theirsDropped = theirs.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertThat(oursDropped).isCloseTo(theirsDropped, within(Math.sqrt(2) * fiveSigma(rate, n)));
        assertThat(ours.maxNumber().doubleValue()).isCloseTo(theirs.maxNumber().doubleValue(), within(1e-6));
        assertThat(ours.maxNumber().doubleValue()).isCloseTo(1 / (1 - rate), within(1e-6));
        // Seeded: the same seed repeats the mask, another seed does not.
        Nd4j.getRandom().setSeed(7);
        assertThat(drop(Dropouts.standard(rate), x)).isEqualTo(ours);
        Nd4j.getRandom().setSeed(8);
        assertThat(drop(Dropouts.standard(rate), x)).isNotEqualTo(ours);
    }

    @Test
    void forwardOnlyStandardDropoutHasTheSameDistributionAndKeepsNoMask() {
        double rate = 0.3;
        long n = 1_000_000;
        InvertedDropout dropout = new InvertedDropout(rate);
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.ones(DataType.DOUBLE, 1000, 1000);
        INDArray out;
        try (ForwardOnly.Scope ignored = ForwardOnly.enter()) {
            out = dropout.applyDropout(x, x.dup(), 0, 0, NO_WS);
            assertThat(dropout.masks().pending()).as("masks kept for backprop").isZero();
            assertThatThrownBy(() -> dropout.backprop(x, x.dup(), 0, 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("without a matching forward pass");
        }
        assertThat(ForwardOnly.active()).isFalse();
        double dropped = out.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertThat(dropped).isCloseTo(rate, within(fiveSigma(rate, n)));
        assertThat(out.maxNumber().doubleValue()).isCloseTo(1 / (1 - rate), within(1e-12));
        assertThat(x.minNumber().doubleValue()).as("input untouched").isEqualTo(1.0);
        // Outside the scope the mask is kept again.
        dropout.applyDropout(x, x.dup(), 0, 0, NO_WS);
        assertThat(dropout.masks().pending()).isEqualTo(1);
        dropout.clear();
    }

    @ParameterizedTest
    @EnumSource(RNNFormat.class)
    void timeSharedMasksAreConstantOverTimeAndDropTheRate(RNNFormat format) {
        double rate = 0.4;
        int examples = 200;
        int features = 50;
        int steps = 30;
        long[] shape = format == RNNFormat.NCW
                ? new long[]{examples, features, steps} : new long[]{examples, steps, features};
        int timeDim = format == RNNFormat.NCW ? 2 : 1;
        Nd4j.getRandom().setSeed(123);
        INDArray out = drop(Dropouts.timeShared(rate, format), Nd4j.ones(DataType.DOUBLE, shape));
        INDArray max = out.max(timeDim);
        assertThat(out.min(timeDim)).isEqualTo(max);
        // One Bernoulli draw per (example, feature): n = 10,000.
        double dropped = max.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertThat(dropped).isCloseTo(rate, within(fiveSigma(rate, (long) examples * features)));
        assertThat(max.maxNumber().doubleValue()).isCloseTo(1 / (1 - rate), within(1e-12));
    }

    @Test
    void timeSharedMasksDifferBetweenExamplesAndFeatures() {
        Nd4j.getRandom().setSeed(5);
        INDArray out = drop(Dropouts.timeShared(0.5), Nd4j.ones(DataType.DOUBLE, 20, 30, 4));
        INDArray perSequence = out.max(2);
        // With 600 fair draws, a row or column of identical values has probability below 2^-19.
        assertThat(perSequence.getRow(0).eq(0.0).castTo(DataType.DOUBLE).sumNumber().doubleValue())
                .isStrictlyBetween(0.0, 30.0);
        assertThat(perSequence.getColumn(0).eq(0.0).castTo(DataType.DOUBLE).sumNumber().doubleValue())
                .isStrictlyBetween(0.0, 20.0);
    }

    @ParameterizedTest
    @EnumSource(SpatialFormat.class)
    void spatialMasksAreConstantOverEachChannel(SpatialFormat format) {
        double rate = 0.3;
        int examples = 100;
        int channels = 40;
        int rank = format == SpatialFormat.CHANNELS_FIRST ? 4
                : format.name().length(); // NCW -> 3, NCHW -> 4, NCDHW -> 5
        long[] shape = new long[rank];
        shape[0] = examples;
        for (int i = 1; i < rank; i++) {
            shape[i] = 3;
        }
        int channelDim = format.channelDimension(rank);
        shape[channelDim] = channels;
        Nd4j.getRandom().setSeed(99);
        IDropout dropout = new SpatialChannelDropout(rate, format);
        INDArray out = drop(dropout, Nd4j.ones(DataType.DOUBLE, shape));
        int[] spatialDims = IntStream.range(1, rank).filter(d -> d != channelDim).toArray();
        INDArray max = out.max(spatialDims);
        assertThat(out.min(spatialDims)).isEqualTo(max);
        assertThat(max.shape()).containsExactly(examples, channels);
        // One Bernoulli draw per (example, channel): n = 4,000.
        double dropped = max.eq(0.0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertThat(dropped).isCloseTo(rate, within(fiveSigma(rate, (long) examples * channels)));
    }

    @Test
    void factoryFormatsMapToTheRightChannelDimension() {
        assertThat(((SpatialChannelDropout) Dropouts.spatial(0.1, CNN2DFormat.NHWC)).dataFormat())
                .isEqualTo(SpatialFormat.NHWC);
        assertThat(((SpatialChannelDropout) Dropouts.spatial(0.1, RNNFormat.NWC)).dataFormat())
                .isEqualTo(SpatialFormat.NWC);
        assertThat(((SpatialChannelDropout) Dropouts.spatial(0.1, Convolution3D.DataFormat.NDHWC)).dataFormat())
                .isEqualTo(SpatialFormat.NDHWC);
        assertThat(((SpatialChannelDropout) Dropouts.spatial(0.1)).dataFormat())
                .isEqualTo(SpatialFormat.CHANNELS_FIRST);
        assertThat(((TimeSharedDropout) Dropouts.timeShared(0.1)).dataFormat()).isEqualTo(RNNFormat.NCW);
    }

    @Test
    void backpropMultipliesByTheSameMask() {
        Nd4j.getRandom().setSeed(3);
        for (IDropout d : new IDropout[]{Dropouts.standard(0.5), Dropouts.timeShared(0.5, RNNFormat.NWC),
                Dropouts.spatial(0.5)}) {
            INDArray x = Nd4j.ones(DataType.DOUBLE, 6, 5, 4);
            INDArray out = d.applyDropout(x, x.dup(), 0, 0, NO_WS);
            INDArray grad = d.backprop(Nd4j.ones(DataType.DOUBLE, 6, 5, 4), Nd4j.zeros(DataType.DOUBLE, 6, 5, 4), 0, 0);
            assertThat(grad).as("%s", d).isEqualTo(out);
        }
    }
}
