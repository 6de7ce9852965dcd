package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
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

class MonteCarloEvaluatorValidationTest {

    private final MultiLayerNetwork net = TestNets.classifierWithBatchNorm(new Dropout(0.5));

    @Test
    void rejectsInvalidSettingsNamingParameterAndValue() {
        MonteCarloEvaluator.Builder b = MonteCarloEvaluator.builder(net);
        assertThatThrownBy(() -> b.samples(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("samples must be >= 1, got 0");
        assertThatThrownBy(() -> b.memoryBudgetBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("memoryBudgetBytes must be >= 1, got 0");
        assertThatThrownBy(() -> b.calibrationBins(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("calibrationBins must be >= 1, got -3");
        assertThatThrownBy(() -> b.observationNoiseVariance(-0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("observationNoiseVariance").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> b.observationNoiseVariance(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> b.targetScale(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targetScale must be finite and > 0 (the standard deviation of the original targets),"
                        + " got 0.0");
        assertThatThrownBy(() -> b.task(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("task must be an McTask, got null");
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(net).output("out").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MultiLayerNetwork");
    }

    @Test
    void documentedDefaults() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).build();
        assertThat(mc.samples()).isEqualTo(50);
        assertThat(mc.seed()).isEqualTo(42L);
        assertThat(mc.memoryBudgetBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(mc.calibrationBins()).isEqualTo(15);
        assertThat(mc.reusePrefix()).isTrue();
        assertThat(mc.keepSamples()).isFalse();
        assertThat(mc.task()).isEqualTo(McTask.CLASSIFICATION);
        assertThat(mc.observationPrecision()).isEmpty();
        assertThat(mc.observationNoiseVariance()).isEmpty();
        assertThat(mc.targetScale()).isEqualTo(1.0);
        assertThat(mc.stochasticLayers()).contains("2 (").contains("3 (").doesNotContain("1 (");
    }

    @Test
    void rejectsModelWithoutStochasticRegularizer() {
        MultiLayerNetwork plain = TestNets.classifierWithBatchNorm(null);
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(plain).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stochastic regularizer")
                .hasMessageContaining("MultiLayerNetwork [DenseLayer, BatchNormalization, DenseLayer, OutputLayer]")
                .hasMessageContaining("every Monte Carlo sample would equal the deterministic output");
    }

    @Test
    void dropoutOnBatchNormalizationDoesNotCount() {
        // DL4J's BatchNormalization never applies its IDropout, so this model samples nothing.
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).build())
                .layer(new BatchNormalization.Builder().nOut(4).dropOut(new Dropout(0.5)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork bnOnly = new MultiLayerNetwork(conf);
        bnOnly.init();
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(bnOnly).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BatchNormalization");
    }

    @Test
    void undetectableTaskMustBeDeclared() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).dropOut(new Dropout(0.5)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).name("bounded")
                        .activation(Activation.TANH).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork tanh = new MultiLayerNetwork(conf);
        tanh.init();
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(tanh).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("task must be set for output layer \"bounded\" (OutputLayer) with activation tanh; only"
                        + " softmax (classification), sigmoid (multi-label) and identity (regression) are detected");
        assertThat(MonteCarloEvaluator.builder(tanh).task(McTask.REGRESSION).build().task())
                .isEqualTo(McTask.REGRESSION);
    }

    @Test
    void sigmoidOutputIsDetectedAsMultiLabel() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).dropOut(new Dropout(0.5)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork binary = new MultiLayerNetwork(conf);
        binary.init();
        // One sigmoid unit (binary classification) is the one-label case.
        assertThat(MonteCarloEvaluator.builder(binary).build().task()).isEqualTo(McTask.MULTI_LABEL);
        assertThat(MonteCarloEvaluator.builder(binary).task(McTask.REGRESSION).build().task())
                .isEqualTo(McTask.REGRESSION);
    }

    @Test
    void rejectsLabelsOfTheWrongShapeNamingBothShapes() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(2).build();
        DataSet bad = new DataSet(Nd4j.rand(DataType.DOUBLE, 4, TestNets.N_IN), Nd4j.zeros(DataType.DOUBLE, 4, 2));
        assertThatThrownBy(() -> mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(bad))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels must have the model output's shape [4, 3], got [4, 2]");
    }

    @Test
    void rejectsEmptyIteratorAndFullyMaskedData() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(2).build();
        assertThatThrownBy(() -> mc.evaluate(new ExistingDataSetIterator(Collections.<DataSet>emptyList())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty iterator");

        DataSet masked = TestNets.classificationData(4, 1);
        masked.setLabelsMaskArray(Nd4j.zeros(DataType.DOUBLE, 4, 1));
        assertThatThrownBy(() -> mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(masked))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every prediction masked");

        DataSet perOutputMask = TestNets.classificationData(4, 1);
        perOutputMask.setLabelsMaskArray(Nd4j.ones(DataType.DOUBLE, 4, 3));
        assertThatThrownBy(() -> mc.evaluate(new ExistingDataSetIterator(Collections.singletonList(perOutputMask))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 3]")
                .hasMessageContaining("per-output masks are not supported");
    }

    @Test
    void rejectsWrongNumberOfInputs() {
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(2).build();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, TestNets.N_IN);
        assertThatThrownBy(() -> mc.predict(new INDArray[] {x, x}, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features must hold one array per model input (1), got 2");
    }

    @Test
    void graphOutputMustExist() {
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(TestNets.twoInputGraph(new Dropout(0.5)))
                .output("nope").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[out]")
                .hasMessageContaining("\"nope\"");
    }

    @Test
    void reportsProgressPerBatch() {
        StringBuilder calls = new StringBuilder();
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(2)
                .progress((batches, examples) -> calls.append(batches).append(':').append(examples).append(' '))
                .build();
        mc.evaluate(new ExistingDataSetIterator(TestNets.batches(TestNets.classificationData(10, 2), 4)));
        assertThat(calls.toString()).isEqualTo("1:4 2:8 3:10 ");
    }
}
