package io.github.dl4jdropout.examples.uncertainty;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.Audits;
import io.github.dl4jdropout.examples.support.CommandLine;
import io.github.dl4jdropout.examples.support.CommonFlags;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.Histories;
import io.github.dl4jdropout.examples.support.McTables;
import io.github.dl4jdropout.examples.support.MnistData;
import io.github.dl4jdropout.examples.support.MnistOptions;
import io.github.dl4jdropout.examples.support.Option;
import io.github.dl4jdropout.examples.support.Plots;
import io.github.dl4jdropout.examples.support.Progress;
import io.github.dl4jdropout.examples.support.Require;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.examples.support.Training.Epoch;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Monte Carlo dropout as a "don't know" signal (Gal and Ghahramani 2016, "Dropout as a Bayesian Approximation",
 * ICML, Figure 4): a classifier trained on upright MNIST digits is shown the test digits rotated from 0 to 180
 * degrees, and images of uniform noise.
 *
 * <p>A 784-H-H-10 ReLU network with {@code Dropouts.standard} on the pixels and on both hidden layers is trained on
 * upright digits. {@link MonteCarloEvaluator} then compares T stochastic passes (dropout on) with standard inference
 * (dropout off) and measures:
 * <ol>
 *     <li>per rotation angle: accuracy, mean predictive entropy (total uncertainty) and mean mutual information
 *     (the model's own, epistemic uncertainty; BALD), which rise as the digits leave the training distribution;</li>
 *     <li>out-of-distribution detection ({@link OodDetection}): the AUROC of separating upright test digits from
 *     noise images (and from digits rotated by 90 degrees) by Monte Carlo mutual information (and AUPR, FPR at 95%
 *     TPR, with the library's {@code OodMetrics}), against the usual
 *     baseline, one minus the maximum softmax probability of standard inference (Hendrycks and Gimpel 2017);</li>
 *     <li>calibration and selective prediction ({@link Calibration}): temperature scaling (Guo et al. 2017) of
 *     both inferences fitted on half of the upright test digits and scored on the other half, and risk-coverage
 *     curves (accuracy when the network may abstain on its least certain digits) by uncertainty score;</li>
 *     <li>calibration: {@link ReliabilityDiagram}s (accuracy against confidence per bin, from the
 *     {@link McReport}) of Monte Carlo against standard inference, on upright digits and pooled over all
 *     angles.</li>
 * </ol>
 */
public final class UncertaintyExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "uncertainty";

    /** The rotation angle used as a second out-of-distribution set for the AUROC. */
    public static final int OOD_ANGLE = 90;

    private static final int EVAL_BATCH = 250;

    /** The columns of the table by rotation angle. */
    private static final List<McTables.Column> ANGLE_COLUMNS = List.of(McTables.ACCURACY_MC,
            McTables.ACCURACY_STANDARD, McTables.ENTROPY_MC, McTables.ENTROPY_STANDARD, McTables.MUTUAL_INFORMATION_MC,
            McTables.NLL_MC, McTables.NLL_STANDARD, McTables.ECE_MC, McTables.ECE_STANDARD);

    private UncertaintyExample() {
    }

    /**
     * Settings of the uncertainty example. Change one with {@link #with}, e.g.
     * {@code defaults().with(Options.ANGLE_STEP, 45)}.
     *
     * @param common         shared settings; {@code testExamples} is the number of test digits that are rotated
     * @param hiddenUnits    units in each of the two hidden layers
     * @param inputDropRate  drop rate on the pixels
     * @param hiddenDropRate drop rate on the hidden layers' outputs
     * @param learningRate   Adam's learning rate
     * @param mcSamples      Monte Carlo passes T
     * @param angleStep      degrees between evaluated rotations, from 0 to 180; must divide 90
     * @param noiseImages    number of uniform-noise images
     */
    public record Options(CommonOptions common, int hiddenUnits, double inputDropRate, double hiddenDropRate,
                          double learningRate, int mcSamples, int angleStep, int noiseImages)
            implements MnistOptions<Options> {

        /** {@code --hidden N}. */
        public static final Option<Options, Integer> HIDDEN = Option.integer("hidden",
                "units in each of the two hidden layers", Options::hiddenUnits);
        /** {@code --input-drop R}. */
        public static final Option<Options, Double> INPUT_DROP = CommonFlags.inputDropRate(Options::inputDropRate);
        /** {@code --hidden-drop R}. */
        public static final Option<Options, Double> HIDDEN_DROP = CommonFlags.hiddenDropRate(Options::hiddenDropRate);
        /** {@code --lr R}. */
        public static final Option<Options, Double> LEARNING_RATE = CommonFlags.learningRate(Options::learningRate);
        /** {@code --mc-samples T}. */
        public static final Option<Options, Integer> MC_SAMPLES = CommonFlags.mcSamples(Options::mcSamples);
        /** {@code --angle-step D}. */
        public static final Option<Options, Integer> ANGLE_STEP = Option.integer("angle-step", "D",
                "degrees between the evaluated rotations from 0 to 180; must divide 90", Options::angleStep);
        /** {@code --noise-images N}. */
        public static final Option<Options, Integer> NOISE_IMAGES = Option.integer("noise-images",
                "images of uniform noise, the first out-of-distribution set", Options::noiseImages);
        /** The command line: the options above and the shared ones, help texts. */
        public static final CommandLine<Options> COMMAND_LINE = CommandLine.builder(NAME,
                        "MC dropout uncertainty on rotated digits and noise: entropy, MI, OOD AUROC, reliability",
                        Options::defaults)
                .common(Options::common)
                .options(HIDDEN, INPUT_DROP, HIDDEN_DROP, LEARNING_RATE, MC_SAMPLES, ANGLE_STEP, NOISE_IMAGES)
                .build(v -> new Options(v.common(), v.get(HIDDEN), v.get(INPUT_DROP), v.get(HIDDEN_DROP),
                        v.get(LEARNING_RATE), v.get(MC_SAMPLES), v.get(ANGLE_STEP), v.get(NOISE_IMAGES)));

        /** Validates every field. */
        public Options {
            Require.notNull("common", common);
            Require.atLeast("hiddenUnits", hiddenUnits, 1);
            Require.dropRate("inputDropRate", inputDropRate);
            Require.dropRate("hiddenDropRate", hiddenDropRate);
            if (inputDropRate == 0 && hiddenDropRate == 0) {
                throw new IllegalArgumentException("Monte Carlo dropout needs dropout: inputDropRate and"
                        + " hiddenDropRate are both 0");
            }
            Require.positive("learningRate", learningRate);
            Require.atLeast("mcSamples", mcSamples, 2);
            if (angleStep < 1 || 90 % angleStep != 0) {
                throw new IllegalArgumentException("angleStep must be a positive divisor of 90 (so that 90 and 180"
                        + " are evaluated), got " + angleStep);
            }
            Require.atLeast("noiseImages", noiseImages, 1);
        }

        /**
         * Defaults, sized for a few minutes on 2 cores: 784-512-512-10, drop 0.2 on the pixels and 0.5 on the hidden
         * layers, 10 epochs on a seeded random 10,000 training images, batch 128; 1,000 test digits at 13 angles
         * (0, 15, ..., 180 degrees) and 1,000 noise images, T = 50.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(CommonOptions.of(10, 128, 10_000, 1_000, 42, NAME), 512, 0.2, 0.5, 1e-3, 50, 15,
                    1_000);
        }

        /**
         * Reads options from the command line; {@code ./run-example uncertainty --help} lists them.
         *
         * @param argv any of the options of {@link #COMMAND_LINE}
         * @return validated options
         * @throws IllegalArgumentException on an unknown option (the message lists the known ones) or a bad value
         */
        public static Options parse(String... argv) {
            return COMMAND_LINE.parse(argv);
        }

        /** @return the evaluated angles, 0 to 180 degrees */
        public int[] angles() {
            return IntStream.rangeClosed(0, 180 / angleStep).map(i -> i * angleStep).toArray();
        }

        @Override
        public CommandLine<Options> commandLine() {
            return COMMAND_LINE;
        }
    }

    /**
     * Monte Carlo and standard inference on the test digits rotated by one angle.
     *
     * @param degrees rotation
     * @param report  the evaluator's report: accuracy, NLL, Brier score, ECE, mean entropy and mutual information
     */
    public record AngleRow(int degrees, McReport report) {
        /** @return accuracy of the Monte Carlo average */
        public double mcAccuracy() {
            return report.mc().asClassification().accuracy();
        }

        /** @return accuracy of standard inference */
        public double deterministicAccuracy() {
            return report.deterministic().asClassification().accuracy();
        }

        /** @return mean predictive entropy of the Monte Carlo average, nats */
        public double mcEntropy() {
            return report.mc().asClassification().meanPredictiveEntropy();
        }

        /** @return mean entropy of standard inference's softmax, nats */
        public double deterministicEntropy() {
            return report.deterministic().asClassification().meanPredictiveEntropy();
        }

        /** @return mean mutual information (epistemic uncertainty), nats */
        public double mcMutualInformation() {
            return report.mc().asClassification().meanMutualInformation();
        }
    }

    /**
     * What the example measured.
     *
     * @param options  the settings it ran with
     * @param history  per-epoch training history
     * @param angles   one row per rotation angle, 0 degrees first
     * @param pooled   the reports of all angles merged (digits rotated anywhere from 0 to 180 degrees)
     * @param auroc    out-of-distribution detection, noise first, then digits rotated by {@value #OOD_ANGLE}
     * @param temperature temperature scaling of standard and Monte Carlo inference on upright digits
     * @param selective   risk-coverage curves of upright digits by uncertainty score
     * @param audit    the dropout audit of the configuration
     * @param table    the printed tables
     * @param plots    the PNG files written
     */
    public record Result(Options options, List<Epoch> history, List<AngleRow> angles, McReport pooled,
                         List<OodDetection> auroc, List<Calibration.TemperatureRow> temperature,
                         List<Calibration.SelectiveRow> selective, AuditReport audit, String table,
                         List<Path> plots) {
        /** @return the row of upright digits */
        public AngleRow upright() {
            return angles.get(0);
        }

        /** @param degrees an evaluated angle @return its row */
        public AngleRow at(int degrees) {
            return angles.stream().filter(a -> a.degrees() == degrees).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("angle " + degrees + " was not evaluated"));
        }

        /** @return the AUROC row of the noise images */
        public OodDetection noise() {
            return auroc.get(0);
        }
    }

    /**
     * The network's configuration: 784-H-H-10, ReLU, softmax, Adam; {@code Dropouts.standard} on the pixels and on
     * both hidden layers' outputs (a DL4J layer's dropout acts on its input).
     *
     * @param options settings
     * @return the configuration
     */
    public static MultiLayerConfiguration configuration(Options options) {
        int h = options.hiddenUnits();
        return new NeuralNetConfiguration.Builder()
                .seed(options.common().seed())
                .weightInit(WeightInit.RELU)
                .updater(new Adam(options.learningRate()))
                .list()
                .layer(new DenseLayer.Builder().nIn(28 * 28).nOut(h).activation(Activation.RELU)
                        .dropOut(Dropouts.standard(options.inputDropRate())).build())
                .layer(new DenseLayer.Builder().nIn(h).nOut(h).activation(Activation.RELU)
                        .dropOut(Dropouts.standard(options.hiddenDropRate())).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(h).nOut(10)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(options.hiddenDropRate())).build())
                .build();
    }

    /**
     * Runs the whole example: audit, training, rotations, noise, AUROC, tables, plots and CSV files.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        CommonOptions c = options.common();
        DataSetIterator train = MnistData.iterator(c.batchSize(), c.trainExamples(), true, c.seed());
        DataSetIterator test = MnistData.iterator(c.batchSize(), c.testExamples(), false, c.seed());
        System.out.printf("MLP 784-%d-%d-10, dropout %.2f on the pixels and %.2f on the hidden layers, trained on"
                        + " %,d upright MNIST digits for %d epochs; %,d test digits at %d angles, %,d noise images,"
                        + " T = %d%n", options.hiddenUnits(), options.hiddenUnits(), options.inputDropRate(),
                options.hiddenDropRate(), c.trainExamples(), c.epochs(), c.testExamples(), options.angles().length,
                options.noiseImages(), options.mcSamples());

        MultiLayerConfiguration conf = configuration(options);
        AuditReport audit = Audits.print(null, DropoutAudit.forMonteCarlo(conf));
        MultiLayerNetwork net = Training.network(conf);
        List<Epoch> history = Training.fit("training", net, train, test, c.epochs());

        DataSet upright = MnistData.iterator(c.testExamples(), c.testExamples(), false, c.seed()).next();
        INDArray noise = OodDetection.noiseImages(options.noiseImages(), c.seed() + 1);
        int[] angles = options.angles();
        List<AngleRow> rows = new ArrayList<>();
        List<OodDetection> auroc;
        List<Calibration.TemperatureRow> temperature;
        List<Calibration.SelectiveRow> selective;
        int batchesPerAngle = (c.testExamples() + EVAL_BATCH - 1) / EVAL_BATCH;
        try (ProgressBar bar = Progress.start("MC T=" + options.mcSamples(), (long) angles.length * batchesPerAngle
                + 3)) {
            // Samples are kept for the variation ratio and Monte Carlo temperature scaling (predict only).
            MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(options.mcSamples()).seed(c.seed())
                    .keepSamples(true).progress((batches, examples) -> bar.step()).build();
            for (int degrees : angles) {
                INDArray rotated = ImageRotation.rotate(upright.getFeatures(), degrees);
                DataSet ds = new DataSet(rotated, upright.getLabels());
                rows.add(new AngleRow(degrees, mc.evaluate(new ExistingDataSetIterator(ds.batchBy(EVAL_BATCH)))));
                bar.setExtraMessage(" " + degrees + " deg");
            }
            McPrediction in = mc.predict(upright.getFeatures());
            bar.step();
            McPrediction onNoise = mc.predict(noise);
            bar.step();
            McPrediction on90 = mc.predict(ImageRotation.rotate(upright.getFeatures(), OOD_ANGLE));
            bar.step();
            auroc = List.of(OodDetection.of("uniform noise images", in, onNoise),
                    OodDetection.of("digits rotated " + OOD_ANGLE + " deg", in, on90));
            temperature = Calibration.temperature(in, upright.getLabels());
            selective = Calibration.selective(in, upright.getLabels());
        }
        McReport pooled = rows.get(0).report();
        for (int i = 1; i < rows.size(); i++) {
            pooled = pooled.merge(rows.get(i).report());
        }
        Map<String, McReport> byAngle = new LinkedHashMap<>();
        rows.forEach(r -> byAngle.put(r.degrees() + " deg", r.report()));
        byAngle.put("pooled 0-180", pooled);

        String tables = printTables(options, history, byAngle, auroc, Calibration.tables(temperature, selective));
        Path dir = c.outputDir();
        Csv.write(dir.resolve("uncertainty-by-angle.csv"), McTables.csv("rotation", byAngle,
                label -> List.of(label.replace(' ', '_')), ANGLE_COLUMNS));
        Csv.write(dir.resolve("uncertainty-auroc.csv"), OodDetection.csv(auroc));
        Csv.write(dir.resolve("uncertainty-temperature.csv"), Calibration.temperatureCsv(temperature));
        Csv.write(dir.resolve("uncertainty-risk-coverage.csv"), Calibration.riskCoverageCsv(selective));
        Map<String, McReport> reliability = new LinkedHashMap<>();
        reliability.put("upright", rows.get(0).report());
        reliability.put("pooled", pooled);
        Csv.write(dir.resolve("uncertainty-reliability.csv"), ReliabilityDiagram.csv(reliability));
        List<Path> plots = List.of(
                anglePlot(dir.resolve("uncertainty-accuracy-vs-angle.png"),
                        "Accuracy on rotated test digits (trained upright)", "accuracy (%)", rows, List.of(
                                Map.entry("MC dropout", r -> 100 * r.mcAccuracy()),
                                Map.entry("standard inference", r -> 100 * r.deterministicAccuracy()))),
                anglePlot(dir.resolve("uncertainty-entropy-vs-angle.png"),
                        "Uncertainty on rotated test digits (cf. Gal & Ghahramani 2016, Fig. 4)",
                        "mean over test digits (nats)", rows, List.of(
                                Map.entry("MC predictive entropy", AngleRow::mcEntropy),
                                Map.entry("MC mutual information", AngleRow::mcMutualInformation),
                                Map.entry("standard inference entropy", AngleRow::deterministicEntropy))),
                ReliabilityDiagram.plot(dir.resolve("uncertainty-reliability-upright.png"),
                        "Reliability on upright test digits", rows.get(0).report()),
                ReliabilityDiagram.plot(dir.resolve("uncertainty-reliability-rotated.png"),
                        "Reliability on test digits rotated 0 to 180 deg (pooled)", pooled));
        System.out.println("Plots and CSV files written to " + dir);
        return new Result(options, history, List.copyOf(rows), pooled, auroc, temperature, selective, audit, tables,
                plots);
    }

    private static String printTables(Options options, List<Epoch> history, Map<String, McReport> byAngle,
                                      List<OodDetection> auroc, String calibration) {
        Epoch last = Histories.last(history);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "After %d epochs: train error %s, test error %s (standard inference)%n%n",
                last.epoch(), Table.pct(last.trainError()), Table.pct(last.testError())));
        out.append("Monte Carlo report on upright test digits:\n").append(byAngle.get("0 deg")).append("\n\n");
        out.append("Test digits rotated (T = ").append(options.mcSamples()).append("):\n")
                .append(McTables.table("rotation", byAngle, label -> label, ANGLE_COLUMNS)).append('\n');
        out.append("Out-of-distribution detection:\n").append(OodDetection.table(auroc)).append('\n');
        out.append("Calibration and selective prediction on upright test digits:\n").append(calibration);
        String text = out.toString();
        System.out.println();
        System.out.println(text);
        return text;
    }

    private static Path anglePlot(Path file, String title, String yLabel, List<AngleRow> rows,
                                  List<Map.Entry<String, ToDoubleFunction<AngleRow>>> series) {
        double[] x = rows.stream().mapToDouble(AngleRow::degrees).toArray();
        List<Plots.Line> lines = new ArrayList<>();
        for (Map.Entry<String, ToDoubleFunction<AngleRow>> s : series) {
            lines.add(Plots.Line.solid(s.getKey(), x, rows.stream().mapToDouble(s.getValue()).toArray()));
        }
        return Plots.lineChart(file, title, "rotation (degrees)", yLabel, false, lines);
    }

    /**
     * Command line: {@code ./run-example uncertainty --help} lists the options.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Options.COMMAND_LINE.main(args, UncertaintyExample::run);
    }
}
