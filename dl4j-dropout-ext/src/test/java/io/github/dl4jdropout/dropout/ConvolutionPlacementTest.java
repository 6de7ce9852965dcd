package io.github.dl4jdropout.dropout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditCheck;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.audit.Finding;
import io.github.dl4jdropout.audit.Severity;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * DL4J 1.0.0-M2.1's {@code Convolution1DLayer} and {@code Convolution3D} apply the dropout configured on them but never
 * backpropagate it: gradient checks fail with any dropout there, DL4J's included. This library refuses that placement
 * (configuration checks, audit, Monte Carlo evaluator, first training step) and the supported placement, a dropout
 * layer before the convolution, passes gradient checks in every format. Gradient check tolerances are DL4J's own for
 * its dropout gradient checks (relative error 1e-3, absolute 1e-8, step 1e-6), masks held fixed by reseeding.
 */
class ConvolutionPlacementTest {

    private static final long SEED = 12345;
    private static final int N = 3;
    private static DataType previous;

    @BeforeAll
    static void doublePrecision() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.DOUBLE).updater(new NoOp())
                .dist(new NormalDistribution(0, 1));
    }

    /** Conv1D, then a second Conv1D carrying {@code onConv} or preceded by {@code layerBefore}, pooling, output. */
    private static MultiLayerConfiguration conv1d(RNNFormat format, IDropout onConv, Layer layerBefore) {
        NeuralNetConfiguration.ListBuilder b = base().list()
                .layer(new Convolution1DLayer.Builder().kernelSize(2).nIn(3).nOut(4).rnnDataFormat(format)
                        .activation(Activation.TANH).build());
        if (layerBefore != null) {
            b.layer(layerBefore);
        }
        return b.layer(new Convolution1DLayer.Builder().kernelSize(2).nOut(4).rnnDataFormat(format)
                        .activation(Activation.TANH).dropOut(onConv).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG)
                        .poolingDimensions(format == RNNFormat.NCW ? 2 : 1).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(3, 8, format))
                .build();
    }

    private static MultiLayerConfiguration conv3d(Convolution3D.DataFormat format, IDropout onConv,
                                                  Layer layerBefore) {
        NeuralNetConfiguration.ListBuilder b = base().list()
                .layer(new Convolution3D.Builder().kernelSize(2, 2, 2).nIn(2).nOut(3).dataFormat(format)
                        .activation(Activation.TANH).build());
        if (layerBefore != null) {
            b.layer(layerBefore);
        }
        return b.layer(new Convolution3D.Builder().kernelSize(2, 2, 2).nOut(3).dataFormat(format)
                        .activation(Activation.TANH).dropOut(onConv).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(
                        format == Convolution3D.DataFormat.NCDHW ? new int[]{2, 3, 4} : new int[]{1, 2, 3}).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional3D(format, 4, 4, 4, 2))
                .build();
    }

    private static INDArray input(MultiLayerConfiguration conf, long... shape) {
        Nd4j.getRandom().setSeed(1);
        return Nd4j.rand(DataType.DOUBLE, shape);
    }

    private static INDArray labels() {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, N, 2);
        for (int i = 0; i < N; i++) {
            y.putScalar(i, i % 2, 1.0);
        }
        return y;
    }

    private static boolean gradientsCorrect(MultiLayerConfiguration conf, INDArray x) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                .labels(labels()).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .callEachIter(n -> Nd4j.getRandom().setSeed(SEED)));
    }

    private static long[] conv1dShape(RNNFormat format) {
        return format == RNNFormat.NCW ? new long[]{N, 3, 8} : new long[]{N, 8, 3};
    }

    private static long[] conv3dShape(Convolution3D.DataFormat format) {
        return format == Convolution3D.DataFormat.NCDHW ? new long[]{N, 2, 4, 4, 4} : new long[]{N, 4, 4, 4, 2};
    }

    @Test
    void conv1dWithADropoutLayerBeforeItHasCorrectGradients() {
        for (IDropout d : new IDropout[]{Dropouts.spatial(0.4, RNNFormat.NCW), Dropouts.standard(0.4)}) {
            MultiLayerConfiguration conf = conv1d(RNNFormat.NCW, null, Dropouts.layer(d));
            Dropouts.checkFormats(conf);
            assertThat(gradientsCorrect(conf, input(conf, conv1dShape(RNNFormat.NCW)))).as("%s", d).isTrue();
        }
    }

    @Test
    void dl4jConv1dInNwcCannotBackpropagateAtAllWithOrWithoutDropout() {
        // DL4J 1.0.0-M2.1's conv1d_bp op rejects the epsilon array an NWC Convolution1DLayer allocates ("wrong shape
        // of output gradients"), so no NWC Conv1D network trains, dropout or not. The NWC layout of the dropout
        // layer itself is gradient-checked in MaskAwareDropoutLayerTest (between NWC recurrent layers).
        MultiLayerConfiguration conf = conv1d(RNNFormat.NWC, null, null);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> net.fit(input(conf, conv1dShape(RNNFormat.NWC)), labels()))
                .hasMessageContaining("conv1d_bp");
    }

    @ParameterizedTest
    @EnumSource(Convolution3D.DataFormat.class)
    void conv3dWithADropoutLayerBeforeItHasCorrectGradients(Convolution3D.DataFormat format) {
        MultiLayerConfiguration conf = conv3d(format, null, Dropouts.layer(Dropouts.spatial(0.4, format)));
        Dropouts.checkFormats(conf);
        assertThat(gradientsCorrect(conf, input(conf, conv3dShape(format)))).isTrue();
    }

    @Test
    void dl4jDropoutOnAConvolutionItselfHasWrongGradients() {
        // The DL4J bug, shown with DL4J's own Dropout (it does not refuse): the gradient check fails.
        MultiLayerConfiguration conv1d = conv1d(RNNFormat.NCW, new Dropout(0.6), null);
        assertThat(gradientsCorrect(conv1d, input(conv1d, conv1dShape(RNNFormat.NCW)))).isFalse();
        MultiLayerConfiguration conv3d = conv3d(Convolution3D.DataFormat.NCDHW, new Dropout(0.6), null);
        assertThat(gradientsCorrect(conv3d, input(conv3d, conv3dShape(Convolution3D.DataFormat.NCDHW)))).isFalse();
    }

    @Test
    void ourDropoutOnAConvolutionItselfIsRefusedAtTheFirstTrainingStep() {
        MultiLayerConfiguration conf = conv1d(RNNFormat.NWC, Dropouts.spatial(0.4, RNNFormat.NWC), null);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = input(conf, conv1dShape(RNNFormat.NWC));
        assertThatThrownBy(() -> net.fit(x, labels())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Convolution1DLayer").hasMessageContaining("Dropouts.layer(");
        // Forward-only passes are correct there and stay allowed.
        assertThat(net.output(x, true).shape()).containsExactly(N, 2);

        MultiLayerConfiguration conf3d = conv3d(Convolution3D.DataFormat.NDHWC, Dropouts.standard(0.3), null);
        MultiLayerNetwork net3d = new MultiLayerNetwork(conf3d);
        net3d.init();
        assertThatThrownBy(() -> net3d.fit(input(conf3d, conv3dShape(Convolution3D.DataFormat.NDHWC)), labels()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Convolution3DLayer");
    }

    @Test
    void theBrokenPlacementIsRefusedBeforeTrainingWithTheFixAsCode() {
        MultiLayerConfiguration conf = conv1d(RNNFormat.NCW, Dropouts.spatial(0.4, RNNFormat.NCW), null);
        assertThatThrownBy(() -> Dropouts.checkFormats(conf)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layer 1").hasMessageContaining("Convolution1DLayer")
                .hasMessageContaining(".layer(Dropouts.layer(Dropouts.spatial(0.4, RNNFormat.NCW)))");
        MultiLayerConfiguration dl4j = conv3d(Convolution3D.DataFormat.NCDHW, new Dropout(0.6), null);
        assertThatThrownBy(() -> Dropouts.checkFormats(dl4j)).hasMessageContaining("Convolution3D")
                .hasMessageContaining("Dropouts.layer(Dropouts.standard(0.4))");

        List<Finding> findings = DropoutAudit.of(conf).of(AuditCheck.DROPOUT_NOT_BACKPROPAGATED);
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).severity()).isEqualTo(Severity.ERROR);
        assertThat(findings.get(0).layerIndex()).hasValue(1);
        assertThat(findings.get(0).fix()).contains("Dropouts.layer(Dropouts.spatial(0.4, RNNFormat.NCW))");
        // No other check sends the user back to the broken placement.
        assertThat(DropoutAudit.of(conf).findings()).allSatisfy(f -> assertThat(f.fix()).doesNotContain(".dropOut("));

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(net).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Convolution1DLayer");
        // A rate of 0 changes nothing and is not a problem.
        Dropouts.checkFormats(conv1d(RNNFormat.NCW, Dropouts.spatial(0.0, RNNFormat.NCW), null));
    }
}
