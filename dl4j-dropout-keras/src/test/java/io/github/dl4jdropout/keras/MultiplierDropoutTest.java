package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * {@link GaussianMultiplicativeDropout} and {@link SeluAlphaDropout}: argument checks, Keras' statistics, gradients
 * (double-precision gradient check with one instance shared by two layers), identity at rate 0, clones and JSON.
 */
class MultiplierDropoutTest {

    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
    private static DataType previousDefault;
    private static DataType previousFloatingDefault;

    @BeforeAll
    static void rememberDefaults() {
        previousDefault = Nd4j.dataType();
        previousFloatingDefault = Nd4j.defaultFloatingPointType();
    }

    @AfterAll
    static void restoreDefaults() {
        // The gradient check switches ND4J to double; the other test classes of this JVM expect the defaults back.
        Nd4j.setDefaultDataTypes(previousDefault, previousFloatingDefault);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
    void ratesOutsideZeroToOneAreRejectedWithTheValue(double rate) {
        assertThatThrownBy(() -> new GaussianMultiplicativeDropout(rate))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropRate must be in [0, 1)")
                .hasMessageContaining("got " + rate);
        assertThatThrownBy(() -> new SeluAlphaDropout(rate))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got " + rate);
    }

    @Test
    void gaussianMultiplierHasMeanOneAndKerasStddev() {
        GaussianMultiplicativeDropout d = new GaussianMultiplicativeDropout(0.2);
        assertThat(d.stddev()).isCloseTo(0.5, Offset.offset(1e-12));     // sqrt(0.2 / 0.8)
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.ones(DataType.FLOAT, 1000, 1000);
        INDArray out = d.applyDropout(x, x.ulike(), 0, 0, NO_WS);
        long n = out.length();
        // Standard errors of the sample mean (sd / sqrt(n)) and standard deviation (sd / sqrt(2n)); 5 of each.
        assertThat(out.meanNumber().doubleValue()).isCloseTo(1.0, Offset.offset(5 * 0.5 / Math.sqrt(n)));
        assertThat(out.stdNumber().doubleValue()).isCloseTo(0.5, Offset.offset(5 * 0.5 / Math.sqrt(2.0 * n)));
        d.clear();
    }

    @Test
    void alphaDropoutKeepsAStandardNormalInputStandardNormal() {
        SeluAlphaDropout d = new SeluAlphaDropout(0.3);
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 1000, 1000);
        INDArray out = d.applyDropout(x, x.ulike(), 0, 0, NO_WS);
        long n = out.length();
        // The point of a and b (Klambauer et al. 2017): mean 0 and variance 1 are kept. Standard errors of the sample
        // mean (1 / sqrt(n)) and variance (about sqrt(2 / n) for a near-normal variable, 3 sqrt(2 / n) allows for the
        // bimodal mixture); 5 of each.
        assertThat(out.meanNumber().doubleValue()).isCloseTo(0.0, Offset.offset(5 / Math.sqrt(n)));
        assertThat(out.varNumber().doubleValue()).isCloseTo(1.0, Offset.offset(5 * 3 * Math.sqrt(2.0 / n)));
        double saturated = d.a() * (-SeluAlphaDropout.SELU_SCALE * SeluAlphaDropout.SELU_ALPHA) + d.b();
        long dropped = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition(
                out.sub(saturated), org.nd4j.linalg.indexing.conditions.Conditions.absLessThan(1e-9)))
                .getLong(0);
        Binomial.assertFraction("alpha dropout replaced", dropped, n, 0.3);
        d.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian", "alpha"})
    void backpropMultipliesTheGradientByTheForwardMultiplier(String kind) {
        IDropout d = kind.equals("gaussian") ? new GaussianMultiplicativeDropout(0.3) : new SeluAlphaDropout(0.3);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 50, 40).addi(1.0);
        INDArray out = d.applyDropout(x, x.ulike(), 7, 1, NO_WS);
        INDArray g = Nd4j.rand(DataType.DOUBLE, 50, 40);
        INDArray back = d.backprop(g, g.ulike(), 7, 1);
        // out is affine in x with slope m per element: m = (out - out at x=0) / x; for alpha, out(0) = m*(-alpha') + c.
        INDArray slope;
        if (d instanceof SeluAlphaDropout) {
            SeluAlphaDropout a = (SeluAlphaDropout) d;
            double alphaPrime = -SeluAlphaDropout.SELU_SCALE * SeluAlphaDropout.SELU_ALPHA;
            slope = out.sub(a.a() * alphaPrime + a.b()).div(x.sub(alphaPrime));
        } else {
            slope = out.div(x);
        }
        assertThat(back.sub(g.mul(slope)).amaxNumber().doubleValue()).isLessThan(1e-9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian", "alpha"})
    void rateZeroIsTheIdentityBothWays(String kind) {
        IDropout d = kind.equals("gaussian") ? new GaussianMultiplicativeDropout(0) : new SeluAlphaDropout(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 5);
        assertThat(d.applyDropout(x, x.ulike(), 0, 0, NO_WS)).isEqualTo(x);
        INDArray g = Nd4j.rand(DataType.FLOAT, 4, 5);
        assertThat(d.backprop(g, g.ulike(), 0, 0)).isEqualTo(g);
    }

    @Test
    void clonesAreEqualAndDoNotShareMasks() {
        GaussianMultiplicativeDropout d = new GaussianMultiplicativeDropout(0.4);
        GaussianMultiplicativeDropout c = d.clone();
        assertThat(c).isEqualTo(d).hasSameHashCodeAs(d).isNotSameAs(d);
        assertThat(new SeluAlphaDropout(0.4).clone()).isEqualTo(new SeluAlphaDropout(0.4));
        assertThat(d).isNotEqualTo(new SeluAlphaDropout(0.4)).isNotEqualTo(new GaussianMultiplicativeDropout(0.5));
        INDArray x = Nd4j.ones(DataType.FLOAT, 3, 3);
        d.applyDropout(x, x.ulike(), 0, 0, NO_WS);
        // The clone has no pending forward pass of its own.
        assertThatThrownBy(() -> c.backprop(x, x.ulike(), 0, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a matching forward pass");
        d.backprop(x, x.ulike(), 0, 0);
    }

    @Test
    void jsonRoundTripKeepsClassAndRate() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
                .layer(new DropoutLayer.Builder().dropOut(new GaussianMultiplicativeDropout(0.25)).build())
                .layer(new DropoutLayer.Builder().dropOut(new SeluAlphaDropout(0.125)).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(4).nOut(2).build())
                .build();
        String json = conf.toJson();
        assertThat(json).contains("\"@class\" : \"io.github.dl4jdropout.keras.GaussianMultiplicativeDropout\"")
                .contains("\"dropRate\" : 0.25");
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertThat(back).isEqualTo(conf);
        assertThat(back.getConf(2).getLayer().getIDropout()).isEqualTo(new SeluAlphaDropout(0.125));
    }

    /**
     * DL4J's gradient check in double precision, reseeding the RNG before every pass so the noise is a fixed function
     * of the parameters; one instance of each noise sits on two layers. Tolerances are DL4J's for its own dropout
     * gradient checks: relative error 1e-3, absolute 1e-8, step 1e-6.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gaussian", "alpha"})
    void gradientsMatchCentralDifferencesWithOneInstanceOnTwoLayers(String kind) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        IDropout shared = kind.equals("gaussian") ? new GaussianMultiplicativeDropout(0.3) : new SeluAlphaDropout(0.3);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE)
                .updater(new NoOp()).dist(new NormalDistribution(0, 1)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).dropOut(shared).build())
                .layer(new DropoutLayer.Builder().dropOut(shared).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(5).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 4);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 6, 2);
        assertThat(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .callEachIter(n -> Nd4j.getRandom().setSeed(12345)))).isTrue();
    }
}
