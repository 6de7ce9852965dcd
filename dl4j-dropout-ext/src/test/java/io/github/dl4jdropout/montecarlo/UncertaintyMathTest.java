package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Predictive entropy, expected entropy and mutual information of fixed samples, against values computed by hand.
 * Tolerance 1e-12: double arithmetic on a handful of numbers.
 */
class UncertaintyMathTest {

    private static final double EPS = 1e-12;

    private static SampleAccumulator accumulator(INDArray deterministic, McTask task) {
        return new SampleAccumulator(OutputLayout.of(deterministic.rank(), new OutputLayer.Builder().build()), task,
                deterministic, true);
    }

    @Test
    void classificationStatisticsOfTwoDisagreeingSamples() {
        // Example 0: samples (0.9, 0.1) and (0.1, 0.9) - confident but contradictory: high mutual information.
        // Example 1: samples (0.5, 0.5) twice - uncertain but consistent: zero mutual information.
        INDArray deterministic = Nd4j.createFromArray(new double[][] {{0.6, 0.4}, {0.5, 0.5}});
        SampleAccumulator acc = accumulator(deterministic, McTask.CLASSIFICATION);
        acc.add(Nd4j.createFromArray(new double[][] {{0.9, 0.1}, {0.5, 0.5}}), 1);
        acc.add(Nd4j.createFromArray(new double[][] {{0.1, 0.9}, {0.5, 0.5}}), 1);
        McPrediction p = acc.toPrediction(deterministic);

        double ln2 = Math.log(2);
        double h91 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1)); // 0.325082973391448...
        assertThat(p.mean().getDouble(0, 0)).isCloseTo(0.5, within(EPS));
        assertThat(p.variance().getDouble(0, 0)).isCloseTo(0.16, within(EPS)); // ((0.4)^2 + (0.4)^2) / 2
        assertThat(p.variance().getDouble(1, 1)).isCloseTo(0.0, within(EPS));
        assertThat(p.predictiveEntropy().shape()).containsExactly(2);
        assertThat(p.predictiveEntropy().getDouble(0)).isCloseTo(ln2, within(EPS));
        assertThat(p.expectedEntropy().getDouble(0)).isCloseTo(h91, within(EPS));
        assertThat(p.mutualInformation().getDouble(0)).isCloseTo(ln2 - h91, within(EPS));
        assertThat(p.predictiveEntropy().getDouble(1)).isCloseTo(ln2, within(EPS));
        assertThat(p.mutualInformation().getDouble(1)).isCloseTo(0.0, within(EPS));
        assertThat(p.samples().shape()).containsExactly(2, 2, 2);
    }

    @Test
    void zeroProbabilitiesContributeNothingToEntropy() {
        INDArray deterministic = Nd4j.createFromArray(new double[][] {{1.0, 0.0, 0.0}});
        SampleAccumulator acc = accumulator(deterministic, McTask.CLASSIFICATION);
        acc.add(Nd4j.createFromArray(new double[][] {{1.0, 0.0, 0.0}, {0.0, 0.5, 0.5}}), 2);
        McPrediction p = acc.toPrediction(deterministic);
        // mean (0.5, 0.25, 0.25): H = 0.5 ln 2 + 2 * 0.25 ln 4 = 1.5 ln 2; E[H] = (0 + ln 2) / 2.
        assertThat(p.predictiveEntropy().getDouble(0)).isCloseTo(1.5 * Math.log(2), within(EPS));
        assertThat(p.expectedEntropy().getDouble(0)).isCloseTo(0.5 * Math.log(2), within(EPS));
        assertThat(p.mutualInformation().getDouble(0)).isCloseTo(Math.log(2), within(EPS));
    }

    @Test
    void chunkedAndOneByOneAccumulationAgree() {
        INDArray deterministic = Nd4j.createFromArray(new double[][] {{0.2, 0.8}});
        INDArray s1 = Nd4j.createFromArray(new double[][] {{0.3, 0.7}});
        INDArray s2 = Nd4j.createFromArray(new double[][] {{0.6, 0.4}});
        INDArray s3 = Nd4j.createFromArray(new double[][] {{0.1, 0.9}});
        SampleAccumulator oneByOne = accumulator(deterministic, McTask.CLASSIFICATION);
        oneByOne.add(s1, 1);
        oneByOne.add(s2, 1);
        oneByOne.add(s3, 1);
        SampleAccumulator chunked = accumulator(deterministic, McTask.CLASSIFICATION);
        chunked.add(Nd4j.vstack(s1, s2), 2);
        chunked.add(s3, 1);
        McPrediction a = oneByOne.toPrediction(deterministic);
        McPrediction b = chunked.toPrediction(deterministic);
        assertThat(a.mean().equalsWithEps(b.mean(), EPS)).isTrue();
        assertThat(a.variance().equalsWithEps(b.variance(), EPS)).isTrue();
        assertThat(a.mutualInformation().equalsWithEps(b.mutualInformation(), EPS)).isTrue();
        // Population variance of (0.3, 0.6, 0.1): (0.09 + 0.36 + 0.01) / 3 - (1/3)^2 = 0.38 / 9.
        assertThat(a.variance().getDouble(0, 0)).isCloseTo(0.38 / 9, within(EPS));
    }

    @Test
    void sequenceOutputsGiveStatisticsPerTimeStep() {
        // [n=1, k=2, t=3] NCW; samples differ only at step 2.
        INDArray deterministic = Nd4j.createFromArray(new double[][][] {{{0.5, 0.9, 0.5}, {0.5, 0.1, 0.5}}});
        SampleAccumulator acc = accumulator(deterministic, McTask.CLASSIFICATION);
        INDArray a = Nd4j.createFromArray(new double[][][] {{{0.5, 0.9, 0.9}, {0.5, 0.1, 0.1}}});
        INDArray b = Nd4j.createFromArray(new double[][][] {{{0.5, 0.9, 0.1}, {0.5, 0.1, 0.9}}});
        acc.add(Nd4j.concat(0, a, b), 2);
        McPrediction p = acc.toPrediction(deterministic);
        double h91 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
        assertThat(p.mean().shape()).containsExactly(1, 2, 3);
        assertThat(p.mutualInformation().shape()).containsExactly(1, 3);
        assertThat(p.mutualInformation().getDouble(0, 0)).isCloseTo(0.0, within(EPS));
        assertThat(p.mutualInformation().getDouble(0, 1)).isCloseTo(0.0, within(EPS));
        assertThat(p.mutualInformation().getDouble(0, 2)).isCloseTo(Math.log(2) - h91, within(EPS));
        assertThat(p.predictiveEntropy().getDouble(0, 1)).isCloseTo(h91, within(EPS));
        assertThat(p.mean().getDouble(0, 0, 2)).isCloseTo(0.5, within(EPS));
        assertThat(p.samples().shape()).containsExactly(2, 1, 2, 3);
        assertThat(p.samples().getDouble(1, 0, 1, 2)).isCloseTo(0.9, within(EPS));
    }

    @Test
    void multiLabelStatisticsArePerLabel() {
        // Label 0: samples 0.9 and 0.1 - confident but contradictory; label 1: 0.9 twice - consistent.
        INDArray deterministic = Nd4j.createFromArray(new double[][] {{0.5, 0.9}});
        SampleAccumulator acc = accumulator(deterministic, McTask.MULTI_LABEL);
        acc.add(Nd4j.createFromArray(new double[][] {{0.9, 0.9}, {0.1, 0.9}}), 2);
        McPrediction p = acc.toPrediction(deterministic);
        double h91 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1)); // binary entropy of 0.9 (and of 0.1)
        assertThat(p.predictiveEntropy().shape()).containsExactly(1, 2);
        assertThat(p.mutualInformation().shape()).containsExactly(1, 2);
        assertThat(p.predictiveEntropy().getDouble(0, 0)).isCloseTo(Math.log(2), within(EPS));
        assertThat(p.expectedEntropy().getDouble(0, 0)).isCloseTo(h91, within(EPS));
        assertThat(p.mutualInformation().getDouble(0, 0)).isCloseTo(Math.log(2) - h91, within(EPS));
        assertThat(p.predictiveEntropy().getDouble(0, 1)).isCloseTo(h91, within(EPS));
        assertThat(p.mutualInformation().getDouble(0, 1)).isCloseTo(0.0, within(EPS));
    }

    @Test
    void binaryEntropyOfCertainLabelsIsZero() {
        INDArray h = SampleAccumulator.binaryEntropy(Nd4j.createFromArray(0.0, 1.0, 0.5));
        assertThat(h.getDouble(0)).isEqualTo(0.0);
        assertThat(h.getDouble(1)).isEqualTo(0.0);
        assertThat(h.getDouble(2)).isCloseTo(Math.log(2), within(EPS));
    }

    @Test
    void regressionVarianceIsAccurateForLargeOffsets() {
        // Values near 1e8 with spread 1: a naive sum of squares in double would lose the spread entirely.
        INDArray deterministic = Nd4j.createFromArray(new double[][] {{1e8}});
        SampleAccumulator acc = accumulator(deterministic, McTask.REGRESSION);
        acc.add(Nd4j.createFromArray(new double[][] {{1e8 + 1}, {1e8 - 1}, {1e8 + 2}, {1e8 - 2}}), 4);
        McPrediction p = acc.toPrediction(deterministic);
        assertThat(p.mean().getDouble(0, 0)).isEqualTo(1e8);
        assertThat(p.variance().getDouble(0, 0)).isCloseTo(2.5, within(1e-9));
        assertThat(p.variance().dataType()).isEqualTo(DataType.DOUBLE);
        org.assertj.core.api.Assertions.assertThatThrownBy(p::mutualInformation)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("regression");
    }
}
