package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;
import java.util.List;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Multi-label (sigmoid) outputs end to end: detection, per-label uncertainty, metrics against a direct computation
 * from the kept samples, exact merging, and the refusals that keep each task's metrics meaningful.
 */
class MultiLabelEvaluationTest {

    private static final int LABELS = 3;

    /** Trained once: the evaluator leaves the model unchanged (ModelStateTest), so tests can share it. */
    private static final MultiLayerNetwork NET = sigmoidNet();

    /** Dense(tanh, dropout) - Output(sigmoid, dropout), trained a little on labels y_j = [x_j > 0]. */
    private static MultiLayerNetwork sigmoidNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(10).activation(Activation.TANH)
                        .dropOut(new Dropout(0.6)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(LABELS).name("tags")
                        .activation(Activation.SIGMOID).dropOut(new Dropout(0.8)).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet train = data(64, 3);
        for (int i = 0; i < 20; i++) {
            net.fit(train);
        }
        return net;
    }

    private static DataSet data(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, 4);
        INDArray y = x.getColumns(0, 1, 2).gt(0.0).castTo(DataType.DOUBLE);
        return new DataSet(x, y);
    }

    private static double hb(double p) {
        double q = 1 - p;
        return -(p * Math.log(Math.max(p, Double.MIN_NORMAL)) + q * Math.log(Math.max(q, Double.MIN_NORMAL)));
    }

    @Test
    void sigmoidOutputIsDetectedAndUncertaintyIsPerLabel() {
        MultiLayerNetwork net = NET;
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(20).build();
        assertThat(mc.task()).isEqualTo(McTask.MULTI_LABEL);
        McPrediction p = mc.predict(data(6, 8).getFeatures());
        assertThat(p.task()).isEqualTo(McTask.MULTI_LABEL);
        assertThat(p.predictiveEntropy().shape()).containsExactly(6, LABELS);
        assertThat(p.mutualInformation().shape()).containsExactly(6, LABELS);
        // Binary entropies: at most log 2 per label (1e-12 for rounding), and the samples do disagree somewhere.
        assertThat(p.predictiveEntropy().maxNumber().doubleValue()).isLessThanOrEqualTo(Math.log(2) + 1e-12);
        assertThat(p.mutualInformation().minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
        assertThat(p.mutualInformation().maxNumber().doubleValue()).isGreaterThan(1e-4);
        // Rows of a sigmoid output are not distributions: their sums are not 1.
        assertThat(p.mean().sum(1).sub(1.0).amaxNumber().doubleValue()).isGreaterThan(0.1);
    }

    @Test
    void metricsEqualADirectComputationFromTheKeptSamples() {
        MultiLayerNetwork net = NET;
        DataSet ds = data(12, 9);
        int t = 15;
        McReport report = MonteCarloEvaluator.builder(net).samples(t).build()
                .evaluate(new ExistingDataSetIterator(Collections.singletonList(ds)));
        INDArray samples = MonteCarloEvaluator.builder(net).samples(t).keepSamples(true).build()
                .predict(ds.getFeatures()).samples();
        double[][] y = ds.getLabels().toDoubleMatrix();
        int n = y.length;
        double bce = 0;
        double brier = 0;
        double entropy = 0;
        double mi = 0;
        long exact = 0;
        long right = 0;
        for (int i = 0; i < n; i++) {
            boolean all = true;
            for (int j = 0; j < LABELS; j++) {
                double mean = 0;
                double expectedEntropy = 0;
                for (int s = 0; s < t; s++) {
                    double v = samples.getDouble(s, i, j);
                    mean += v / t;
                    expectedEntropy += hb(v) / t;
                }
                bce -= y[i][j] * Math.log(mean) + (1 - y[i][j]) * Math.log(1 - mean);
                brier += (mean - y[i][j]) * (mean - y[i][j]);
                entropy += hb(mean);
                mi += Math.max(0, hb(mean) - expectedEntropy);
                boolean ok = (mean > 0.5) == (y[i][j] > 0.5);
                right += ok ? 1 : 0;
                all &= ok;
            }
            exact += all ? 1 : 0;
        }
        MultiLabelMetrics m = report.mc().asMultiLabel();
        double values = n * LABELS;
        // 1e-12: the same doubles summed in a different order (per-label means of 15 samples, 36 values).
        assertThat(m.negativeLogLikelihood()).isCloseTo(bce / values, within(1e-12));
        assertThat(m.brierScore()).isCloseTo(brier / values, within(1e-12));
        assertThat(m.meanPredictiveEntropy()).isCloseTo(entropy / values, within(1e-12));
        assertThat(m.meanMutualInformation()).isCloseTo(mi / values, within(1e-12)).isPositive();
        assertThat(m.exactMatchAccuracy()).isEqualTo((double) exact / n);
        assertThat(m.hammingAccuracy()).isEqualTo(right / values);

        MultiLabelMetrics standard = report.deterministic().asMultiLabel();
        INDArray out = net.output(ds.getFeatures());
        double detBrier = out.sub(ds.getLabels()).norm2Number().doubleValue();
        assertThat(standard.brierScore()).isCloseTo(detBrier * detBrier / values, within(1e-12));
        assertThat(standard.isMonteCarlo()).isFalse();
    }

    @Test
    void reportMergesExactlyAndPrintsAMultiLabelTable() {
        MultiLayerNetwork net = NET;
        List<DataSet> batches = TestNets.batches(data(20, 10), 5);
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(8).calibrationBins(5).build();
        McReport whole = mc.evaluate(new ExistingDataSetIterator(batches));
        McReport first = mc.evaluate(new ExistingDataSetIterator(batches.subList(0, 1)));
        McReport rest = mc.evaluate(new ExistingDataSetIterator(batches.subList(1, 4)));
        assertThat(first.merge(rest)).isEqualTo(whole);
        assertThat(rest.merge(first)).isEqualTo(whole);
        assertThat(first).isNotEqualTo(whole);
        assertThat(whole.task()).isEqualTo(McTask.MULTI_LABEL);
        assertThat(whole.mc().count()).isEqualTo(20);
        assertThat(whole.toString())
                .startsWith("Monte Carlo dropout evaluation: multi-label, 20 predictions of 3 labels")
                .contains("exact-match accuracy", "Hamming (per-label) accuracy",
                        "binary cross-entropy (nats per label)", "Brier score (per label)",
                        "calibration error per label (5 bins)", "mean mutual information (nats/label)", "n/a");
    }

    @Test
    void classificationIsRefusedForOutputsThatAreNotDistributions() {
        MultiLayerNetwork net = NET;
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).task(McTask.CLASSIFICATION).samples(3).build();
        DataSet ds = data(5, 11);
        String[] expected = {"task CLASSIFICATION needs model outputs that are probability distributions",
            "within 0.001", "row sums from ", "output layer \"tags\" (OutputLayer, activation sigmoid)",
            "task(McTask.MULTI_LABEL)", "task(McTask.REGRESSION)"};
        assertThatThrownBy(() -> mc.predict(ds.getFeatures())).isInstanceOf(IllegalStateException.class)
                .hasMessageContainingAll(expected);
        assertThatThrownBy(() -> mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(ds))))
                .isInstanceOf(IllegalStateException.class).hasMessageContainingAll(expected);
    }

    @Test
    void classificationRefusesLabelsThatAreNotDistributions() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(TestNets.classifierWithBatchNorm(new Dropout(0.5)))
                .samples(3).build();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, TestNets.N_IN);
        INDArray multiHot = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {1, 1, 1}});
        assertThatThrownBy(() -> mc.evaluate(new ExistingDataSetIterator(
                Collections.singletonList(new DataSet(x, multiHot)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels must be probability distributions for task CLASSIFICATION (one-hot or soft:"
                        + " non-negative, each row summing to 1 within 0.001), got row sums from 1.00000 to 3.00000"
                        + " (row 3 sums to 3.00000) and values from 0.00000 to 1.00000; multi-hot labels need"
                        + " task(McTask.MULTI_LABEL)");
        // Soft labels (label smoothing) are distributions; masked rows are not checked.
        INDArray soft = Nd4j.createFromArray(new double[][] {{0.9, 0.05, 0.05}, {0.05, 0.9, 0.05},
            {0.05, 0.05, 0.9}, {0, 0, 0}});
        DataSet masked = new DataSet(x, soft, null, Nd4j.createFromArray(new double[][] {{1}, {1}, {1}, {0}}));
        assertThat(mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(masked))).mc().count())
                .isEqualTo(3);
    }

    @Test
    void multiLabelRefusesLabelsAndOutputsOutsideZeroOne() {
        MultiLayerNetwork net = NET;
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(3).build();
        DataSet bad = new DataSet(Nd4j.rand(DataType.DOUBLE, 2, 4),
                Nd4j.createFromArray(new double[][] {{1, 0, 2}, {0, -1, 1}}));
        assertThatThrownBy(() -> mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(bad))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels must be in [0, 1] for task MULTI_LABEL (one probability per label, 1 = present),"
                        + " got values from -1.00000 to 2.00000");

        // An identity output declared multi-label gives values outside [0, 1].
        MonteCarloEvaluator identity = MonteCarloEvaluator.builder(regressionNet()).task(McTask.MULTI_LABEL)
                .samples(2).build();
        assertThatThrownBy(() -> identity.predict(Nd4j.randn(DataType.DOUBLE, 8, 3).muli(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task MULTI_LABEL needs model outputs that are probabilities in [0, 1]")
                .hasMessageContaining("activation identity").hasMessageContaining("task(McTask.REGRESSION)");
    }

    private static MultiLayerNetwork regressionNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(8).activation(Activation.TANH)
                        .dropOut(new Dropout(0.7)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
