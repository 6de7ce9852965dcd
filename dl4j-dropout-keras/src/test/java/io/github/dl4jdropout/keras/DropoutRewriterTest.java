package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** {@link DropoutRewriter} and {@link MultiLayerEdits} on hand-built configurations. */
class DropoutRewriterTest {

    @Test
    void aDropoutOfUnknownKerasMeaningIsRefusedNotKept() throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().name("dense").nIn(3).nOut(4).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).name("out").nIn(4).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .build();
        KerasModelConfig keras = KerasModelConfig.parse("{\"class_name\": \"Sequential\", \"config\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\"}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\"}}]}", "2.2.4");
        assertThatThrownBy(() -> DropoutRewriter.rewrite(new MultiLayerEdits(conf), keras, Map.of()))
                .isInstanceOf(UnsupportedKerasDropoutException.class)
                .hasMessage("dropout (Dropout(p=0.5) in DL4J's import) on layer 'dense' (Dense) cannot be honoured:"
                        + " this module does not know what the Keras setting behind it means for this layer class");
    }

    @Test
    void dl4jsNoOpDropoutIsRemovedAndReported() throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().name("dense").nIn(3).nOut(4).dropOut(1.0).build())
                .build();
        KerasModelConfig keras = KerasModelConfig.parse("{\"class_name\": \"Sequential\", \"config\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\"}}]}", "2.2.4");
        List<LayerMapping> lines = DropoutRewriter.rewrite(new MultiLayerEdits(conf), keras, Map.of());
        assertThat(conf.getConf(0).getLayer().getIDropout()).isNull();
        assertThat(lines).singleElement().hasToString("layer dense: Keras Dense (no dropout) -> no dropout;"
                + " DL4J's import would have set Dropout(p=1.0) on its input: no effect, but a mask drawn in every"
                + " training step");
    }
}
