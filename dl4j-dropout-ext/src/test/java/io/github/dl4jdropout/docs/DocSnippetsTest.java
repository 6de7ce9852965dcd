package io.github.dl4jdropout.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.audit.Severity;
import io.github.dl4jdropout.layers.VariationalLSTM;
import io.github.dl4jdropout.layers.VariationalSimpleRnn;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import io.github.dl4jdropout.uncertainty.Acquisition;
import io.github.dl4jdropout.uncertainty.BatchBald;
import io.github.dl4jdropout.uncertainty.OodMetrics;
import io.github.dl4jdropout.uncertainty.ReliabilityBins;
import io.github.dl4jdropout.uncertainty.RiskCoverage;
import io.github.dl4jdropout.uncertainty.TemperatureScaling;
import io.github.dl4jdropout.uncertainty.UncertaintyScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The code snippets of docs/*.md, compiled and run here. Each snippet in the docs follows a
 * {@code <!-- snippet: name -->} line; the same code stands between {@code // tag::name[]} and
 * {@code // end::name[]} below, and {@link #docsShowExactlyTheCodeCompiledHere()} fails when the two differ, so the
 * documentation cannot go stale.
 */
class DocSnippetsTest {

    private static final Path DOCS = Path.of(System.getProperty("user.dir")).resolveSibling("docs");
    private static final Path README = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
    private static final Path THIS_FILE = Path.of(System.getProperty("user.dir"),
            "src/test/java/io/github/dl4jdropout/docs/DocSnippetsTest.java");

    @Test
    void standard() {
        // tag::standard[]
        IDropout hidden = Dropouts.standard(0.5);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU)
                        .dropOut(Dropouts.standard(0.2)).build())               // drops 20% of the input pixels
                .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU)
                        .dropOut(hidden).build())                               // drops 50% of layer 0's outputs
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1024).nOut(10)
                        .activation(Activation.SOFTMAX).dropOut(hidden).build()) // the same instance: safe
                .build();
        // end::standard[]
        assertThat(conf.getConf(2).getLayer().getIDropout()).isSameAs(conf.getConf(1).getLayer().getIDropout());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 784);
        INDArray before = net.params().dup();
        net.fit(new DataSet(x, Nd4j.eye(10).getRows(0, 1, 2, 3)));
        // The shared instance trains (parameters move, nothing fails) and is live in training mode only.
        assertThat(net.params()).isNotEqualTo(before);
        assertThat(net.output(x, true)).isNotEqualTo(net.output(x, true));
        assertThat(net.output(x)).isEqualTo(net.output(x));
    }

    @Test
    void timeShared() {
        // tag::time-shared[]
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new LSTM.Builder().nIn(28).nOut(128)
                        .dropOut(Dropouts.timeShared(0.25))                  // input mask, constant over time
                        .weightNoise(Dropouts.recurrentWeights(0.25))        // recurrent mask, constant over time
                        .build())
                .layer(Dropouts.layer(Dropouts.timeShared(0.25)))               // a dropout layer, padding-safe
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(128).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28))
                .build();
        Dropouts.checkFormats(conf);   // throws if a variant's format does not match its layer
        // end::time-shared[]
        fitOnce(conf, new long[]{2, 28, 28}, new long[]{2, 10, 28});
    }

    @Test
    void spatial() {
        // tag::spatial[]
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU)
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(new BatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).activation(Activation.RELU)
                        .dataFormat(CNN2DFormat.NHWC)
                        .dropOut(Dropouts.spatial(0.1, CNN2DFormat.NHWC)).build())   // drops 10% of the 32 input maps
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(0.5)).build())
                .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC))
                .build();
        Dropouts.checkFormats(conf);
        // end::spatial[]
        fitOnce(conf, new long[]{2, 28, 28, 1}, new long[]{2, 10});
    }

    @Test
    void recurrent() {
        // tag::recurrent[]
        IWeightNoise recurrent = Dropouts.recurrentWeights(0.25);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new LSTM.Builder().nIn(28).nOut(128).weightNoise(recurrent).build())
                .layer(new LSTM.Builder().nIn(128).nOut(128).weightNoise(recurrent).build())   // sharing is safe
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(128).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28))
                .build();
        // end::recurrent[]
        fitOnce(conf, new long[]{2, 28, 28}, new long[]{2, 10, 28});
    }

    @Test
    void variationalLstm() {
        Nd4j.getRandom().setSeed(1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 10, 28);
        labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(3))
                .assign(1.0);
        DataSetIterator trainIterator = new ListDataSetIterator<>(
                new DataSet(Nd4j.rand(DataType.FLOAT, 4, 28, 28), labels).asList(), 2);
        INDArray features = Nd4j.rand(DataType.FLOAT, 3, 28, 28);
        // tag::variational-lstm[]
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new VariationalLSTM.Builder().nIn(28).nOut(128)
                        .activation(Activation.TANH)              // Keras' default; DL4J's global default is sigmoid
                        .dropOut(Dropouts.timeShared(0.25))       // Keras dropout=0.25: input mask per sequence
                        .recurrentDropout(0.25)                   // Keras recurrent_dropout=0.25: mask on h(t-1)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(128).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(trainIterator);
        McPrediction p = MonteCarloEvaluator.builder(net).samples(50).build()
                .predict(features);                               // samples the input and the recurrent masks
        // end::variational-lstm[]
        assertThat(p.variance().maxNumber().doubleValue()).isGreaterThan(0.0);
        assertThat(net.params().isNaN().any()).isFalse();
    }

    @Test
    void variationalSimpleRnn() {
        // tag::variational-simple-rnn[]
        Layer rnn = new VariationalSimpleRnn.Builder().nIn(28).nOut(64)
                .activation(Activation.TANH)              // Keras' default; DL4J's global default is sigmoid
                .dropOut(Dropouts.timeShared(0.2))        // Keras dropout=0.2
                .recurrentDropout(0.25)                   // Keras recurrent_dropout=0.25
                .build();
        // end::variational-simple-rnn[]
        assertThat(((VariationalSimpleRnn) rnn).recurrentDropoutRateAt(0, 0)).isEqualTo(0.25);
        assertThat(rnn.getIDropout()).isEqualTo(Dropouts.timeShared(0.2));
    }

    @Test
    void monteCarlo() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(0.5)).build())
                .build());
        net.init();
        INDArray features = Nd4j.rand(DataType.FLOAT, 6, 4);
        DataSetIterator testIterator = new ListDataSetIterator<>(
                new DataSet(features, Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2)).asList(), 3);
        // tag::monte-carlo[]
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net)   // MultiLayerNetwork or ComputationGraph
                .samples(50)                                        // T; default 50
                .seed(42)                                           // default 42
                .build();

        McPrediction p = mc.predict(features);          // or predict(features, featuresMask), predict(INDArray[], INDArray[])
        INDArray mean = p.mean();
        INDArray epistemic = p.mutualInformation();     // [n], or [n, t] for sequence outputs

        McReport report = mc.evaluate(testIterator);    // DataSetIterator, or MultiDataSetIterator for graphs
        System.out.println(report);
        var monteCarlo = report.mc().asClassification();      // typed view; asMultiLabel(), asRegression()
        var standard = report.deterministic().asClassification();
        double ece = monteCarlo.expectedCalibrationError();
        double nllGain = standard.negativeLogLikelihood() - monteCarlo.negativeLogLikelihood();
        // end::monte-carlo[]
        assertThat(mean.shape()).containsExactly(6, 3);
        assertThat(epistemic.shape()).containsExactly(6);
        assertThat(ece).isBetween(0.0, 1.0);
        assertThat(nllGain).isFinite();
    }

    @Test
    void toolkit() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(0.5)).build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(3);
        INDArray validationFeatures = Nd4j.rand(DataType.FLOAT, 30, 4);
        INDArray validationLabels = Nd4j.eye(3).getRows(cycle(30));
        INDArray testFeatures = Nd4j.rand(DataType.FLOAT, 30, 4);
        INDArray testLabels = validationLabels.dup();
        INDArray oodFeatures = Nd4j.rand(DataType.FLOAT, 20, 4).muli(5);
        INDArray poolFeatures = Nd4j.rand(DataType.FLOAT, 40, 4);
        // tag::toolkit[]
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(50).keepSamples(true).build();
        McPrediction validation = mc.predict(validationFeatures);
        McPrediction test = mc.predict(testFeatures);

        // Calibration: one temperature fitted on validation data; each sample's log-probabilities are divided by it.
        TemperatureScaling ts = TemperatureScaling.fitMonteCarlo(validation, validationLabels);
        INDArray calibrated = ts.applyMonteCarlo(test);
        ReliabilityBins bins = ReliabilityBins.of(calibrated, testLabels, 15);   // bins.toCsv(): a reliability diagram

        // Selective prediction: answer only what the model is surest about.
        RiskCoverage rc = RiskCoverage.of(test, UncertaintyScore.PREDICTIVE_ENTROPY, testLabels);
        double accuracyAt80 = rc.accuracyAtCoverage(0.8);                       // on the 80% most certain inputs
        double aurc = rc.aurc();

        // Out-of-distribution detection: OOD inputs should score higher.
        OodMetrics ood = OodMetrics.of(test, mc.predict(oodFeatures), UncertaintyScore.MUTUAL_INFORMATION);
        double auroc = ood.auroc();
        double fpr95 = ood.fprAt95Tpr();

        // Active learning: the 10 pool inputs with the highest BALD score, or a jointly informative BatchBALD batch.
        McPrediction pool = mc.predict(poolFeatures);
        int[] bald = Acquisition.topK(pool, UncertaintyScore.MUTUAL_INFORMATION, 10);
        int[] batch = BatchBald.builder().build().select(pool, 10).indices();

        // Adaptive sample count: stop once mean and mutual information move less than 0.005 in 10 more samples.
        McPrediction quick = MonteCarloEvaluator.builder(net).samples(500).stopWhenStable(0.005, 10).build()
                .predict(testFeatures);
        // end::toolkit[]
        assertThat(ts.nllAfter()).isLessThanOrEqualTo(ts.nllBefore());
        assertThat(bins.counts()).hasSize(15);
        assertThat(accuracyAt80).isBetween(0.0, 1.0);
        assertThat(aurc).isBetween(0.0, 1.0);
        assertThat(auroc).isBetween(0.0, 1.0);
        assertThat(fpr95).isBetween(0.0, 1.0);
        assertThat(bald).hasSize(10).doesNotHaveDuplicates();
        assertThat(batch).hasSize(10).doesNotHaveDuplicates();
        assertThat(quick.sampleCount()).isBetween(20, 500);
    }

    private static int[] cycle(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i % 3;
        }
        return rows;
    }

    @Test
    void audit() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).dropOut(Dropouts.standard(0.2)).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(0.5)).build())
                .build();
        // tag::audit[]
        AuditReport report = DropoutAudit.of(conf);          // or of(network), of(graphConf), of(graph)
        System.out.println(report);                          // "Dropout audit: no findings" when clean
        report.requireNoErrors();                            // throws IllegalStateException on an ERROR
        assertThat(report.findings()).isEmpty();             // in your own tests (prints the findings on failure)
        assertThat(report.atLeast(Severity.WARNING)).isEmpty();   // if you accept INFO findings

        DropoutAudit.forMonteCarlo(conf);                    // all checks + NO_STOCHASTIC_LAYER
        DropoutAudit.hasStochasticLayer(conf);               // for evaluators: can Monte Carlo passes differ?
        // end::audit[]
    }

    @Test
    void readme() {
        Nd4j.getRandom().setSeed(1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 10, 28);
        labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(3))
                .assign(1.0);
        // Variable-length sequences: 28, 20, 12 and 4 steps, the rest padding (DL4J's DropoutLayer fails here).
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 4, 28);
        for (int i = 0; i < 4; i++) {
            mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 28 - 8 * i)).assign(1.0);
        }
        DataSetIterator trainIterator = new ListDataSetIterator<>(
                new DataSet(Nd4j.rand(DataType.FLOAT, 4, 28, 28), labels, mask, mask).asList(), 2);
        DataSetIterator testIterator = trainIterator;
        // tag::readme[]
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new VariationalLSTM.Builder().nIn(28).nOut(128)
                        .dropOut(Dropouts.timeShared(0.25))              // drops 25% of the inputs: one mask per sequence
                        .recurrentDropout(0.25)                          // and of the recurrent state, as Keras does
                        .build())
                .layer(Dropouts.layer(Dropouts.timeShared(0.25)))            // a dropout layer that handles padding
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(128).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28))
                .build();
        System.out.println(DropoutAudit.of(conf));                       // common dropout mistakes, found before training
        MultiLayerNetwork net = new MultiLayerNetwork(conf); net.init(); net.fit(trainIterator);
        McReport report = MonteCarloEvaluator.builder(net).samples(50).build().evaluate(testIterator);
        System.out.println(report);                                       // accuracy, NLL, Brier, ECE: standard vs MC
        // end::readme[]
        assertThat(report.mc().count()).isEqualTo(28 + 20 + 12 + 4);   // only the unpadded steps are scored
    }

    private static void fitOnce(MultiLayerConfiguration conf, long[] featureShape, long[] labelShape) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray labels = Nd4j.zeros(DataType.FLOAT, labelShape);
        labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .assign(1.0);
        net.fit(new DataSet(Nd4j.rand(DataType.FLOAT, featureShape), labels));
        assertThat(net.params().isNaN().any()).isFalse();
    }

    @Test
    void docsShowExactlyTheCodeCompiledHere() throws IOException {
        Map<String, String> compiled = taggedRegions(Files.readString(THIS_FILE));
        Map<String, String> documented = new LinkedHashMap<>();
        Pattern snippet = Pattern.compile("<!-- snippet: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
        List<Path> pages;
        try (Stream<Path> files = Files.list(DOCS)) {
            pages = files.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList());
        }
        pages.add(README);
        for (Path page : pages) {
            Matcher m = snippet.matcher(Files.readString(page));
            while (m.find()) {
                documented.put(m.group(1), normalize(m.group(2)));
            }
        }
        assertThat(documented).containsOnlyKeys("standard", "time-shared", "spatial", "recurrent", "monte-carlo",
                "audit", "readme", "variational-lstm", "variational-simple-rnn",
                "toolkit");
        for (Map.Entry<String, String> e : documented.entrySet()) {
            assertThat(e.getValue()).as("docs snippet '%s' vs DocSnippetsTest", e.getKey())
                    .isEqualTo(compiled.get(e.getKey()));
        }
    }

    private static Map<String, String> taggedRegions(String source) {
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher m = Pattern.compile("// tag::([\\w-]+)\\[\\]\\n(.*?)\\n\\s*// end::\\1\\[\\]", Pattern.DOTALL)
                .matcher(source);
        while (m.find()) {
            regions.put(m.group(1), normalize(m.group(2)));
        }
        return regions;
    }

    /** Removes the common indentation and trailing blanks, so only the code itself is compared. */
    private static String normalize(String code) {
        List<String> lines = new ArrayList<>(List.of(code.stripTrailing().split("\n", -1)));
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
                .collect(Collectors.joining("\n"));
    }
}
