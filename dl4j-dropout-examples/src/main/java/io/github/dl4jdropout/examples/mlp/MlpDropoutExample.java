package io.github.dl4jdropout.examples.mlp;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.Audits;
import io.github.dl4jdropout.examples.support.CommandLine;
import io.github.dl4jdropout.examples.support.CommonFlags;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.Histories;
import io.github.dl4jdropout.examples.support.MnistData;
import io.github.dl4jdropout.examples.support.MnistOptions;
import io.github.dl4jdropout.examples.support.Option;
import io.github.dl4jdropout.examples.support.Plots;
import io.github.dl4jdropout.examples.support.Require;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.examples.support.Training.Epoch;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Dropout on a fully connected network, on MNIST (Srivastava et al. 2014, section 6.1.1 and Figure 11).
 *
 * <p>The same 784-H-H-10 ReLU network is trained twice with the same seed, data and updater: once without dropout,
 * once with {@code Dropouts.standard(0.2)} on the input and {@code Dropouts.standard(0.5)} on both hidden layers.
 * The claims it measures:
 * <ol>
 *     <li>Without dropout the network fits its training set almost perfectly and the test error stays well above the
 *     training error; with dropout the gap between them shrinks and the test error is lower.</li>
 *     <li>Dropout costs little per epoch (a mask per layer), but needs more epochs to converge.</li>
 *     <li>Standard inference (no dropout, the inverted-dropout scaling already applied during training) matches
 *     averaging the predictions of k sampled thinned networks (Monte Carlo dropout) once k is a few dozen; with
 *     k = 1 Monte Carlo is much worse (the paper's Figure 11).</li>
 * </ol>
 *
 * <p>Both configurations go through {@link DropoutAudit} before training (the dropout network with
 * {@link DropoutAudit#forMonteCarlo}, since it is sampled afterwards). The Monte Carlo part uses
 * {@link MonteCarloEvaluator}: one {@code predict} with the raw samples kept gives the whole {@link McCurve} (the
 * mean of the first k samples, for every k), and one {@code evaluate} on the same test set gives accuracy, NLL, Brier
 * score and expected calibration error of Monte Carlo (T = the largest k) and standard inference side by side.
 */
public final class MlpDropoutExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "mlp";

    /**
     * Test images per Monte Carlo minibatch: the curve keeps the raw samples of one minibatch at a time
     * ({@code [T, 500, 10]}), so its memory does not grow with the test set.
     */
    public static final int MC_BATCH = 500;

    private MlpDropoutExample() {
    }

    /**
     * Settings of the MLP example. Change one with {@link #with}, e.g. {@code defaults().with(Options.HIDDEN, 64)}.
     *
     * @param common         shared settings
     * @param hiddenUnits    units in each of the two hidden layers
     * @param inputDropRate  drop rate on the input pixels (paper: 0.2)
     * @param hiddenDropRate drop rate on the hidden layers' outputs (paper: 0.5)
     * @param learningRate   Adam's learning rate, the same for both networks
     * @param mcSamples      largest number k of sampled networks averaged in the Monte Carlo comparison
     */
    public record Options(CommonOptions common, int hiddenUnits, double inputDropRate, double hiddenDropRate,
                          double learningRate, int mcSamples) implements MnistOptions<Options> {

        /** {@code --hidden N}. */
        public static final Option<Options, Integer> HIDDEN = Option.integer("hidden",
                "units in each of the two hidden layers", Options::hiddenUnits);
        /** {@code --input-drop R}. */
        public static final Option<Options, Double> INPUT_DROP = CommonFlags.inputDropRate(Options::inputDropRate);
        /** {@code --hidden-drop R}. */
        public static final Option<Options, Double> HIDDEN_DROP = CommonFlags.hiddenDropRate(Options::hiddenDropRate);
        /** {@code --lr R}. */
        public static final Option<Options, Double> LEARNING_RATE = CommonFlags.learningRate(Options::learningRate);
        /** {@code --mc-samples K}. */
        public static final Option<Options, Integer> MC_SAMPLES = Option.integer("mc-samples", "K",
                "largest number k of sampled networks averaged by Monte Carlo dropout", Options::mcSamples);
        /** The command line: the options above and the shared ones, {@code --full}, help texts. */
        public static final CommandLine<Options> COMMAND_LINE = CommandLine.builder(NAME,
                        "dropout vs none on a 784-H-H-10 MLP; Monte Carlo averaging vs standard inference",
                        Options::defaults)
                .full("closer to the paper: all 60,000 training images, 50 epochs (roughly 45 minutes)",
                        Options::full)
                .common(Options::common)
                .options(HIDDEN, INPUT_DROP, HIDDEN_DROP, LEARNING_RATE, MC_SAMPLES)
                .build(v -> new Options(v.common(), v.get(HIDDEN), v.get(INPUT_DROP), v.get(HIDDEN_DROP),
                        v.get(LEARNING_RATE), v.get(MC_SAMPLES)));

        /** Validates every field. */
        public Options {
            Require.notNull("common", common);
            Require.atLeast("hiddenUnits", hiddenUnits, 1);
            Require.dropRate("inputDropRate", inputDropRate);
            Require.dropRate("hiddenDropRate", hiddenDropRate);
            Require.positive("learningRate", learningRate);
            Require.atLeast("mcSamples", mcSamples, 1);
        }

        /**
         * Defaults, sized to finish in a few minutes on 2 cores: 784-1024-1024-10, a seeded random 5,000 of the
         * training images (few enough that the network without dropout overfits), 30 epochs, batch 128, all 10,000
         * test images, k up to 100.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(CommonOptions.of(30, 128, 5_000, 10_000, 42, NAME), 1024, 0.2, 0.5, 1e-3, 100);
        }

        /**
         * Closer to the paper: all 60,000 training images and 50 epochs (roughly 45 minutes on 2 cores, estimated
         * from the cost of one epoch; not yet measured).
         *
         * @return the larger options
         */
        public static Options full() {
            Options d = defaults();
            return d.withCommon(d.common().withTrainExamples(60_000).withEpochs(50));
        }

        /**
         * Reads options from the command line; {@code ./run-example mlp --help} lists them.
         *
         * @param argv {@code --full} for {@link #full()}, then any of the options of {@link #COMMAND_LINE}
         * @return validated options
         * @throws IllegalArgumentException on an unknown option (the message lists the known ones) or a bad value
         */
        public static Options parse(String... argv) {
            return COMMAND_LINE.parse(argv);
        }

        @Override
        public CommandLine<Options> commandLine() {
            return COMMAND_LINE;
        }
    }

    /**
     * What the example measured.
     *
     * @param options        the settings it ran with
     * @param auditWithout   the dropout audit of the configuration without dropout
     * @param auditWith      the Monte Carlo dropout audit of the configuration with dropout
     * @param withoutDropout per-epoch history of the network without dropout
     * @param withDropout    per-epoch history of the network with dropout
     * @param monteCarlo     Monte Carlo against standard inference for each k, for the network with dropout
     * @param report         the evaluator's report on the test set: Monte Carlo with T = {@code mcSamples} against
     *                       standard inference (accuracy, NLL, Brier score, ECE)
     * @param table          the summary table and the report, as printed
     * @param plots          the PNG files written
     */
    public record Result(Options options, AuditReport auditWithout, AuditReport auditWith, List<Epoch> withoutDropout,
                         List<Epoch> withDropout, McCurve monteCarlo, McReport report, String table,
                         List<Path> plots) {
        /** @return the last epoch without dropout */
        public Epoch finalWithoutDropout() {
            return Histories.last(withoutDropout);
        }

        /** @return the last epoch with dropout */
        public Epoch finalWithDropout() {
            return Histories.last(withDropout);
        }
    }

    /**
     * The network's configuration: 784-H-H-10, ReLU, softmax output, Adam.
     *
     * @param options     settings (units, rates, learning rate, seed)
     * @param withDropout whether to put dropout on the input and hidden layers
     * @return the configuration, with its formats checked
     */
    public static MultiLayerConfiguration configuration(Options options, boolean withDropout) {
        int h = options.hiddenUnits();
        DenseLayer.Builder hidden1 = new DenseLayer.Builder().nIn(28 * 28).nOut(h).activation(Activation.RELU);
        DenseLayer.Builder hidden2 = new DenseLayer.Builder().nIn(h).nOut(h).activation(Activation.RELU);
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(h).nOut(10).activation(Activation.SOFTMAX);
        if (withDropout) {
            // DL4J applies a layer's dropout to that layer's INPUT: 0.2 on the pixels, 0.5 on each hidden output.
            hidden1.dropOut(Dropouts.standard(options.inputDropRate()));
            hidden2.dropOut(Dropouts.standard(options.hiddenDropRate()));
            output.dropOut(Dropouts.standard(options.hiddenDropRate()));
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(options.common().seed())
                .weightInit(WeightInit.RELU)
                .updater(new Adam(options.learningRate()))
                .list()
                .layer(hidden1.build())
                .layer(hidden2.build())
                .layer(output.build())
                .build();
        Dropouts.checkFormats(conf);
        return conf;
    }

    /**
     * Runs the whole comparison, prints the table and writes plots and CSV files to the output folder.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        CommonOptions c = options.common();
        MnistData.ensureAvailable();
        DataSetIterator train = MnistData.iterator(c.batchSize(), c.trainExamples(), true, c.seed());
        DataSetIterator test = MnistData.iterator(c.batchSize(), c.testExamples(), false, c.seed());
        System.out.printf("MLP 784-%d-%d-10 on %,d MNIST training images, %d epochs, batch %d; test on %,d images%n",
                options.hiddenUnits(), options.hiddenUnits(), c.trainExamples(), c.epochs(), c.batchSize(),
                c.testExamples());

        MultiLayerConfiguration plainConf = configuration(options, false);
        MultiLayerConfiguration dropoutConf = configuration(options, true);
        AuditReport auditWithout = Audits.print("no dropout", DropoutAudit.of(plainConf));
        // the dropout network is sampled after training: forMonteCarlo also checks that some layer samples
        AuditReport auditWith = Audits.print("dropout", DropoutAudit.forMonteCarlo(dropoutConf));

        List<Epoch> plainHistory = Training.fit("no dropout", Training.network(plainConf), train, test, c.epochs());
        MultiLayerNetwork dropout = Training.network(dropoutConf);
        List<Epoch> dropoutHistory = Training.fit("dropout   ", dropout, train, test, c.epochs());

        List<DataSet> testBatches = MnistData.iterator(c.testExamples(), c.testExamples(), false, c.seed()).next()
                .batchBy(MC_BATCH);
        MonteCarloEvaluator evaluator = MonteCarloEvaluator.builder(dropout).samples(options.mcSamples())
                .seed(c.seed()).keepSamples(true).build();
        System.out.printf("Monte Carlo: %d stochastic passes over the %,d test images, twice (curve, then report)%n",
                options.mcSamples(), c.testExamples());
        McCurve mc = McCurve.of(evaluator, testBatches);
        // The same minibatches: the evaluator seeds each minibatch from its content, so the report draws exactly
        // the masks of the curve above and its MC column is the curve's point k = mcSamples.
        McReport report = monteCarloReport(evaluator, testBatches);

        Map<String, List<Epoch>> histories = new LinkedHashMap<>();
        histories.put("no dropout", plainHistory);
        histories.put(String.format("dropout %.1f in / %.1f hidden", options.inputDropRate(),
                options.hiddenDropRate()), dropoutHistory);
        Table table = summary(c.epochs(), histories, mc);
        String printed = table + "\n\n" + report;
        System.out.println();
        System.out.println(printed);

        Path dir = c.outputDir();
        Map<String, List<Epoch>> byCsvKey = new LinkedHashMap<>();
        byCsvKey.put("no_dropout", plainHistory);
        byCsvKey.put("dropout", dropoutHistory);
        Csv.write(dir.resolve("epochs.csv"), Histories.csv("network", byCsvKey, key -> List.of(key)));
        Csv.write(dir.resolve("monte-carlo.csv"), mcCsv(mc));
        List<Path> plots = List.of(
                epochPlot(dir.resolve("mlp-error-by-epoch.png"), "MLP on MNIST: classification error by epoch",
                        "error (%)", plainHistory, dropoutHistory, e -> 100 * e.testError(),
                        e -> 100 * e.trainError()),
                epochPlot(dir.resolve("mlp-loss-by-epoch.png"), "MLP on MNIST: cross-entropy by epoch",
                        "mean negative log-likelihood (nats)", plainHistory, dropoutHistory, Epoch::testLoss,
                        Epoch::trainLoss),
                mcPlot(dir.resolve("mlp-monte-carlo-vs-k.png"), mc));
        System.out.println("Plots and CSV files written to " + dir);
        return new Result(options, auditWithout, auditWith, plainHistory, dropoutHistory, mc, report, printed,
                plots);
    }

    /**
     * The evaluator's report over several minibatches. The evaluator seeds each minibatch from its content, so on the
     * same minibatches the report draws exactly the masks of {@link McCurve#of(MonteCarloEvaluator, List)}.
     *
     * @param evaluator an evaluator
     * @param batches   the test examples, with labels
     * @return Monte Carlo against standard inference over all batches
     * @throws IllegalArgumentException if {@code batches} is empty
     */
    public static McReport monteCarloReport(MonteCarloEvaluator evaluator, List<DataSet> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("batches must hold at least one minibatch, got none");
        }
        return evaluator.evaluate(new ExistingDataSetIterator(batches));
    }

    private static Table summary(int epochs, Map<String, List<Epoch>> histories, McCurve mc) {
        Table t = Histories.table("network (after " + epochs + " epochs)", histories, label -> label);
        t.row("dropout, standard inference", "", Table.pct(mc.standardError()), "", "", Table.num(mc.standardLoss(), 3),
                "", "");
        for (int k : new int[] {1, 2, 5, 10, 20, 50, 100}) {
            if (k <= mc.maxSamples()) {
                t.row("dropout, Monte Carlo k = " + k, "", Table.pct(mc.errorAt(k)), "", "",
                        Table.num(mc.lossAt(k), 3), "", "");
            }
        }
        return t;
    }

    private static Path epochPlot(Path file, String title, String yLabel, List<Epoch> plain, List<Epoch> dropout,
                                  ToDoubleFunction<Epoch> test, ToDoubleFunction<Epoch> train) {
        return Plots.lineChart(file, title, "epoch", yLabel, false, List.of(
                Histories.line("no dropout, test", plain, test), Histories.line("no dropout, train", plain, train),
                Histories.line("dropout, test", dropout, test), Histories.line("dropout, train", dropout, train)));
    }

    private static Path mcPlot(Path file, McCurve mc) {
        int maxK = mc.maxSamples();
        double[] k = IntStream.rangeClosed(1, maxK).asDoubleStream().toArray();
        double[] err = Arrays.stream(mc.errorBySamples()).map(e -> 100 * e).toArray();
        String title = "Monte Carlo averaging vs standard inference (cf. Srivastava et al. 2014, Fig. 11)";
        return Plots.lineChart(file, title, "number of sampled networks k", "test error (%)", true, List.of(
                Plots.Line.solid("Monte Carlo, k samples", k, err),
                Plots.Line.horizontal("standard (weight scaling)", 1, Math.max(2, maxK), 100 * mc.standardError())));
    }

    private static List<String> mcCsv(McCurve mc) {
        List<String> lines = new ArrayList<>();
        lines.add("k,mc_test_error,mc_test_nll,standard_test_error,standard_test_nll");
        for (int k = 1; k <= mc.maxSamples(); k++) {
            lines.add(Csv.line(k, mc.errorAt(k), mc.lossAt(k), mc.standardError(), mc.standardLoss()));
        }
        return lines;
    }

    /**
     * Command line: {@code ./run-example mlp --help} lists the options.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Options.COMMAND_LINE.main(args, MlpDropoutExample::run);
    }
}
