package io.github.dl4jdropout.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Collections;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.montecarlo.ClassificationMetrics;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The toolkit on predictions of a real (tiny, double precision) network through {@link MonteCarloEvaluator}: the
 * McPrediction overloads agree with the array versions and with the evaluator's own numbers. Tolerance 1e-9: the
 * evaluator accumulates in double and the toolkit recomputes in double, in another order.
 */
class ToolkitWithEvaluatorTest {

    private static MultiLayerNetwork net;
    private static DataSet data;
    private static McPrediction prediction;

    @BeforeAll
    static void predict() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(0.5)).build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 40, 6).muli(2);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 40, 3);
        for (int i = 0; i < 40; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        data = new DataSet(x, y);
        prediction = MonteCarloEvaluator.builder(net).samples(20).keepSamples(true).build().predict(x);
    }

    @Test
    void scoresOfThePredictionMatchThoseOfItsSamples() {
        for (UncertaintyScore score : UncertaintyScore.values()) {
            assertThat(score.of(prediction)).as(score.name())
                    .containsExactly(score.ofSamples(prediction.samples()), within(1e-9));
        }
        assertThat(UncertaintyScore.MAX_SOFTMAX.ofDeterministic(prediction))
                .containsExactly(UncertaintyScore.MAX_SOFTMAX.ofProbabilities(prediction.deterministic()), within(0.0));
    }

    @Test
    void reliabilityBinsOfAnEvaluationMatchThoseOfItsPrediction() {
        McReport report = MonteCarloEvaluator.builder(net).samples(20).build()
                .evaluate(new ListDataSetIterator<>(Collections.singletonList(data), 40));
        ClassificationMetrics mc = report.mc().asClassification();
        ReliabilityBins fromReport = ReliabilityBins.of(mc);
        ReliabilityBins fromPrediction = ReliabilityBins.of(prediction.mean(), data.getLabels(), mc.calibrationBins());
        assertThat(fromReport.counts()).containsExactly(fromPrediction.counts());
        assertThat(fromReport.accuracies()).containsExactly(fromPrediction.accuracies(), within(1e-9));
        assertThat(fromReport.confidences()).containsExactly(fromPrediction.confidences(), within(1e-9));
        assertThat(fromPrediction.expectedCalibrationError()).isCloseTo(mc.expectedCalibrationError(), within(1e-9));
    }

    @Test
    void temperatureScalingOfMonteCarloPredictionsNeedsTheSamples() {
        TemperatureScaling ts = TemperatureScaling.fitMonteCarlo(prediction, data.getLabels());
        assertThat(ts.nllAfter()).isLessThanOrEqualTo(ts.nllBefore());
        INDArray calibrated = ts.applyMonteCarlo(prediction);
        assertThat(calibrated.sum(1).toDoubleVector()).containsOnly(new double[] {1.0}, within(1e-12));
        McPrediction withoutSamples = MonteCarloEvaluator.builder(net).samples(5).build().predict(data.getFeatures());
        assertThatThrownBy(() -> TemperatureScaling.fitMonteCarlo(withoutSamples, data.getLabels()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("keepSamples(true)");
        assertThatThrownBy(() -> UncertaintyScore.VARIATION_RATIO.of(withoutSamples))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("keepSamples(true)");
    }

    @Test
    void acquisitionRiskCoverageAndOodOnPredictions() {
        double[] mi = UncertaintyScore.MUTUAL_INFORMATION.of(prediction);
        int[] top = Acquisition.topK(prediction, UncertaintyScore.MUTUAL_INFORMATION, 5);
        assertThat(top).containsExactly(java.util.Arrays.copyOf(Acquisition.rank(mi), 5));
        BatchBald.Selection one = BatchBald.builder().build().select(prediction, 1);
        assertThat(one.indices()[0]).isEqualTo(top[0]);
        assertThat(one.scores()[0]).isCloseTo(mi[top[0]], within(1e-9));

        RiskCoverage rc = RiskCoverage.of(prediction, UncertaintyScore.PREDICTIVE_ENTROPY, data.getLabels());
        boolean[] correct = RiskCoverage.correct(prediction.mean(), data.getLabels());
        long errors = 0;
        for (boolean c : correct) {
            errors += c ? 0 : 1;
        }
        assertThat(rc.overallRisk()).isEqualTo(errors / 40.0);

        // The same predictions as "in" and "out": every score separates them at chance exactly.
        OodMetrics same = OodMetrics.of(prediction, prediction, UncertaintyScore.MUTUAL_INFORMATION);
        assertThat(same.auroc()).isEqualTo(0.5);
        assertThatThrownBy(() -> OodMetrics.ofDeterministic(prediction, prediction,
                UncertaintyScore.MUTUAL_INFORMATION)).isInstanceOf(IllegalArgumentException.class);
    }
}
