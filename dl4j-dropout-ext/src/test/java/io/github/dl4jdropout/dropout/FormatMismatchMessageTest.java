package io.github.dl4jdropout.dropout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditCheck;
import io.github.dl4jdropout.audit.DropoutAudit;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * {@code spatial(rate, NCHW)} on an NHWC convolution: the training step fails in backprop (DL4J hands the dropout a
 * channels-first gradient). The message must name the likely cause, the format, and the fix, not a shared instance;
 * when height, width and channels are equal nothing fails, and only the configuration checks can tell.
 */
class FormatMismatchMessageTest {

    private static MultiLayerConfiguration nhwcWithNchwDropout(int height, int width, int channels) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(channels).dataFormat(CNN2DFormat.NHWC).build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .dropOut(Dropouts.spatial(0.3, CNN2DFormat.NCHW)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(height, width, 2, CNN2DFormat.NHWC))
                .build();
    }

    @Test
    void backpropFailureNamesTheFormatNotASharedInstance() {
        MultiLayerNetwork net = new MultiLayerNetwork(nhwcWithNchwDropout(4, 5, 3));
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4, 5, 2);
        INDArray y = Nd4j.create(new float[][]{{1, 0}, {0, 1}});
        assertThatThrownBy(() -> net.fit(x, y)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data format").hasMessageContaining("CNN2DFormat.NHWC")
                .hasMessageContaining("Dropouts.checkFormats").hasMessageNotContaining("give each layer its own");
    }

    @Test
    void equalSizesFailNothingAndAreCaughtBeforeTraining() {
        // Height, width and channels all 3 (1x1 kernels keep the size): the NCHW mask drops image rows of the NHWC
        // activations, and backprop sees a gradient of the same shape, so training runs, silently wrong.
        MultiLayerConfiguration conf = nhwcWithNchwDropout(3, 3, 3);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(Nd4j.rand(DataType.FLOAT, 2, 3, 3, 2), Nd4j.create(new float[][]{{1, 0}, {0, 1}}));
        assertThatThrownBy(() -> Dropouts.checkFormats(conf)).hasMessageContaining("layer 1")
                .hasMessageContaining(".dropOut(Dropouts.spatial(0.3, CNN2DFormat.NHWC))");
        assertThat(DropoutAudit.of(conf).of(AuditCheck.FORMAT_MISMATCH)).hasSize(1);
    }
}
