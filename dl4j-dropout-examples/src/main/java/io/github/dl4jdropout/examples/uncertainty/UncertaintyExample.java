package io.github.dl4jdropout.examples.uncertainty;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.Args;
import io.github.dl4jdropout.examples.support.Cli;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.MnistData;
import io.github.dl4jdropout.examples.support.Plots;
import io.github.dl4jdropout.examples.support.Progress;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.examples.support.Training.Epoch;
import io.github.dl4jdropout.montecarlo.ClassificationMetrics;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
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
 *     <li>out-of-distribution detection: the AUROC of separating upright test digits from noise images (and from
 *     digits rotated by 90 degrees) by Monte Carlo mutual information, against the usual baseline, one minus
 *     the maximum softmax probability of standard inference (Hendrycks and Gimpel 2017);</li>
 *     <li>calibration: reliability diagrams (accuracy against confidence per bin, from the {@link McReport}) of
 *     Monte Carlo against standard inference, on upright digits and pooled over all angles.</li>
 * </ol>
 */
public final class UncertaintyExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "uncertainty";

    /** The rotation angle used as a second out-of-distribution set for the AUROC. */
    public static final int OOD_ANGLE = 90;

    private static final int EVAL_BATCH = 250;

    private static final String USAGE = "[--epochs N] [--batch N] [--train N] [--test N] [--seed N] [--out DIR]"
            + " [--hidden N] [--input-drop R] [--hidden-drop R] [--lr R] [--mc-samples T] [--angle-step D]"
            + " [--noise-images N]";

    private UncertaintyExample() {
    }

    /**
     * Settings of the uncertainty example.
     *
     * @param common         shared settings; {@code testExamples} is the number of test digits that are rotated
     * @param hiddenUnits    units in each of the two hidden layers
     * @param inputDropRate  drop rate on the pixels
     * @param hiddenDropRate drop rate on the hidden layers' outputs
     * @param learningRate   Adam's learning rate
     * @param mcSamples      Monte Carlo passes T
     * @param angleStep      degrees between evaluated rotations, from 0 to 180; must divide 180 and 90
     * @param noiseImages    number of uniform-noise images
     */
    public record Options(CommonOptions common, int hiddenUnits, double inputDropRate, double hiddenDropRate,
                          double learningRate, int mcSamples, int angleStep, int noiseImages) {

        /** Validates every field. */
        public Options {
            if (common == null) {
                throw new IllegalArgumentException("common must not be null");
            }
            if (hiddenUnits < 1) {
                throw new IllegalArgumentException("hiddenUnits must be at least 1, got " + hiddenUnits);
            }
            checkRate("inputDropRate", inputDropRate);
            checkRate("hiddenDropRate", hiddenDropRate);
            if (inputDropRate == 0 && hiddenDropRate == 0) {
                throw new IllegalArgumentException("Monte Carlo dropout needs dropout: inputDropRate and"
                        + " hiddenDropRate are both 0");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
            }
            if (mcSamples < 2) {
                throw new IllegalArgumentException("mcSamples must be at least 2, got " + mcSamples);
            }
            if (angleStep < 1 || 90 % angleStep != 0) {
                throw new IllegalArgumentException("angleStep must be a positive divisor of 90 (so that 90 and 180"
                        + " are evaluated), got " + angleStep);
            }
            if (noiseImages < 1) {
                throw new IllegalArgumentException("noiseImages must be at least 1, got " + noiseImages);
            }
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
         * Reads options from the command line.
         *
         * @param argv any of {@code --epochs --batch --train --test --seed --out --hidden --input-drop --hidden-drop
         *             --lr --mc-samples --angle-step --noise-images}
         * @return validated options
         * @throws IllegalArgumentException on an unknown option or a bad value
         */
        public static Options parse(String... argv) {
            Args args = Args.parse(argv, Set.of());
            Options d = defaults();
            Options o = new Options(args.common(d.common()),
                    args.getInt("hidden", d.hiddenUnits()),
                    args.getDouble("input-drop", d.inputDropRate()),
                    args.getDouble("hidden-drop", d.hiddenDropRate()),
                    args.getDouble("lr", d.learningRate()),
                    args.getInt("mc-samples", d.mcSamples()),
                    args.getInt("angle-step", d.angleStep()),
                    args.getInt("noise-images", d.noiseImages()));
            args.finish();
            return o;
        }

        /** @param value shared settings @return a copy with {@code common} replaced */
        public Options withCommon(CommonOptions value) {
            return new Options(value, hiddenUnits, inputDropRate, hiddenDropRate, learningRate, mcSamples, angleStep,
                    noiseImages);
        }

        /** @param value hidden units @return a copy with {@code hiddenUnits} replaced */
        public Options withHiddenUnits(int value) {
            return new Options(common, value, inputDropRate, hiddenDropRate, learningRate, mcSamples, angleStep,
                    noiseImages);
        }

        /** @param value T @return a copy with {@code mcSamples} replaced */
        public Options withMcSamples(int value) {
            return new Options(common, hiddenUnits, inputDropRate, hiddenDropRate, learningRate, value, angleStep,
                    noiseImages);
        }

        /** @param value degrees between angles @return a copy with {@code angleStep} replaced */
        public Options withAngleStep(int value) {
            return new Options(common, hiddenUnits, inputDropRate, hiddenDropRate, learningRate, mcSamples, value,
                    noiseImages);
        }

        /** @param value noise images @return a copy with {@code noiseImages} replaced */
        public Options withNoiseImages(int value) {
            return new Options(common, hiddenUnits, inputDropRate, hiddenDropRate, learningRate, mcSamples,
                    angleStep, value);
        }

        /** @return the evaluated angles, 0 to 180 degrees */
        public int[] angles() {
            return java.util.stream.IntStream.rangeClosed(0, 180 / angleStep).map(i -> i * angleStep).toArray();
        }

        private static void checkRate(String name, double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException(name + " must be a drop rate in [0, 1), got " + rate);
            }
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
            return mc().accuracy();
        }

        /** @return accuracy of standard inference */
        public double deterministicAccuracy() {
            return standard().accuracy();
        }

        /** @return mean predictive entropy of the Monte Carlo average, nats */
        public double mcEntropy() {
            return mc().meanPredictiveEntropy();
        }

        /** @return mean entropy of standard inference's softmax, nats */
        public double deterministicEntropy() {
            return standard().meanPredictiveEntropy();
        }

        /** @return mean mutual information (epistemic uncertainty), nats */
        public double mcMutualInformation() {
            return mc().meanMutualInformation();
        }

        private ClassificationMetrics mc() {
            return report.mc().asClassification();
        }

        private ClassificationMetrics standard() {
            return report.deterministic().asClassification();
        }
    }

    /**
     * Out-of-distribution detection: AUROC of separating upright test digits from an out-of-distribution set.
     *
     * @param outOfDistribution       what the OOD set is
     * @param mcMutualInformation     AUROC of the Monte Carlo mutual information
     * @param mcEntropy               AUROC of the Monte Carlo predictive entropy
     * @param deterministicMaxSoftmax AUROC of {@code 1 - max softmax probability} of standard inference
     * @param deterministicEntropy    AUROC of the entropy of standard inference's softmax
     * @param meanMutualInformation   mean Monte Carlo mutual information on the OOD set, nats
     * @param meanMaxSoftmax          mean maximum softmax probability of standard inference on the OOD set
     */
    public record AurocRow(String outOfDistribution, double mcMutualInformation, double mcEntropy,
                           double deterministicMaxSoftmax, double deterministicEntropy, double meanMutualInformation,
                           double meanMaxSoftmax) {
    }

    /**
     * What the example measured.
     *
     * @param options  the settings it ran with
     * @param history  per-epoch training history
     * @param angles   one row per rotation angle, 0 degrees first
     * @param pooled   the reports of all angles merged (digits rotated anywhere from 0 to 180 degrees)
     * @param auroc    out-of-distribution detection, noise first, then digits rotated by {@value #OOD_ANGLE}
     * @param audit    the dropout audit of the configuration
     * @param table    the printed tables
     * @param plots    the PNG files written
     */
    public record Result(Options options, List<Epoch> history, List<AngleRow> angles, McReport pooled,
                         List<AurocRow> auroc, AuditReport audit, String table, List<Path> plots) {
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
        public AurocRow noise() {
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
     * Images of independent uniform pixels in [0, 1]: inputs from no digit at all.
     *
     * @param n    number of images
     * @param seed seed
     * @return {@code [n, 784]} float array
     */
    public static INDArray noiseImages(int n, long seed) {
        Random rng = new Random(seed);
        float[][] pixels = new float[n][28 * 28];
        for (float[] row : pixels) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextFloat();
            }
        }
        return Nd4j.create(pixels);
    }

    /**
     * Runs the whole example: audit, training, rotations, noise, AUROC, tables, plots and CSV files.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        CommonOptions c = options.common();
        MnistData.ensureAvailable();
        DataSetIterator train = MnistData.iterator(c.batchSize(), c.trainExamples(), true, c.seed());
        DataSetIterator test = MnistData.iterator(c.batchSize(), c.testExamples(), false, c.seed());
        System.out.printf("MLP 784-%d-%d-10, dropout %.2f on the pixels and %.2f on the hidden layers, trained on"
                        + " %,d upright MNIST digits for %d epochs; %,d test digits at %d angles, %,d noise images,"
                        + " T = %d%n", options.hiddenUnits(), options.hiddenUnits(), options.inputDropRate(),
                options.hiddenDropRate(), c.trainExamples(), c.epochs(), c.testExamples(), options.angles().length,
                options.noiseImages(), options.mcSamples());

        MultiLayerConfiguration conf = configuration(options);
        AuditReport audit = DropoutAudit.forMonteCarlo(conf);
        System.out.println(audit);
        audit.requireNoErrors();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<Epoch> history = Training.fit("training", net, train, test, c.epochs());

        DataSet upright = MnistData.iterator(c.testExamples(), c.testExamples(), false, c.seed()).next();
        INDArray noise = noiseImages(options.noiseImages(), c.seed() + 1);
        int[] angles = options.angles();
        List<AngleRow> rows = new ArrayList<>();
        List<AurocRow> auroc;
        int batchesPerAngle = (c.testExamples() + EVAL_BATCH - 1) / EVAL_BATCH;
        try (ProgressBar bar = Progress.start("MC T=" + options.mcSamples(), (long) angles.length * batchesPerAngle
                + 3)) {
            MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(options.mcSamples()).seed(c.seed())
                    .progress((batches, examples) -> bar.step()).build();
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
            auroc = List.of(aurocRow("uniform noise images", in, onNoise),
                    aurocRow("digits rotated " + OOD_ANGLE + " deg", in, on90));
        }
        McReport pooled = rows.get(0).report();
        for (int i = 1; i < rows.size(); i++) {
            pooled = pooled.merge(rows.get(i).report());
        }

        String tables = printTables(options, history, rows, pooled, auroc);
        Path dir = c.outputDir();
        Csv.write(dir.resolve("uncertainty-by-angle.csv"), angleCsv(rows));
        Csv.write(dir.resolve("uncertainty-auroc.csv"), aurocCsv(auroc));
        Csv.write(dir.resolve("uncertainty-reliability.csv"), reliabilityCsv(rows.get(0).report(), pooled));
        List<Path> plots = List.of(
                accuracyPlot(dir.resolve("uncertainty-accuracy-vs-angle.png"), rows),
                uncertaintyPlot(dir.resolve("uncertainty-entropy-vs-angle.png"), rows),
                reliabilityPlot(dir.resolve("uncertainty-reliability-upright.png"),
                        "Reliability on upright test digits", rows.get(0).report()),
                reliabilityPlot(dir.resolve("uncertainty-reliability-rotated.png"),
                        "Reliability on test digits rotated 0 to 180 deg (pooled)", pooled));
        System.out.println("Plots and CSV files written to " + dir);
        return new Result(options, history, List.copyOf(rows), pooled, auroc, audit, tables, plots);
    }

    private static AurocRow aurocRow(String label, McPrediction in, McPrediction out) {
        return new AurocRow(label,
                Auroc.of(values(in.mutualInformation()), values(out.mutualInformation())),
                Auroc.of(values(in.predictiveEntropy()), values(out.predictiveEntropy())),
                Auroc.of(oneMinusMaxSoftmax(in), oneMinusMaxSoftmax(out)),
                Auroc.of(entropy(in.deterministic()), entropy(out.deterministic())),
                out.mutualInformation().castTo(DataType.DOUBLE).meanNumber().doubleValue(),
                out.deterministic().max(1).castTo(DataType.DOUBLE).meanNumber().doubleValue());
    }

    /**
     * The baseline out-of-distribution score of Hendrycks and Gimpel (2017): one minus the largest class
     * probability of standard inference.
     *
     * @param p a prediction
     * @return one score per example, higher means "less sure"
     */
    static double[] oneMinusMaxSoftmax(McPrediction p) {
        return values(p.deterministic().max(1).rsub(1.0));
    }

    private static double[] entropy(INDArray probabilities) {
        INDArray p = probabilities.castTo(DataType.DOUBLE);
        INDArray logP = org.nd4j.linalg.ops.transforms.Transforms.log(
                org.nd4j.linalg.ops.transforms.Transforms.max(p, 1e-15), true);
        return values(p.mul(logP).sum(1).negi());
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    private static String printTables(Options options, List<Epoch> history, List<AngleRow> rows, McReport pooled,
                                      List<AurocRow> auroc) {
        Epoch last = history.get(history.size() - 1);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "After %d epochs: train error %s, test error %s (standard inference)%n%n",
                last.epoch(), Table.pct(last.trainError()), Table.pct(last.testError())));
        out.append("Monte Carlo report on upright test digits:\n").append(rows.get(0).report()).append("\n\n");

        Table byAngle = new Table("rotation", "accuracy MC", "accuracy standard", "entropy MC (nats)",
                "entropy standard", "mutual information MC", "NLL MC", "NLL standard", "ECE MC", "ECE standard");
        for (AngleRow r : rows) {
            ClassificationMetrics m = r.report().mc().asClassification();
            ClassificationMetrics d = r.report().deterministic().asClassification();
            byAngle.row(r.degrees() + " deg", Table.pct(r.mcAccuracy()), Table.pct(r.deterministicAccuracy()),
                    f3(r.mcEntropy()), f3(r.deterministicEntropy()), f3(r.mcMutualInformation()),
                    f3(m.negativeLogLikelihood()), f3(d.negativeLogLikelihood()),
                    f3(m.expectedCalibrationError()), f3(d.expectedCalibrationError()));
        }
        ClassificationMetrics pm = pooled.mc().asClassification();
        ClassificationMetrics pd = pooled.deterministic().asClassification();
        byAngle.row("pooled 0-180", Table.pct(pm.accuracy()), Table.pct(pd.accuracy()),
                f3(pm.meanPredictiveEntropy()), f3(pd.meanPredictiveEntropy()),
                f3(pm.meanMutualInformation()), f3(pm.negativeLogLikelihood()),
                f3(pd.negativeLogLikelihood()), f3(pm.expectedCalibrationError()),
                f3(pd.expectedCalibrationError()));
        out.append("Test digits rotated (T = ").append(options.mcSamples()).append("):\n").append(byAngle)
                .append('\n');

        Table ood = new Table("in: upright test digits vs out:", "AUROC MC mutual information",
                "AUROC MC entropy", "AUROC standard 1 - max softmax", "AUROC standard entropy",
                "mean MI on out (nats)", "mean max softmax on out");
        for (AurocRow a : auroc) {
            ood.row(a.outOfDistribution(), f3(a.mcMutualInformation()), f3(a.mcEntropy()),
                    f3(a.deterministicMaxSoftmax()), f3(a.deterministicEntropy()), f3(a.meanMutualInformation()),
                    f3(a.meanMaxSoftmax()));
        }
        out.append("Out-of-distribution detection:\n").append(ood);
        String text = out.toString();
        System.out.println();
        System.out.println(text);
        return text;
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static Path accuracyPlot(Path file, List<AngleRow> rows) {
        double[] x = rows.stream().mapToDouble(AngleRow::degrees).toArray();
        return Plots.lineChart(file, "Accuracy on rotated test digits (trained upright)", "rotation (degrees)",
                "accuracy (%)", false, List.of(
                        Plots.Line.solid("MC dropout", x, rows.stream().mapToDouble(r -> 100 * r.mcAccuracy())
                                .toArray()),
                        Plots.Line.solid("standard inference", x, rows.stream()
                                .mapToDouble(r -> 100 * r.deterministicAccuracy()).toArray())));
    }

    private static Path uncertaintyPlot(Path file, List<AngleRow> rows) {
        double[] x = rows.stream().mapToDouble(AngleRow::degrees).toArray();
        return Plots.lineChart(file, "Uncertainty on rotated test digits (cf. Gal & Ghahramani 2016, Fig. 4)",
                "rotation (degrees)", "mean over test digits (nats)", false, List.of(
                        Plots.Line.solid("MC predictive entropy", x, rows.stream()
                                .mapToDouble(AngleRow::mcEntropy).toArray()),
                        Plots.Line.solid("MC mutual information", x, rows.stream()
                                .mapToDouble(AngleRow::mcMutualInformation).toArray()),
                        Plots.Line.solid("standard inference entropy", x, rows.stream()
                                .mapToDouble(AngleRow::deterministicEntropy).toArray())));
    }

    /**
     * Writes a reliability diagram: accuracy against mean confidence in each non-empty confidence bin, for Monte
     * Carlo and standard inference, with the diagonal of perfect calibration.
     *
     * @param file   PNG file
     * @param title  chart title
     * @param report the report whose bins are drawn
     * @return {@code file}
     */
    public static Path reliabilityPlot(Path file, String title, McReport report) {
        XYChart chart = new XYChartBuilder().width(700).height(620).title(title)
                .xAxisTitle("confidence (mean top-class probability in bin)").yAxisTitle("accuracy in bin").build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        XYSeries diagonal = chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(Color.GRAY);
        ClassificationMetrics mc = report.mc().asClassification();
        ClassificationMetrics standard = report.deterministic().asClassification();
        addBins(chart, String.format(Locale.ROOT, "MC dropout (ECE %.3f)", mc.expectedCalibrationError()), mc);
        addBins(chart, String.format(Locale.ROOT, "standard (ECE %.3f)", standard.expectedCalibrationError()),
                standard);
        return Plots.save(chart, file);
    }

    private static void addBins(XYChart chart, String name, ClassificationMetrics m) {
        long[] counts = m.binCounts();
        double[] conf = m.binConfidences();
        double[] acc = m.binAccuracies();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                x.add(conf[b]);
                y.add(acc[b]);
            }
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    private static List<String> angleCsv(List<AngleRow> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("degrees,mc_accuracy,det_accuracy,mc_entropy,det_entropy,mc_mutual_information,mc_nll,det_nll,"
                + "mc_ece,det_ece");
        for (AngleRow r : rows) {
            ClassificationMetrics m = r.report().mc().asClassification();
            ClassificationMetrics d = r.report().deterministic().asClassification();
            lines.add(Csv.line(r.degrees(), r.mcAccuracy(), r.deterministicAccuracy(), r.mcEntropy(),
                    r.deterministicEntropy(), r.mcMutualInformation(), m.negativeLogLikelihood(),
                    d.negativeLogLikelihood(), m.expectedCalibrationError(), d.expectedCalibrationError()));
        }
        return lines;
    }

    private static List<String> aurocCsv(List<AurocRow> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("out_of_distribution,auroc_mc_mutual_information,auroc_mc_entropy,auroc_det_one_minus_max_softmax,"
                + "auroc_det_entropy,mean_mc_mutual_information,mean_det_max_softmax");
        for (AurocRow a : rows) {
            lines.add(Csv.line(a.outOfDistribution().replace(' ', '_'), a.mcMutualInformation(), a.mcEntropy(),
                    a.deterministicMaxSoftmax(), a.deterministicEntropy(), a.meanMutualInformation(),
                    a.meanMaxSoftmax()));
        }
        return lines;
    }

    private static List<String> reliabilityCsv(McReport upright, McReport pooled) {
        List<String> lines = new ArrayList<>();
        lines.add("data,inference,bin,count,mean_confidence,accuracy");
        for (var data : List.of(java.util.Map.entry("upright", upright), java.util.Map.entry("pooled", pooled))) {
            for (var inference : List.of(java.util.Map.entry("mc", data.getValue().mc().asClassification()),
                    java.util.Map.entry("standard", data.getValue().deterministic().asClassification()))) {
                ClassificationMetrics m = inference.getValue();
                for (int b = 0; b < m.calibrationBins(); b++) {
                    lines.add(Csv.line(data.getKey(), inference.getKey(), b, m.binCounts()[b],
                            m.binConfidences()[b], m.binAccuracies()[b]));
                }
            }
        }
        return lines;
    }

    /**
     * Command line: see {@link Options#parse}.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Cli.main(NAME, USAGE, args, Options::parse, UncertaintyExample::run);
    }
}
