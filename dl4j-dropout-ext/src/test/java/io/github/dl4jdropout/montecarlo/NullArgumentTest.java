package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * Every public method of the package refuses a null argument with one exception type, IllegalArgumentException,
 * whose message names the parameter and what it should have been (the library's convention, {@code Checks.notNull}).
 */
class NullArgumentTest {

    private final MultiLayerNetwork net = TestNets.classifierWithBatchNorm(new Dropout(0.5));
    private final MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(2).build();

    private static void assertNullRefused(ThrowingCallable call, String parameter) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(parameter + " must be ").hasMessageEndingWith(", got null");
    }

    @Test
    void builderEntryPointsAndSettersRefuseNull() {
        assertNullRefused(() -> MonteCarloEvaluator.builder((MultiLayerNetwork) null), "net");
        assertNullRefused(() -> MonteCarloEvaluator.builder((ComputationGraph) null), "graph");
        MonteCarloEvaluator.Builder b = MonteCarloEvaluator.builder(net);
        assertNullRefused(() -> b.task(null), "task");
        assertNullRefused(() -> b.output(null), "outputName");
        assertNullRefused(() -> b.progress(null), "listener");
    }

    @Test
    void predictAndEvaluateRefuseNull() {
        assertNullRefused(() -> mc.predict((INDArray) null), "features");
        assertNullRefused(() -> mc.predict(null, (INDArray) null), "features");
        assertNullRefused(() -> mc.predict((INDArray[]) null, null), "features");
        assertNullRefused(() -> mc.predict(new INDArray[] {null}, null), "features[0]");
        assertNullRefused(() -> mc.evaluate((DataSetIterator) null), "iterator");
        assertNullRefused(() -> mc.evaluate((MultiDataSetIterator) null), "iterator");
    }

    @Test
    void mergesRefuseNull() {
        McReport report = mc.evaluate(new ExistingDataSetIterator(
                Collections.singletonList(TestNets.classificationData(4, 1))));
        assertNullRefused(() -> report.merge(null), "other");
        assertNullRefused(() -> report.mc().merge(null), "other");
    }
}
