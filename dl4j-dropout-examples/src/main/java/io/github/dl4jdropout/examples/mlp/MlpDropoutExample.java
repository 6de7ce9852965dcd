package io.github.dl4jdropout.examples.mlp;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.Args;
import io.github.dl4jdropout.examples.support.Cli;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.MnistData;
import io.github.dl4jdropout.examples.support.Plots;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.examples.support.Training.Epoch;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * {@link MonteCarloEvaluator}: one {@code predict} with the raw samples kept gives the whole error curve (the mean of
 * the first k samples, for every k), and one {@code evaluate} on the same test set gives accuracy, NLL, Brier score
 * and expected calibration error of Monte Carlo (T = the largest k) and standard inference side by side.
 */
public final class MlpDropoutExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "mlp";

    /**
     * Test images per Monte Carlo minibatch: the curve keeps the raw samples of one minibatch at a time
     * ({@code [T, 500, 10]}), so its memory does not grow with the test set.
     */
    public static final int MC_BATCH = 500;

    private static final String USAGE = "[--full] [--epochs N] [--batch N] [--train N] [--test N] [--seed N] [--out DIR]"
                + " [--hidden N] [--input-drop R] [--hidden-drop R] [--lr R] [--mc-samples K]";

    private MlpDropoutExample() {
    }

    /**
     * Settings of the MLP example.
     *
     * @param common         shared settings
     * @param hiddenUnits    units in each of the two hidden layers
     * @param inputDropRate  drop rate on the input pixels (paper: 0.2)
     * @param hiddenDropRate drop rate on the hidden layers' outputs (paper: 0.5)
     * @param learningRate   Adam's learning rate, the same for both networks
     * @param mcSamples      largest number k of sampled networks averaged in the Monte Carlo comparison
     */
    public record Options(CommonOptions common, int hiddenUnits, double inputDropRate, double hiddenDropRate,
                          double learningRate, int mcSamples) {

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
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
            }
            if (mcSamples < 1) {
                throw new IllegalArgumentException("mcSamples must be at least 1, got " + mcSamples);
            }
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
         * Reads options from the command line.
         *
         * @param argv {@code --full} for {@link #full()}, then any of {@code --epochs --batch --train --test --seed
         *             --out --hidden --input-drop --hidden-drop --lr --mc-samples}
         * @return validated options
         * @throws IllegalArgumentException on an unknown option or a bad value
         */
        public static Options parse(String... argv) {
            Args args = Args.parse(argv, Set.of("full"));
            Options base = args.flag("full") ? full() : defaults();
            Options o = new Options(args.common(base.common()),
                    args.getInt("hidden", base.hiddenUnits()),
                    args.getDouble("input-drop", base.inputDropRate()),
                    args.getDouble("hidden-drop", base.hiddenDropRate()),
                    args.getDouble("lr", base.learningRate()),
                    args.getInt("mc-samples", base.mcSamples()));
            args.finish();
            return o;
        }

        /** @param value shared settings @return a copy with {@code common} replaced */
        public Options withCommon(CommonOptions value) {
            return new Options(value, hiddenUnits, inputDropRate, hiddenDropRate, learningRate, mcSamples);
        }

        /** @param value hidden units @return a copy with {@code hiddenUnits} replaced */
        public Options withHiddenUnits(int value) {
            return new Options(common, value, inputDropRate, hiddenDropRate, learningRate, mcSamples);
        }

        /** @param value k @return a copy with {@code mcSamples} replaced */
        public Options withMcSamples(int value) {
            return new Options(common, hiddenUnits, inputDropRate, hiddenDropRate, learningRate, value);
        }

        private static void checkRate(String name, double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException(name + " must be a drop rate in [0, 1), got " + rate);
            }
        }
    }

    /**
     * Test error of Monte Carlo averaging against the number of sampled networks.
     *
     * @param standardError  test error of standard (weight-scaling) inference
     * @param standardLoss   test cross-entropy of standard inference
     * @param errorBySamples element {@code k - 1} is the test error when the class probabilities of k sampled
     *                       networks are averaged
     * @param lossBySamples  element {@code k - 1} is the test cross-entropy of that average
     */
    public record McCurve(double standardError, double standardLoss, double[] errorBySamples,
                          double[] lossBySamples) {
        /** @param k number of samples, 1 to {@code errorBySamples.length} @return the error with k samples */
        public double errorAt(int k) {
            return errorBySamples[k - 1];
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
            return withoutDropout.get(withoutDropout.size() - 1);
        }

        /** @return the last epoch with dropout */
        public Epoch finalWithDropout() {
            return withDropout.get(withDropout.size() - 1);
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
     * The network of {@link #configuration}, initialized.
     *
     * @param options     settings (units, rates, learning rate, seed)
     * @param withDropout whether to put dropout on the input and hidden layers
     * @return an initialized network
     */
    public static MultiLayerNetwork network(Options options, boolean withDropout) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(options, withDropout));
        net.init();
        return net;
    }

    /**
     * Prints a configuration's audit report, prefixed by the network's name (one line when there is no finding),
     * and fails on an error.
     *
     * @param label  which network
     * @param report its audit
     * @return {@code report}
     * @throws IllegalStateException if the report has an ERROR
     */
    static AuditReport printAudit(String label, AuditReport report) {
        System.out.println("[" + label + "] " + report);
        return report.requireNoErrors();
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
        AuditReport auditWithout = printAudit("no dropout", DropoutAudit.of(plainConf));
        // the dropout network is sampled after training: forMonteCarlo also checks that some layer samples
        AuditReport auditWith = printAudit("dropout", DropoutAudit.forMonteCarlo(dropoutConf));

        MultiLayerNetwork plain = new MultiLayerNetwork(plainConf);
        plain.init();
        List<Epoch> plainHistory = Training.fit("no dropout", plain, train, test, c.epochs());
        MultiLayerNetwork dropout = new MultiLayerNetwork(dropoutConf);
        dropout.init();
        List<Epoch> dropoutHistory = Training.fit("dropout   ", dropout, train, test, c.epochs());

        List<DataSet> testBatches = MnistData.iterator(c.testExamples(), c.testExamples(), false, c.seed()).next()
                .batchBy(MC_BATCH);
        MonteCarloEvaluator evaluator = MonteCarloEvaluator.builder(dropout).samples(options.mcSamples())
                .seed(c.seed()).keepSamples(true).build();
        System.out.printf("Monte Carlo: %d stochastic passes over the %,d test images, twice (curve, then report)%n",
                options.mcSamples(), c.testExamples());
        McCurve mc = monteCarloCurve(evaluator, testBatches);
        // The same minibatches: the evaluator seeds each minibatch from its content, so the report draws exactly
        // the masks of the curve above and its MC column is the curve's point k = mcSamples.
        McReport report = monteCarloReport(evaluator, testBatches);

        Table table = summary(options, plainHistory, dropoutHistory, mc);
        String printed = table + "\n\n" + report;
        System.out.println();
        System.out.println(printed);

        Path dir = c.outputDir();
        Csv.write(dir.resolve("epochs.csv"), epochCsv(plainHistory, dropoutHistory));
        Csv.write(dir.resolve("monte-carlo.csv"), mcCsv(mc));
        List<Path> plots = List.of(errorPlot(dir, plainHistory, dropoutHistory),
                lossPlot(dir, plainHistory, dropoutHistory), mcPlot(dir, mc));
        System.out.println("Plots and CSV files written to " + dir);
        return new Result(options, auditWithout, auditWith, plainHistory, dropoutHistory, mc, report, printed,
                plots);
    }

    /**
     * The evaluator's report over several minibatches. The evaluator seeds each minibatch from its content, so on the
     * same minibatches the report draws exactly the masks of {@link #monteCarloCurve(MonteCarloEvaluator, List)}.
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

    /**
     * The Monte Carlo error curve over several minibatches: {@link #monteCarloCurve(McPrediction, INDArray)} of each,
     * averaged with the minibatch sizes as weights (exact for errors and mean losses).
     *
     * @param evaluator an evaluator built with {@code keepSamples(true)}
     * @param batches   the test examples, with labels
     * @return standard-inference error and loss, and the Monte Carlo error and loss for k = 1..T, over all batches
     * @throws IllegalArgumentException if {@code batches} is empty
     */
    public static McCurve monteCarloCurve(MonteCarloEvaluator evaluator, List<DataSet> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("batches must hold at least one minibatch, got none");
        }
        int maxK = evaluator.samples();
        double[] errors = new double[maxK];
        double[] losses = new double[maxK];
        double standardError = 0;
        double standardLoss = 0;
        long n = 0;
        for (DataSet batch : batches) {
            McCurve part = monteCarloCurve(evaluator.predict(batch.getFeatures()), batch.getLabels());
            int m = batch.numExamples();
            for (int k = 0; k < maxK; k++) { // T numbers per minibatch, not per element
                errors[k] += part.errorBySamples()[k] * m;
                losses[k] += part.lossBySamples()[k] * m;
            }
            standardError += part.standardError() * m;
            standardLoss += part.standardLoss() * m;
            n += m;
        }
        for (int k = 0; k < maxK; k++) {
            errors[k] /= n;
            losses[k] /= n;
        }
        return new McCurve(standardError / n, standardLoss / n, errors, losses);
    }

    /**
     * The Monte Carlo error curve from kept samples: for each k, the class probabilities of the first k sampled
     * networks are averaged (a cumulative mean along the sample dimension, all k at once) and scored.
     *
     * @param prediction a prediction of an evaluator built with {@code keepSamples(true)}: raw samples
     *                   {@code [T, n, classes]} and the deterministic (standard inference) output {@code [n, classes]}
     * @param labels     one-hot labels {@code [n, classes]}
     * @return standard-inference error and loss, and the Monte Carlo error and loss for k = 1..T
     * @throws IllegalStateException if the prediction holds no raw samples
     */
    public static McCurve monteCarloCurve(McPrediction prediction, INDArray labels) {
        INDArray samples = prediction.samples().castTo(DataType.DOUBLE);
        long maxK = samples.size(0);
        long n = samples.size(1);
        INDArray y = labels.castTo(DataType.DOUBLE);
        // cumulative sum over samples divided by k = 1..T: meanOfFirst[k - 1] is the average of samples 0..k-1
        INDArray ks = Nd4j.arange(1, maxK + 1).castTo(DataType.DOUBLE).reshape(maxK, 1, 1);
        INDArray meanOfFirst = samples.cumsum(0).divi(ks); // [T, n, classes] / [T, 1, 1], broadcast
        INDArray wrong = meanOfFirst.argMax(2).neq(y.argMax(1).reshape(1, n).broadcast(maxK, n))
                .castTo(DataType.DOUBLE);
        double[] errors = wrong.mean(1).toDoubleVector();
        // probability of the true class, floored like Training.score so the losses compare with standard inference
        INDArray pTrue = meanOfFirst.muli(y.reshape(1, n, y.size(1))).sum(2); // broadcast over the T samples
        double[] losses = Transforms.log(Transforms.max(pTrue, 1e-12), false).mean(1).negi().toDoubleVector();
        Training.Score standard = Training.score(prediction.deterministic(), labels);
        return new McCurve(standard.error(), standard.loss(), errors, losses);
    }

    private static Table summary(Options options, List<Epoch> plain, List<Epoch> dropout, McCurve mc) {
        Epoch p = plain.get(plain.size() - 1);
        Epoch d = dropout.get(dropout.size() - 1);
        Table t = new Table("network (after " + options.common().epochs() + " epochs)", "train error",
                "test error", "gap (test-train)", "train NLL", "test NLL", "best test error", "fit time/epoch");
        t.row("no dropout", Table.pct(p.trainError()), Table.pct(p.testError()), Table.pct(p.gap()),
                nats(p.trainLoss()), nats(p.testLoss()), Table.pct(best(plain)), Table.sec(meanFit(plain)));
        t.row(String.format("dropout %.1f in / %.1f hidden", options.inputDropRate(), options.hiddenDropRate()),
                Table.pct(d.trainError()), Table.pct(d.testError()), Table.pct(d.gap()), nats(d.trainLoss()),
                nats(d.testLoss()), Table.pct(best(dropout)), Table.sec(meanFit(dropout)));
        t.row("dropout, standard inference", "", Table.pct(mc.standardError()), "", "", nats(mc.standardLoss()),
                "", "");
        for (int k : new int[] {1, 2, 5, 10, 20, 50, 100}) {
            if (k <= mc.errorBySamples().length) {
                t.row("dropout, Monte Carlo k = " + k, "", Table.pct(mc.errorAt(k)), "", "",
                        nats(mc.lossBySamples()[k - 1]), "", "");
            }
        }
        return t;
    }

    private static String nats(double loss) {
        return String.format("%.3f", loss);
    }

    private static double best(List<Epoch> history) {
        return history.stream().mapToDouble(Epoch::testError).min().orElseThrow();
    }

    private static double meanFit(List<Epoch> history) {
        return history.stream().mapToDouble(Epoch::fitSeconds).average().orElseThrow();
    }

    private static Path errorPlot(Path dir, List<Epoch> plain, List<Epoch> dropout) {
        double[] x = plain.stream().mapToDouble(Epoch::epoch).toArray();
        return Plots.lineChart(dir.resolve("mlp-error-by-epoch.png"),
                "MLP on MNIST: classification error by epoch", "epoch", "error (%)", false, List.of(
                        Plots.Line.solid("no dropout, test", x, pct(plain, Epoch::testError)),
                        Plots.Line.solid("no dropout, train", x, pct(plain, Epoch::trainError)),
                        Plots.Line.solid("dropout, test", x, pct(dropout, Epoch::testError)),
                        Plots.Line.solid("dropout, train", x, pct(dropout, Epoch::trainError))));
    }

    private static Path lossPlot(Path dir, List<Epoch> plain, List<Epoch> dropout) {
        double[] x = plain.stream().mapToDouble(Epoch::epoch).toArray();
        return Plots.lineChart(dir.resolve("mlp-loss-by-epoch.png"),
                "MLP on MNIST: cross-entropy by epoch", "epoch", "mean negative log-likelihood (nats)", false,
                List.of(Plots.Line.solid("no dropout, test", x, values(plain, Epoch::testLoss)),
                        Plots.Line.solid("no dropout, train", x, values(plain, Epoch::trainLoss)),
                        Plots.Line.solid("dropout, test", x, values(dropout, Epoch::testLoss)),
                        Plots.Line.solid("dropout, train", x, values(dropout, Epoch::trainLoss))));
    }

    private static Path mcPlot(Path dir, McCurve mc) {
        int maxK = mc.errorBySamples().length;
        double[] k = IntStream.rangeClosed(1, maxK).asDoubleStream().toArray();
        double[] err = java.util.Arrays.stream(mc.errorBySamples()).map(e -> 100 * e).toArray();
        return Plots.lineChart(dir.resolve("mlp-monte-carlo-vs-k.png"),
                "Monte Carlo averaging vs standard inference (cf. Srivastava et al. 2014, Fig. 11)",
                "number of sampled networks k", "test error (%)", true, List.of(
                        Plots.Line.solid("Monte Carlo, k samples", k, err),
                        Plots.Line.horizontal("standard (weight scaling)", 1, Math.max(2, maxK),
                                100 * mc.standardError())));
    }

    private static double[] pct(List<Epoch> history, java.util.function.ToDoubleFunction<Epoch> f) {
        return history.stream().mapToDouble(e -> 100 * f.applyAsDouble(e)).toArray();
    }

    private static double[] values(List<Epoch> history, java.util.function.ToDoubleFunction<Epoch> f) {
        return history.stream().mapToDouble(f).toArray();
    }

    private static List<String> epochCsv(List<Epoch> plain, List<Epoch> dropout) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("network,epoch,fit_seconds,train_error,test_error,train_nll,test_nll");
        for (Epoch e : plain) {
            lines.add(Csv.line("no_dropout", e.epoch(), e.fitSeconds(), e.trainError(), e.testError(),
                    e.trainLoss(), e.testLoss()));
        }
        for (Epoch e : dropout) {
            lines.add(Csv.line("dropout", e.epoch(), e.fitSeconds(), e.trainError(), e.testError(),
                    e.trainLoss(), e.testLoss()));
        }
        return lines;
    }

    private static List<String> mcCsv(McCurve mc) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("k,mc_test_error,mc_test_nll,standard_test_error,standard_test_nll");
        for (int k = 1; k <= mc.errorBySamples().length; k++) {
            lines.add(Csv.line(k, mc.errorAt(k), mc.lossBySamples()[k - 1], mc.standardError(),
                    mc.standardLoss()));
        }
        return lines;
    }

    /**
     * Command line: see {@link Options#parse}.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Cli.main(NAME, USAGE, args, Options::parse, MlpDropoutExample::run);
    }
}
