package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalDouble;

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
 * The regression test log-likelihood of Gal &amp; Ghahramani (2016, Table 1):
 * {@code logsumexp_t(-tau/2 (y - f_t)^2) - log T - log(2 pi)/2 + log(tau)/2}, mean per value, streamed while the
 * samples arrive; checked against closed forms on small arrays and against a brute-force computation from the kept
 * samples.
 */
class RegressionLikelihoodTest {

    /** Double arithmetic on a handful of values of order 1. */
    private static final double EPS = 1e-12;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private static SampleAccumulator regressionAccumulator(INDArray deterministic) {
        return new SampleAccumulator(OutputLayout.of(2, new OutputLayer.Builder().build()), McTask.REGRESSION,
                deterministic, false);
    }

    @Test
    void streamedLogMeanExpMatchesTheClosedForm() {
        INDArray y = Nd4j.createFromArray(new double[][] {{1.0, -2.0}});
        SampleAccumulator acc = regressionAccumulator(Nd4j.zeros(DataType.DOUBLE, 1, 2));
        acc.trackLogLikelihood(y, Nd4j.ones(DataType.DOUBLE, 1), 2.0);
        // Three samples, two of them in one chunk: a = -(2 / 2) (y - f)^2.
        acc.add(Nd4j.createFromArray(new double[][] {{0.5, -2.0}, {1.5, -1.0}}), 2);
        acc.add(Nd4j.createFromArray(new double[][] {{3.0, -2.5}}), 1);
        INDArray l = acc.logMeanExpRows();
        assertThat(l.getDouble(0, 0))
                .isCloseTo(Math.log((Math.exp(-0.25) + Math.exp(-0.25) + Math.exp(-4.0)) / 3), within(EPS));
        assertThat(l.getDouble(0, 1))
                .isCloseTo(Math.log((1.0 + Math.exp(-1.0) + Math.exp(-0.25)) / 3), within(EPS));
    }

    @Test
    void streamingIsStableWhereExpUnderflowsInEitherOrder() {
        // tau = 1e6 and errors 1 and 2: a = -5e5 and -2e6, and exp(a) is 0 in double, so a naive log(mean(exp(a)))
        // would be -infinity. The log-sum-exp is -5e5 + log(1 + exp(-1.5e6)) - log 2 = -5e5 - log 2.
        double expected = -5e5 - Math.log(2);
        for (double[] order : new double[][] {{1.0, 2.0}, {2.0, 1.0}}) {
            SampleAccumulator acc = regressionAccumulator(Nd4j.zeros(DataType.DOUBLE, 1, 1));
            acc.trackLogLikelihood(Nd4j.zeros(DataType.DOUBLE, 1, 1), Nd4j.ones(DataType.DOUBLE, 1), 1e6);
            acc.add(Nd4j.createFromArray(new double[][] {{order[0]}}), 1);
            acc.add(Nd4j.createFromArray(new double[][] {{order[1]}}), 1);
            // 1e-9: the spacing of doubles near 5e5 is 6e-11.
            assertThat(acc.logMeanExpRows().getDouble(0, 0)).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void metricsAddTheConstantAndSkipMaskedRows() {
        INDArray mean = Nd4j.createFromArray(new double[][] {{1.0, 2.0}, {3.0, 5.0}, {9.0, 9.0}});
        INDArray y = Nd4j.createFromArray(new double[][] {{1.5, 2.0}, {2.0, 5.0}, {1e6, -1e6}});
        INDArray w = Nd4j.createFromArray(1.0, 1.0, 0.0); // the absurd third row is masked
        double tau = 0.5;
        double constant = 0.5 * Math.log(tau) - HALF_LOG_2PI;

        // Standard inference: T = 1 with the deterministic output; squared errors 0.25, 0, 1, 0.
        RegressionMetrics det = BatchMetrics.regression(mean, y, w, null, null, OptionalDouble.of(tau), 1.0, false);
        assertThat(det.logLikelihood()).isCloseTo(-0.5 * tau * 1.25 / 4 + constant, within(EPS));
        // With one Gaussian N(f, 1/tau), the log-likelihood is minus the Gaussian negative log-likelihood.
        assertThat(det.logLikelihood()).isCloseTo(-det.gaussianNegativeLogLikelihood(), within(EPS));

        // Monte Carlo: the streamed log-mean-exp plus the constant.
        INDArray logMeanExp = Nd4j.createFromArray(new double[][] {{-1, -2}, {-3, -4}, {99, 99}});
        RegressionMetrics mc = BatchMetrics.regression(mean, y, w, Nd4j.zerosLike(mean), logMeanExp,
                OptionalDouble.of(tau), 1.0, true);
        assertThat(mc.logLikelihood()).isCloseTo(-10.0 / 4 + constant, within(EPS));
        assertThat(mc.observationPrecision()).hasValue(tau);

        RegressionMetrics none = BatchMetrics.regression(mean, y, w, null, null, OptionalDouble.empty(), 1.0, false);
        assertThat(none.hasLogLikelihood()).isFalse();
        assertThatThrownBy(none::logLikelihood).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("observationPrecision(tau)");
    }

    @Test
    void mergeNeedsTheSamePrecisionAndScale() {
        INDArray m = Nd4j.createFromArray(new double[][] {{1.0}});
        INDArray w = Nd4j.ones(DataType.DOUBLE, 1);
        RegressionMetrics a = BatchMetrics.regression(m, m, w, null, null, OptionalDouble.of(1.0), 1.0, false);
        RegressionMetrics b = BatchMetrics.regression(m, m, w, null, null, OptionalDouble.of(2.0), 1.0, false);
        RegressionMetrics c = BatchMetrics.regression(m, m, w, null, null, OptionalDouble.of(1.0), 3.0, false);
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("other must use observation precision 1.0 and target scale 1.0, got observation"
                        + " precision 2.0 and target scale 1.0");
        assertThatThrownBy(() -> a.merge(c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got observation precision 1.0 and target scale 3.0");
        assertThat(a.merge(a).logLikelihood()).isEqualTo(a.logLikelihood());
    }

    // ---------------------------------------------------------------------------------------------------------

    private static MultiLayerNetwork regressionNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(8).activation(Activation.TANH)
                        .dropOut(new Dropout(0.7)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).dropOut(new Dropout(0.9)).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static List<DataSet> batches() {
        Nd4j.getRandom().setSeed(1);
        DataSet ds = new DataSet(Nd4j.randn(DataType.DOUBLE, 10, 3), Nd4j.randn(DataType.DOUBLE, 10, 2));
        return TestNets.batches(ds, 4);
    }

    /** {@code log((1/T) sum_t exp(-tau/2 (y - f_t)^2))} by the textbook max-shifted log-sum-exp, summed over values. */
    private static double bruteForceLogMeanExpSum(INDArray samples, INDArray labels, double tau) {
        int t = (int) samples.size(0);
        double total = 0;
        for (int i = 0; i < labels.size(0); i++) {
            for (int j = 0; j < labels.size(1); j++) {
                double[] a = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < t; s++) {
                    double d = labels.getDouble(i, j) - samples.getDouble(s, i, j);
                    a[s] = -0.5 * tau * d * d;
                    max = Math.max(max, a[s]);
                }
                double sum = 0;
                for (double v : a) {
                    sum += Math.exp(v - max);
                }
                total += max + Math.log(sum) - Math.log(t);
            }
        }
        return total;
    }

    @Test
    void evaluationMatchesABruteForceComputationFromTheKeptSamples() {
        MultiLayerNetwork net = regressionNet();
        List<DataSet> batches = batches();
        double tau = 3.0;
        int t = 12;
        McReport report = MonteCarloEvaluator.builder(net).samples(t).observationPrecision(tau).build()
                .evaluate(new ExistingDataSetIterator(batches));
        // The same minibatches predicted with keepSamples(true) get the same samples (seeded by their content).
        MonteCarloEvaluator keeping = MonteCarloEvaluator.builder(net).samples(t).keepSamples(true).build();
        double mcSum = 0;
        double detSum = 0;
        long values = 0;
        for (DataSet b : batches) {
            mcSum += bruteForceLogMeanExpSum(keeping.predict(b.getFeatures()).samples(), b.getLabels(), tau);
            INDArray standard = net.output(b.getFeatures());
            detSum += bruteForceLogMeanExpSum(standard.reshape(1, standard.size(0), standard.size(1)),
                    b.getLabels(), tau);
            values += b.getLabels().length();
        }
        double constant = 0.5 * Math.log(tau) - HALF_LOG_2PI;
        RegressionMetrics mc = report.mc().asRegression();
        RegressionMetrics det = report.deterministic().asRegression();
        // 1e-12: the same 20 values of order 1, summed in another order.
        assertThat(mc.logLikelihood()).isCloseTo(mcSum / values + constant, within(EPS));
        assertThat(det.logLikelihood()).isCloseTo(detSum / values + constant, within(EPS));
        // The mixture is not the Gaussian with the sample variance: the two scores differ.
        assertThat(Math.abs(mc.logLikelihood() + mc.gaussianNegativeLogLikelihood())).isGreaterThan(1e-3);
        assertThat(report.toString()).contains("test log-likelihood (nats per value)")
                .contains("observation precision tau = 3.00000 (noise variance 0.333333)");
    }

    @Test
    void targetScaleReportsOriginalUnitsExactlyAsTheDocumentedConversion() {
        MultiLayerNetwork net = regressionNet();
        double std = 2.5;
        double tauOriginal = 0.8;
        McReport original = MonteCarloEvaluator.builder(net).samples(9).targetScale(std)
                .observationPrecision(tauOriginal).build().evaluate(new ExistingDataSetIterator(batches()));
        McReport standardized = MonteCarloEvaluator.builder(net).samples(9)
                .observationPrecision(tauOriginal * std * std).build().evaluate(new ExistingDataSetIterator(batches()));
        for (boolean mcSide : new boolean[] {true, false}) {
            RegressionMetrics o = (mcSide ? original.mc() : original.deterministic()).asRegression();
            RegressionMetrics s = (mcSide ? standardized.mc() : standardized.deterministic()).asRegression();
            // 1e-12: the same doubles, scaled before or after squaring.
            assertThat(o.rmse()).isCloseTo(s.rmse() * std, within(EPS));
            assertThat(o.logLikelihood()).isCloseTo(s.logLikelihood() - Math.log(std), within(EPS));
            assertThat(o.gaussianNegativeLogLikelihood())
                    .isCloseTo(s.gaussianNegativeLogLikelihood() + Math.log(std), within(EPS));
            assertThat(o.regressionEvaluation().meanSquaredError(1))
                    .isCloseTo(s.regressionEvaluation().meanSquaredError(1) * std * std, within(EPS));
            assertThat(o.targetScale()).isEqualTo(std);
        }
        assertThat(original.mc().asRegression().meanPredictiveVariance())
                .isCloseTo(standardized.mc().asRegression().meanPredictiveVariance() * std * std, within(EPS));
        assertThat(original.toString()).contains("; target scale 2.50000");
    }

    @Test
    void oneObservationNoiseSettingValidatedEitherWay() {
        MonteCarloEvaluator.Builder b = MonteCarloEvaluator.builder(regressionNet());
        assertThat(b.observationNoiseVariance(0.25).build().observationPrecision()).hasValue(4.0);
        assertThat(b.observationPrecision(2.0).build().observationNoiseVariance()).hasValue(0.5);
        // The last call wins: it is one setting.
        assertThat(b.observationPrecision(2.0).observationNoiseVariance(0.1).build().observationPrecision())
                .hasValue(1.0 / 0.1);
        for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> b.observationPrecision(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("observationPrecision must be finite and > 0 (tau, the inverse of the observation"
                            + " noise variance), got " + bad);
        }
        // 0 used to mean "no noise"; now that is the unset default. 1e-320 would give an infinite precision.
        for (double bad : new double[] {0.0, 1e-320}) {
            assertThatThrownBy(() -> b.observationNoiseVariance(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("observationNoiseVariance must be finite and > 0 with a finite inverse")
                    .hasMessageEndingWith("got " + bad);
        }
    }

    @Test
    void regressionSettingsAreRefusedForOtherTasks() {
        MultiLayerNetwork classifier = TestNets.classifierWithBatchNorm(new Dropout(0.5));
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(classifier).observationPrecision(1.0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("observationPrecision applies to task REGRESSION, got task CLASSIFICATION (detected from"
                        + " the output activation)");
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(classifier).task(McTask.CLASSIFICATION).targetScale(2)
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targetScale applies to task REGRESSION, got task CLASSIFICATION");
    }
}
