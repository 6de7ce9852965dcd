package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.dropout.InvertedDropout;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianDropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * {@link McSampling#PER_PASS}: the thinned dense layer equals DL4J's layer on the element-wise masked input, the
 * mode's per-example predictive distributions agree with {@link McSampling#PER_EXAMPLE}, it is reproducible, it
 * really shares one mask per sample across the minibatch, and layers it cannot thin keep per-example masks.
 */
class PerPassSamplingTest {

    /** Double precision; the two computations differ only in summation order over at most 9 terms. */
    private static final double EXACT = 1e-10;

    private static final int N_IN = 9;
    private static final int N_OUT = 5;

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A single stochastic layer (index 0) of the given kind, activation and dropout, followed by an output. */
    private static MultiLayerNetwork oneLayer(boolean outputLayer, Activation activation, IDropout dropout) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.DOUBLE).weightInit(WeightInit.XAVIER).list();
        if (outputLayer) {
            list.layer(new OutputLayer.Builder(LossFunction.MSE).nIn(N_IN).nOut(N_OUT).activation(activation)
                    .dropOut(dropout).build());
        } else {
            list.layer(new DenseLayer.Builder().nIn(N_IN).nOut(N_OUT).activation(activation).dropOut(dropout)
                    .build());
            list.layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build());
        }
        MultiLayerNetwork net = init(list.setInputType(InputType.feedForward(N_IN)).build());
        // Non-zero biases, so that a missing or doubled bias shows.
        net.getLayer(0).getParam("b").assign(Nd4j.linspace(DataType.DOUBLE, -0.5, 0.25, N_OUT).reshape(1, N_OUT));
        return net;
    }

    /** Masks of 3 replicas: some units kept, none kept, all kept. */
    private static final int[][] KEPT = {{0, 2, 3, 7}, {}, {0, 1, 2, 3, 4, 5, 6, 7, 8}};

    /** DL4J's own layer on the input multiplied element-wise by replica r's mask and the inverted-dropout scale. */
    private static INDArray reference(Layer layer, INDArray rows, int[] kept, double scale) {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, 1, N_IN);
        for (int j : kept) {
            mask.putScalar(0, j, scale);
        }
        return layer.activate(rows.mulRowVector(mask), false, LayerWorkspaceMgr.noWorkspaces()).dup();
    }

    private static void assertThinnedEqualsMasked(MultiLayerNetwork net) {
        Layer layer = net.getLayer(0);
        ThinnedDenseLayer layerForm = ThinnedDenseLayer.of(layer);
        assertThat(layerForm).as("thinned form of %s", layer.getClass().getSimpleName()).isNotNull();
        ThinnedChain thin = new ThinnedChain(List.of(layerForm));
        int n = 4;
        double scale = 1.0 / (1.0 - 0.4);
        Nd4j.getRandom().setSeed(12);
        // Shared: every replica reads the same minibatch.
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, N_IN);
        INDArray shared = thin.forward(x, true, KEPT.length, n, new int[][][] {KEPT}, new double[] {scale},
                LayerWorkspaceMgr.noWorkspaces());
        // Replicated: each replica's rows differ, so reading another replica's rows would show.
        INDArray replicated = Nd4j.randn(DataType.DOUBLE, KEPT.length * n, N_IN);
        INDArray own = thin.forward(replicated, false, KEPT.length, n, new int[][][] {KEPT}, new double[] {scale},
                LayerWorkspaceMgr.noWorkspaces());
        for (int r = 0; r < KEPT.length; r++) {
            INDArray sharedRows = shared.get(NDArrayIndex.interval(r * n, (r + 1) * n), NDArrayIndex.all());
            INDArray expected = reference(layer, x, KEPT[r], scale);
            assertThat(sharedRows.equalsWithEps(expected, EXACT)).as("replica %s: %s vs %s", r, sharedRows, expected)
                    .isTrue();
            INDArray ownRows = own.get(NDArrayIndex.interval(r * n, (r + 1) * n), NDArrayIndex.all());
            INDArray ownInput = replicated.get(NDArrayIndex.interval(r * n, (r + 1) * n), NDArrayIndex.all());
            INDArray expectedOwn = reference(layer, ownInput, KEPT[r], scale);
            assertThat(ownRows.equalsWithEps(expectedOwn, EXACT)).as("replica %s (replicated input)", r).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = "RRELU", mode = EnumSource.Mode.EXCLUDE)
    void thinnedDenseLayerEqualsTheLayerOnTheMaskedInputForEveryActivation(Activation activation) {
        assertThinnedEqualsMasked(oneLayer(false, activation, new InvertedDropout(0.4)));
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"IDENTITY", "SIGMOID", "SOFTMAX", "TANH", "RELU"})
    void thinnedOutputLayerEqualsTheLayerOnTheMaskedInput(Activation activation) {
        // DL4J's Dropout takes the retain probability: 0.6 keeps what InvertedDropout(0.4) keeps.
        assertThinnedEqualsMasked(oneLayer(true, activation, new Dropout(0.6)));
    }

    @Test
    void perExampleMaskIsAppliedAsByDl4j() {
        MultiLayerNetwork net = oneLayer(false, Activation.SIGMOID, new InvertedDropout(0.4));
        Layer layer = net.getLayer(0);
        ThinnedChain thin = new ThinnedChain(List.of(ThinnedDenseLayer.of(layer)));
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, N_IN);
        INDArray mask = Nd4j.createFromArray(1.0, 0.0, 1.0).reshape(3, 1);
        layer.setMaskArray(mask);
        INDArray thinned = thin.forward(x, true, 1, 3, new int[][][] {{KEPT[0]}}, new double[] {2.0},
                LayerWorkspaceMgr.noWorkspaces());
        INDArray expected = reference(layer, x, KEPT[0], 2.0);
        layer.setMaskArray(null);
        assertThat(thinned.equalsWithEps(expected, EXACT)).isTrue();
        // sigmoid(z) * 0 for the masked example, as DL4J does.
        assertThat(thinned.getRow(1).sumNumber().doubleValue()).isEqualTo(0.0);
    }

    /** Dense(act, ours 0.4) - Dense(act, ours 0.25) - Output(softmax, DL4J Dropout retain 0.5), all thinnable. */
    private static MultiLayerNetwork threeThinnable(Activation activation) {
        return init(new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).biasInit(0.1).list()
                .layer(new DenseLayer.Builder().nIn(N_IN).nOut(6).activation(activation)
                        .dropOut(new InvertedDropout(0.4)).build())
                .layer(new DenseLayer.Builder().nOut(7).activation(activation).dropOut(new InvertedDropout(0.25))
                        .build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .dropOut(new Dropout(0.5)).build())
                .setInputType(InputType.feedForward(N_IN)).build());
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "TANH", "SIGMOID", "IDENTITY", "ELU"})
    void chainComputesOnlyTheUnitsTheNextLayerKeepsAndEqualsTheMaskedLayers(Activation activation) {
        MultiLayerNetwork net = threeThinnable(activation);
        ThinnedChain chain = new ThinnedChain(List.of(ThinnedDenseLayer.of(net.getLayer(0)),
                ThinnedDenseLayer.of(net.getLayer(1)), ThinnedDenseLayer.of(net.getLayer(2))));
        int n = 3;
        // Per layer, 3 replicas: the first drops some units everywhere, the second has a layer keeping nothing
        // (layer 1 keeps none of layer 0's outputs), the third keeps everything.
        int[][][] kept = {
            {{1, 4, 8}, {0, 1, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8}},
            {{0, 2, 5}, {}, {0, 1, 2, 3, 4, 5}},
            {{1, 3, 4, 6}, {0, 6}, {0, 1, 2, 3, 4, 5, 6}}};
        double[] scales = {1 / 0.6, 1 / 0.75, 2.0};
        Nd4j.getRandom().setSeed(13);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3 * n, N_IN);
        INDArray thinned = chain.forward(x, false, 3, n, kept, scales, LayerWorkspaceMgr.noWorkspaces());
        for (int r = 0; r < 3; r++) {
            INDArray h = x.get(NDArrayIndex.interval(r * n, (r + 1) * n), NDArrayIndex.all());
            for (int l = 0; l < 3; l++) {
                h = referenceOf(net.getLayer(l), h, kept[l][r], scales[l]);
            }
            INDArray rows = thinned.get(NDArrayIndex.interval(r * n, (r + 1) * n), NDArrayIndex.all());
            assertThat(rows.equalsWithEps(h, EXACT)).as("replica %s: %s vs %s", r, rows, h).isTrue();
        }
        // Drawn masks: the chain draws layer by layer, exactly as its layers run one by one would.
        Nd4j.getRandom().setSeed(14);
        INDArray together = chain.forward(x, false, 3, n, LayerWorkspaceMgr.noWorkspaces()).dup();
        Nd4j.getRandom().setSeed(14);
        INDArray oneByOne = x;
        for (int l = 0; l < 3; l++) {
            oneByOne = new ThinnedChain(List.of(ThinnedDenseLayer.of(net.getLayer(l))))
                    .forward(oneByOne, false, 3, n, LayerWorkspaceMgr.noWorkspaces()).dup();
        }
        assertThat(together.equalsWithEps(oneByOne, EXACT)).isTrue();
    }

    @Test
    void chainRefusesASoftmaxBeforeAnotherLayer() {
        MultiLayerNetwork net = oneLayer(false, Activation.SOFTMAX, new InvertedDropout(0.4));
        ThinnedDenseLayer softmax = ThinnedDenseLayer.of(net.getLayer(0));
        assertThatThrownBy(() -> new ThinnedChain(List.of(softmax, softmax)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("element-wise");
    }

    /** DL4J's layer on rows masked by {@code kept} and scaled, for any input width. */
    private static INDArray referenceOf(Layer layer, INDArray rows, int[] kept, double scale) {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, 1, rows.size(1));
        for (int j : kept) {
            mask.putScalar(0, j, scale);
        }
        return layer.activate(rows.mulRowVector(mask), false, LayerWorkspaceMgr.noWorkspaces()).dup();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Dense(tanh) - Dense(relu, ours 0.5) - Output(softmax, DL4J Dropout retain 0.7): both stochastic layers thin. */
    private static MultiLayerNetwork mlp() {
        return init(new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(TestNets.N_IN).nOut(10).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.RELU)
                        .dropOut(Dropouts.standard(0.5)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(TestNets.N_OUT)
                        .activation(Activation.SOFTMAX).dropOut(new Dropout(0.7)).build())
                .setInputType(InputType.feedForward(TestNets.N_IN)).build());
    }

    private static MonteCarloEvaluator.Builder perPass(MultiLayerNetwork net) {
        return MonteCarloEvaluator.builder(net).sampling(McSampling.PER_PASS);
    }

    @Test
    void predictiveMeanAndVarianceAgreeWithPerExampleSampling() {
        MultiLayerNetwork net = mlp();
        INDArray x = TestNets.classificationData(6, 21).getFeatures();
        int t = 4000;
        McPrediction perExample = MonteCarloEvaluator.builder(net).samples(t).seed(1).keepSamples(true).build()
                .predict(x);
        MonteCarloEvaluator thin = perPass(net).samples(t).seed(2).keepSamples(true).build();
        assertThat(thin.thinnedLayers()).isEqualTo("1 (layer1), 2 (layer2)");
        McPrediction perPass = thin.predict(x);
        double[] m1 = perExample.mean().dup().data().asDouble();
        double[] m2 = perPass.mean().dup().data().asDouble();
        double[] v1 = perExample.variance().dup().data().asDouble();
        double[] v2 = perPass.variance().dup().data().asDouble();
        double[] k1 = fourthCentralMoment(perExample);
        double[] k2 = fourthCentralMoment(perPass);
        for (int j = 0; j < m1.length; j++) {
            // Both are means of T i.i.d. samples per output (per-pass samples are correlated across examples, not
            // across samples of one example). 5 sigma: for 18 outputs and two statistics a false failure has
            // probability about 2e-5 (normal approximation, T = 4000).
            double seMean = Math.sqrt(v1[j] / t + v2[j] / t);
            assertThat(Math.abs(m1[j] - m2[j])).as("mean of output %s", j).isLessThanOrEqualTo(5 * seMean + 1e-12);
            // Standard error of a sample variance: sqrt((mu4 - sigma^4) / T).
            double seVar = Math.sqrt((k1[j] - v1[j] * v1[j]) / t + (k2[j] - v2[j] * v2[j]) / t);
            assertThat(Math.abs(v1[j] - v2[j])).as("variance of output %s", j)
                    .isLessThanOrEqualTo(5 * seVar + 1e-12);
        }
        // The samples vary, so the comparison means something.
        assertThat(perPass.variance().maxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    private static double[] fourthCentralMoment(McPrediction p) {
        INDArray samples = p.samples();
        long t = samples.size(0);
        INDArray centered = samples.reshape(t, -1).subRowVector(samples.reshape(t, -1).mean(0).reshape(1, -1));
        return centered.muli(centered).muli(centered.dup()).mean(0).data().asDouble();
    }

    @Test
    void oneMaskPerSampleIsSharedByTheWholeMinibatch() {
        MultiLayerNetwork net = mlp();
        INDArray one = TestNets.classificationData(1, 3).getFeatures();
        INDArray x = Nd4j.concat(0, one, one, one, one);
        INDArray thin = perPass(net).samples(20).keepSamples(true).build().predict(x).samples();
        INDArray perExample = MonteCarloEvaluator.builder(net).samples(20).keepSamples(true).build().predict(x)
                .samples();
        for (int i = 1; i < 4; i++) {
            // Identical examples through the same sub-network give identical outputs in every sample.
            assertThat(thin.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all())
                    .equals(thin.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()))).isTrue();
            assertThat(perExample.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all())
                    .equalsWithEps(perExample.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()),
                            1e-6)).isFalse();
        }
        // ...while different samples are different sub-networks.
        assertThat(thin.slice(0).equalsWithEps(thin.slice(1), 1e-6)).isFalse();
    }

    @Test
    void reproducibleWithASeedAndIndependentOfPrefixReuse() {
        MultiLayerNetwork net = mlp();
        INDArray x = TestNets.classificationData(12, 4).getFeatures();
        McPrediction a = perPass(net).samples(30).seed(9).build().predict(x);
        McPrediction b = perPass(net).samples(30).seed(9).build().predict(x);
        McPrediction other = perPass(net).samples(30).seed(10).build().predict(x);
        McPrediction recomputed = perPass(net).samples(30).seed(9).reusePrefix(false).build().predict(x);
        McPrediction oneByOne = perPass(net).samples(30).seed(9).memoryBudgetBytes(1).reusePrefix(false).build()
                .predict(x);
        McPrediction oneByOneReused = perPass(net).samples(30).seed(9).memoryBudgetBytes(1).build().predict(x);
        assertThat(a.mean()).isEqualTo(b.mean());
        assertThat(a.variance()).isEqualTo(b.variance());
        assertThat(a.mean().equalsWithEps(other.mean(), 1e-6)).isFalse();
        // Same seed: the same sub-networks whether the prefix is cached or recomputed on replicated inputs.
        assertThat(a.mean().equalsWithEps(recomputed.mean(), 1e-12)).isTrue();
        assertThat(a.variance().equalsWithEps(recomputed.variance(), 1e-12)).isTrue();
        assertThat(oneByOne.mean().equalsWithEps(oneByOneReused.mean(), 1e-12)).isTrue();
        // Per-pass samples differ from per-example samples with the same seed.
        McPrediction perExample = MonteCarloEvaluator.builder(net).samples(30).seed(9).build().predict(x);
        assertThat(a.mean().equalsWithEps(perExample.mean(), 1e-6)).isFalse();
    }

    @Test
    void defaultsToPerExampleAndRefusesNull() {
        MultiLayerNetwork net = mlp();
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).build();
        assertThat(mc.sampling()).isEqualTo(McSampling.PER_EXAMPLE);
        assertThat(mc.thinnedLayers()).isEmpty();
        assertThat(perPass(net).build().sampling()).isEqualTo(McSampling.PER_PASS);
        assertThatThrownBy(() -> MonteCarloEvaluator.builder(net).sampling(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampling");
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void layersThatCannotBeThinnedKeepPerExampleMasks() {
        MultiLayerNetwork net = init(new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(TestNets.N_IN).nOut(8).activation(Activation.TANH)
                        .dropOut(new GaussianDropout(0.3)).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).hasLayerNorm(true)
                        .dropOut(Dropouts.standard(0.3)).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).weightNoise(new DropConnect(0.9))
                        .dropOut(Dropouts.standard(0.3)).build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.RRELU).dropOut(Dropouts.standard(0.3))
                        .build())
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH)
                        .dropOut(new AlphaDropout(0.7)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(TestNets.N_OUT)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(0.3)).build())
                .setInputType(InputType.feedForward(TestNets.N_IN)).build());
        assertThat(ThinnedDenseLayer.reasonNotThinned(net.getLayer(0))).contains("GaussianDropout");
        assertThat(ThinnedDenseLayer.reasonNotThinned(net.getLayer(1))).contains("layer normalization");
        assertThat(ThinnedDenseLayer.reasonNotThinned(net.getLayer(2))).contains("weight noise");
        assertThat(ThinnedDenseLayer.reasonNotThinned(net.getLayer(3))).contains("RReLU");
        assertThat(ThinnedDenseLayer.reasonNotThinned(net.getLayer(4))).contains("AlphaDropout");
        assertThat(ThinnedDenseLayer.reasonNotThinned(net.getLayer(5))).isNull();
        MonteCarloEvaluator mc = perPass(net).samples(10).build();
        assertThat(mc.thinnedLayers()).isEqualTo("5 (layer5)");
        assertThat(mc.stochasticLayers())
                .isEqualTo("0 (layer0), 1 (layer1), 2 (layer2), 3 (layer3), 4 (layer4), 5 (layer5)");
        McPrediction p = mc.predict(TestNets.classificationData(5, 2).getFeatures());
        assertThat(p.variance().maxNumber().doubleValue()).isGreaterThan(1e-6);
    }

    @Test
    void modelWithoutThinnableLayersSamplesExactlyAsPerExample() {
        MultiLayerNetwork net = TestNets.sequenceClassifier();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, new long[] {4, TestNets.N_IN, 5});
        MonteCarloEvaluator thin = perPass(net).samples(15).build();
        assertThat(thin.thinnedLayers()).isEmpty();
        McPrediction a = thin.predict(x);
        McPrediction b = MonteCarloEvaluator.builder(net).samples(15).build().predict(x);
        // Nothing is thinned, so the same random draws give the same samples.
        assertThat(a.mean()).isEqualTo(b.mean());
        assertThat(a.variance()).isEqualTo(b.variance());
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void computationGraphThinsItsDenseLayerAndAgreesWithPerExample() {
        ComputationGraph graph = TestNets.twoInputGraph(new Dropout(0.5));
        MonteCarloEvaluator thin = MonteCarloEvaluator.builder(graph).sampling(McSampling.PER_PASS).samples(3000)
                .seed(4).build();
        assertThat(thin.thinnedLayers()).isEqualTo("hidden");
        Nd4j.getRandom().setSeed(8);
        INDArray a = Nd4j.randn(DataType.DOUBLE, 3, TestNets.N_IN);
        INDArray b = Nd4j.randn(DataType.DOUBLE, 3, 4);
        McPrediction perPass = thin.predict(new INDArray[] {a, b}, null);
        McPrediction perExample = MonteCarloEvaluator.builder(graph).samples(3000).seed(5).build()
                .predict(new INDArray[] {a, b}, null);
        double[] m1 = perExample.mean().dup().data().asDouble();
        double[] m2 = perPass.mean().dup().data().asDouble();
        double[] v1 = perExample.variance().dup().data().asDouble();
        double[] v2 = perPass.variance().dup().data().asDouble();
        for (int j = 0; j < m1.length; j++) {
            // 5 sigma of the difference of two means of 3000 i.i.d. samples; 9 outputs.
            assertThat(Math.abs(m1[j] - m2[j])).as("mean %s", j)
                    .isLessThanOrEqualTo(5 * Math.sqrt((v1[j] + v2[j]) / 3000) + 1e-12);
        }
        // Identical examples share each sample's sub-network.
        INDArray twice = Nd4j.concat(0, a.getRow(0, true), a.getRow(0, true));
        INDArray twiceB = Nd4j.concat(0, b.getRow(0, true), b.getRow(0, true));
        INDArray samples = MonteCarloEvaluator.builder(graph).sampling(McSampling.PER_PASS).samples(10)
                .keepSamples(true).build().predict(new INDArray[] {twice, twiceB}, null).samples();
        assertThat(samples.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                .equals(samples.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all()))).isTrue();
    }
}
