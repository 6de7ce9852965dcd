package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class MergeAndReproducibilityTest {

    private final MultiLayerNetwork net = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
    private final List<DataSet> batches = TestNets.batches(TestNets.classificationData(20, 21), 5);

    private McReport evaluate(MonteCarloEvaluator mc, List<DataSet> part) {
        return mc.evaluate(new ExistingDataSetIterator(part));
    }

    @Test
    void mergeOfDisjointPartsEqualsTheWholeExactly() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(15).build();
        McReport whole = evaluate(mc, batches);
        McReport first = evaluate(mc, batches.subList(0, 1));
        McReport rest = evaluate(mc, batches.subList(1, 4));
        McReport middle = evaluate(mc, batches.subList(1, 3));
        McReport last = evaluate(mc, batches.subList(3, 4));

        // equals compares every sufficient statistic exactly (counts, exact decimal sums, confusion matrices).
        assertThat(first.merge(rest)).isEqualTo(whole);
        assertThat(rest.merge(first)).isEqualTo(whole);
        assertThat(first.merge(middle).merge(last)).isEqualTo(whole);
        assertThat(first.merge(middle.merge(last))).isEqualTo(whole);
        assertThat(first.merge(rest).mc().asClassification().expectedCalibrationError())
                .isEqualTo(whole.mc().asClassification().expectedCalibrationError());
        assertThat(first.merge(rest).toString()).isEqualTo(whole.toString());
        assertThat(first.merge(rest).mc().asClassification().evaluation().getConfusionMatrix().toCSV())
                .isEqualTo(whole.mc().asClassification().evaluation().getConfusionMatrix().toCSV());
        assertThat(whole.mc().count()).isEqualTo(20);
        // A part really differs from the whole (the test would otherwise pass trivially).
        assertThat(first).isNotEqualTo(whole);
    }

    @Test
    void mergeRejectsIncompatibleReports() {
        McReport a = evaluate(MonteCarloEvaluator.builder(net).samples(3).build(), batches.subList(0, 1));
        McReport b = evaluate(MonteCarloEvaluator.builder(net).samples(4).build(), batches.subList(0, 1));
        McReport c = evaluate(MonteCarloEvaluator.builder(net).samples(3).calibrationBins(10).build(),
                batches.subList(0, 1));
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other must use samples = 3, got 4");
        assertThatThrownBy(() -> a.merge(c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other must use 15 calibration bins, got 10");
        assertThatThrownBy(() -> a.mc().merge(a.deterministic())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deterministic");
    }

    @Test
    void sameSeedSameResultsDifferentSeedDifferentSamples() {
        INDArray x = batches.get(0).getFeatures();
        McPrediction a = MonteCarloEvaluator.builder(net).samples(10).seed(1).build().predict(x);
        McPrediction b = MonteCarloEvaluator.builder(net).samples(10).seed(1).build().predict(x);
        McPrediction c = MonteCarloEvaluator.builder(net).samples(10).seed(2).build().predict(x);
        assertThat(a.mean()).isEqualTo(b.mean());
        assertThat(a.variance()).isEqualTo(b.variance());
        assertThat(a.mean()).isNotEqualTo(c.mean());

        // A prediction depends on the seed and the batch only, not on what ran before.
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(10).seed(1).build();
        mc.predict(batches.get(1).getFeatures());
        Nd4j.getRandom().setSeed(999);
        assertThat(mc.predict(x).mean()).isEqualTo(a.mean());

        McReport r1 = evaluate(MonteCarloEvaluator.builder(net).samples(10).seed(5).build(), batches);
        McReport r2 = evaluate(MonteCarloEvaluator.builder(net).samples(10).seed(5).build(), batches);
        assertThat(r1).isEqualTo(r2);
    }

    @Test
    void keptSamplesMatchTheStreamingStatistics() {
        INDArray x = batches.get(0).getFeatures();
        McPrediction p = MonteCarloEvaluator.builder(net).samples(7).keepSamples(true).memoryBudgetBytes(3000)
                .build().predict(x);
        INDArray samples = p.samples();
        assertThat(samples.shape()).containsExactly(7, 5, 3);
        // 1e-12: the same doubles summed in a different order.
        assertThat(samples.mean(0).equalsWithEps(p.mean(), 1e-12)).isTrue();
        assertThat(samples.var(false, 0).equalsWithEps(p.variance(), 1e-12)).isTrue();
        McPrediction without = MonteCarloEvaluator.builder(net).samples(7).memoryBudgetBytes(3000).build()
                .predict(x);
        assertThat(without.hasSamples()).isFalse();
        assertThat(without.mean()).isEqualTo(p.mean());
        assertThatThrownBy(without::samples).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keepSamples(true)");
    }

    @Test
    void graphEvaluatesMultiDataSetsAndMergesExactly() {
        ComputationGraph graph = TestNets.twoInputGraph(new GaussianDropout(0.4));
        Nd4j.getRandom().setSeed(4);
        MultiDataSet[] parts = new MultiDataSet[3];
        for (int i = 0; i < parts.length; i++) {
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 6, TestNets.N_OUT);
            for (int r = 0; r < 6; r++) {
                y.putScalar(r, (r + i) % TestNets.N_OUT, 1.0);
            }
            parts[i] = new MultiDataSet(new INDArray[] {Nd4j.randn(DataType.DOUBLE, 6, TestNets.N_IN),
                    Nd4j.randn(DataType.DOUBLE, 6, 4)}, new INDArray[] {y});
        }
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(graph).samples(9).build();
        McReport whole = mc.evaluate(new TestNets.ListMultiDataSetIterator(List.of(parts)));
        McReport first = mc.evaluate(new TestNets.ListMultiDataSetIterator(List.of(parts[0])));
        McReport rest = mc.evaluate(new TestNets.ListMultiDataSetIterator(List.of(parts[1], parts[2])));
        assertThat(first.merge(rest)).isEqualTo(whole);
        assertThat(whole.mc().count()).isEqualTo(18);
        assertThat(whole.mc().asClassification().meanMutualInformation()).isGreaterThan(0.0);
    }
}
