package io.github.dl4jdropout.examples.activelearning;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.Audits;
import io.github.dl4jdropout.examples.support.CommandLine;
import io.github.dl4jdropout.examples.support.CommonFlags;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.MnistData;
import io.github.dl4jdropout.examples.support.MnistOptions;
import io.github.dl4jdropout.examples.support.Option;
import io.github.dl4jdropout.examples.support.Plots;
import io.github.dl4jdropout.examples.support.Progress;
import io.github.dl4jdropout.examples.support.Require;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import io.github.dl4jdropout.uncertainty.Acquisition;
import io.github.dl4jdropout.uncertainty.UncertaintyScore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Deep Bayesian active learning (Gal, Islam and Ghahramani 2017, "Deep Bayesian Active Learning with Image Data",
 * ICML): start from a few labelled MNIST digits, and in each round label the pool images the Monte Carlo dropout
 * network is most uncertain about, measured by BALD (the mutual information between prediction and weights,
 * {@link UncertaintyScore#MUTUAL_INFORMATION}); compare with labelling random images. The paper's claim: BALD
 * reaches a given test error with fewer labels than random acquisition.
 *
 * <p>Protocol, as in the paper: 20 labelled images to start (2 per class), 10 acquired per round, BALD scored on a
 * random subset of the unlabelled pool with T Monte Carlo passes, the network retrained from the same initial weights
 * after each acquisition. Differences, to fit a few minutes on 2 cores: a 784-H-H-10 MLP with dropout instead of the
 * paper's CNN, a pool of a seeded subset of the training images, fewer rounds (the paper acquires up to 1,000
 * images), and a test subset. Test error is reported for Monte Carlo averaging (T passes) and standard inference.
 */
public final class ActiveLearningExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "active-learning";

    /** Test errors whose label cost the summary compares. */
    public static final double[] TARGET_ERRORS = {0.30, 0.20, 0.15, 0.10};

    private static final int EVAL_BATCH = 500;

    private ActiveLearningExample() {
    }

    /**
     * Settings of the active-learning example; change one with {@link #with}.
     *
     * @param common         shared settings: {@code epochs} per round, {@code trainExamples} the pool size
     * @param hiddenUnits    units in each of the two hidden layers
     * @param inputDropRate  drop rate on the pixels
     * @param hiddenDropRate drop rate on the hidden layers' outputs
     * @param learningRate   Adam's learning rate
     * @param mcSamples      Monte Carlo passes T for BALD and the MC test error
     * @param initialLabels  labelled images at the start, a multiple of 10 (balanced over the classes)
     * @param acquireSize    images labelled per round
     * @param rounds         acquisition rounds
     * @param poolSubset     unlabelled images scored per round (a fresh random subset)
     * @param minSteps       fewest gradient steps per round: while labels are few an epoch is a single step, so
     *                       training runs {@code max(epochs, ceil(minSteps / batches per epoch))} epochs
     */
    public record Options(CommonOptions common, int hiddenUnits, double inputDropRate, double hiddenDropRate,
                          double learningRate, int mcSamples, int initialLabels, int acquireSize, int rounds,
                          int poolSubset, int minSteps) implements MnistOptions<Options> {

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
        /** {@code --initial N}. */
        public static final Option<Options, Integer> INITIAL = Option.integer("initial",
                "labelled images at the start, a multiple of 10 (the same number of each digit)",
                Options::initialLabels);
        /** {@code --acquire N}. */
        public static final Option<Options, Integer> ACQUIRE = Option.integer("acquire",
                "images labelled per acquisition round", Options::acquireSize);
        /** {@code --rounds N}. */
        public static final Option<Options, Integer> ROUNDS = Option.integer("rounds", "acquisition rounds",
                Options::rounds);
        /** {@code --pool-subset N}. */
        public static final Option<Options, Integer> POOL_SUBSET = Option.integer("pool-subset",
                "unlabelled images BALD scores per round (a random subset of the pool)", Options::poolSubset);
        /** {@code --min-steps N}. */
        public static final Option<Options, Integer> MIN_STEPS = Option.integer("min-steps",
                "fewest gradient steps per round (more epochs while the labelled set is small)", Options::minSteps);
        /** The command line: the options above and the shared ones, {@code --full}, help texts. */
        public static final CommandLine<Options> COMMAND_LINE = CommandLine.builder(NAME,
                        "active learning from 20 labels: BALD vs random acquisition (Gal et al. 2017)",
                        Options::defaults)
                .full("closer to the paper: 60,000-image pool, 98 rounds to 1,000 labels, all 10,000 test images"
                        + " (19 minutes on 2 cores, measured)", Options::full)
                .common(Options::common)
                .options(HIDDEN, INPUT_DROP, HIDDEN_DROP, LEARNING_RATE, MC_SAMPLES, INITIAL, ACQUIRE, ROUNDS,
                        POOL_SUBSET, MIN_STEPS)
                .build(v -> new Options(v.common(), v.get(HIDDEN), v.get(INPUT_DROP), v.get(HIDDEN_DROP),
                        v.get(LEARNING_RATE), v.get(MC_SAMPLES), v.get(INITIAL), v.get(ACQUIRE), v.get(ROUNDS),
                        v.get(POOL_SUBSET), v.get(MIN_STEPS)));

        /** Validates every field. */
        public Options {
            Require.notNull("common", common);
            Require.atLeast("hiddenUnits", hiddenUnits, 1);
            Require.dropRate("inputDropRate", inputDropRate);
            Require.dropRate("hiddenDropRate", hiddenDropRate);
            if (hiddenDropRate == 0) {
                throw new IllegalArgumentException("BALD needs Monte Carlo dropout: hiddenDropRate must be > 0,"
                        + " got 0");
            }
            Require.positive("learningRate", learningRate);
            Require.atLeast("mcSamples", mcSamples, 2);
            Require.atLeast("initialLabels", initialLabels, 10);
            if (initialLabels % 10 != 0) {
                throw new IllegalArgumentException("initialLabels must be a multiple of 10 (the same number of each"
                        + " digit), got " + initialLabels);
            }
            Require.atLeast("acquireSize", acquireSize, 1);
            Require.atLeast("rounds", rounds, 0);
            Require.atLeast("poolSubset", poolSubset, acquireSize);
            Require.atLeast("minSteps", minSteps, 0);
            if ((long) initialLabels + (long) rounds * acquireSize > common.trainExamples()) {
                throw new IllegalArgumentException("the pool of " + common.trainExamples() + " training images"
                        + " (--train) must hold initialLabels + rounds * acquireSize = "
                        + ((long) initialLabels + (long) rounds * acquireSize) + " images");
            }
        }

        /**
         * Defaults, sized for about 5 minutes on 2 cores: 784-256-256-10, drop 0.2 on the pixels and 0.5 on the
         * hidden layers, 50 epochs and at least 500 steps per round at batch 32, a pool of 10,000 training images,
         * 2,000 test images, 20 labels to start, 10 per round for 30 rounds (to 320 labels), BALD on 2,000 pool
         * images with T = 20.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(CommonOptions.of(50, 32, 10_000, 2_000, 42, NAME), 256, 0.2, 0.5, 1e-3, 20, 20, 10,
                    30, 2_000, 500);
        }

        /**
         * Closer to the paper: the whole training set as the pool, 98 rounds (to 1,000 labels), all 10,000 test
         * images (an estimate of an hour on 2 cores; not yet measured).
         *
         * @return the larger options
         */
        public static Options full() {
            Options d = defaults();
            return new Options(new CommonOptions(d.common().epochs(), d.common().batchSize(), 60_000, 10_000,
                    d.common().seed(), d.common().outputDir()), d.hiddenUnits(), d.inputDropRate(),
                    d.hiddenDropRate(), d.learningRate(), d.mcSamples(), d.initialLabels(), d.acquireSize(), 98,
                    d.poolSubset(), d.minSteps());
        }

        /**
         * Reads options from the command line; {@code ./run-example active-learning --help} lists them.
         *
         * @param argv {@code --full} for {@link #full()}, then any of the options of {@link #COMMAND_LINE}
         * @return validated options
         * @throws IllegalArgumentException on an unknown option or a bad value
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
     * The network after one round of training.
     *
     * @param labels        labelled images it was trained on
     * @param standardError test error of standard inference
     * @param mcError       test error of the Monte Carlo average of T passes
     */
    public record Round(int labels, double standardError, double mcError) {
    }

    /**
     * One acquisition strategy's learning curve.
     *
     * @param strategy "BALD" or "random"
     * @param rounds   one row per round, the initial labels first
     */
    public record Curve(String strategy, List<Round> rounds) {
        /**
         * @param target a Monte Carlo test error
         * @return the fewest labels with which the curve reached it, or empty
         */
        public OptionalInt labelsToReach(double target) {
            return rounds.stream().filter(r -> r.mcError() <= target).mapToInt(Round::labels).findFirst();
        }

        /** @return the last round */
        public Round last() {
            return rounds.get(rounds.size() - 1);
        }
    }

    /**
     * What the example measured.
     *
     * @param options the settings it ran with
     * @param audit   the Monte Carlo dropout audit of the configuration
     * @param bald    the learning curve with BALD acquisition
     * @param random  the learning curve with random acquisition
     * @param table   the printed tables
     * @param plots   the PNG files written
     */
    public record Result(Options options, AuditReport audit, Curve bald, Curve random, String table,
                         List<Path> plots) {
    }

    /**
     * The network's configuration: 784-H-H-10, ReLU, softmax, Adam; {@code Dropouts.standard} on the pixels and on
     * both hidden layers' outputs.
     *
     * @param options settings
     * @return the configuration
     */
    public static MultiLayerConfiguration configuration(Options options) {
        int h = options.hiddenUnits();
        DenseLayer.Builder first = new DenseLayer.Builder().nIn(28 * 28).nOut(h).activation(Activation.RELU);
        if (options.inputDropRate() > 0) {
            first.dropOut(Dropouts.standard(options.inputDropRate()));
        }
        return new NeuralNetConfiguration.Builder()
                .seed(options.common().seed())
                .weightInit(WeightInit.RELU)
                .updater(new Adam(options.learningRate()))
                .list()
                .layer(first.build())
                .layer(new DenseLayer.Builder().nIn(h).nOut(h).activation(Activation.RELU)
                        .dropOut(Dropouts.standard(options.hiddenDropRate())).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(h).nOut(10)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(options.hiddenDropRate())).build())
                .build();
    }

    /**
     * The initial labelled set: {@code n / 10} images of each digit, drawn at random from the pool.
     *
     * @param pool the pool's labels, one-hot
     * @param n    a multiple of 10
     * @param seed seed of the draw
     * @return pool indices
     * @throws IllegalArgumentException if a digit has fewer than {@code n / 10} images in the pool
     */
    static List<Integer> balancedStart(DataSet pool, int n, long seed) {
        int[] classes = pool.getLabels().argMax(1).toIntVector();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        int[] taken = new int[10];
        List<Integer> chosen = new ArrayList<>();
        for (int i : order) {
            if (taken[classes[i]] < n / 10) {
                taken[classes[i]]++;
                chosen.add(i);
            }
        }
        if (chosen.size() != n) {
            throw new IllegalArgumentException("the pool must hold " + n / 10 + " images of each digit, got counts "
                    + java.util.Arrays.toString(taken));
        }
        return chosen;
    }

    /**
     * Runs the whole example: audit, both learning curves, tables, plot and CSV files.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        CommonOptions c = options.common();
        System.out.printf("Active learning on MNIST: MLP 784-%d-%d-10, dropout %.2f/%.2f, %d labels to start, %d per"
                        + " round for %d rounds, pool of %,d, BALD on %,d pool images per round, T = %d, %,d test"
                        + " images%n", options.hiddenUnits(), options.hiddenUnits(), options.inputDropRate(),
                options.hiddenDropRate(), options.initialLabels(), options.acquireSize(), options.rounds(),
                c.trainExamples(), options.poolSubset(), options.mcSamples(), c.testExamples());
        MultiLayerConfiguration conf = configuration(options);
        AuditReport audit = Audits.print(null, DropoutAudit.forMonteCarlo(conf));
        DataSet pool = MnistData.iterator(c.trainExamples(), c.trainExamples(), true, c.seed()).next();
        DataSet test = MnistData.iterator(c.testExamples(), c.testExamples(), false, c.seed()).next();
        List<Integer> start = balancedStart(pool, options.initialLabels(), c.seed());

        Curve bald;
        Curve random;
        try (ProgressBar bar = Progress.start("rounds", 2L * (options.rounds() + 1))) {
            bald = curve("BALD", options, conf, pool, test, start, true, bar);
            random = curve("random", options, conf, pool, test, start, false, bar);
        }
        String table = printTables(options, bald, random);
        Path dir = c.outputDir();
        Csv.write(dir.resolve("active-learning-curves.csv"), csv(bald, random));
        List<Path> plots = List.of(plot(dir.resolve("active-learning-test-error.png"), options, bald, random));
        System.out.println("Plot and CSV files written to " + dir);
        return new Result(options, audit, bald, random, table, plots);
    }

    private static Curve curve(String name, Options options, MultiLayerConfiguration conf, DataSet pool,
                               DataSet test, List<Integer> start, boolean bald, ProgressBar bar) {
        CommonOptions c = options.common();
        List<Integer> labelled = new ArrayList<>(start);
        boolean[] taken = new boolean[pool.numExamples()];
        start.forEach(i -> taken[i] = true);
        Random rng = new Random(c.seed() + (bald ? 1 : 2));
        List<Round> rounds = new ArrayList<>();
        for (int round = 0; ; round++) {
            MultiLayerNetwork net = train(conf, pool.get(toArray(labelled)), c.epochs(), options.minSteps(),
                    c.batchSize(), c.seed() + round);
            MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(options.mcSamples())
                    .seed(c.seed() + round).build();
            McReport report = mc.evaluate(new ExistingDataSetIterator(test.batchBy(EVAL_BATCH)));
            rounds.add(new Round(labelled.size(), 1 - report.deterministic().asClassification().accuracy(),
                    1 - report.mc().asClassification().accuracy()));
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " %s %d labels, MC error %.1f%%", name, labelled.size(),
                    100 * rounds.get(rounds.size() - 1).mcError()));
            if (round == options.rounds()) {
                break;
            }
            int[] candidates = unlabelledSubset(taken, bald ? options.poolSubset() : Integer.MAX_VALUE, rng);
            int[] chosen;
            if (bald) {
                double[] scores = UncertaintyScore.MUTUAL_INFORMATION.of(
                        mc.predict(pool.get(candidates).getFeatures()));
                chosen = Acquisition.topK(scores, options.acquireSize());
            } else {
                chosen = Acquisition.random(candidates.length, options.acquireSize(), rng.nextLong());
            }
            for (int j : chosen) {
                labelled.add(candidates[j]);
                taken[candidates[j]] = true;
            }
        }
        return new Curve(name, List.copyOf(rounds));
    }

    /** A fresh network (same initial weights every round) trained on the labelled images. */
    private static MultiLayerNetwork train(MultiLayerConfiguration conf, DataSet labelled, int epochs, int minSteps,
                                           int batch, long seed) {
        MultiLayerNetwork net = Training.network(conf.clone());
        int size = Math.min(batch, labelled.numExamples());
        int batchesPerEpoch = (labelled.numExamples() + size - 1) / size;
        int total = Math.max(epochs, (minSteps + batchesPerEpoch - 1) / batchesPerEpoch);
        // One fit call over all epochs' minibatches: a fit call per epoch of a single step costs more than the step.
        List<DataSet> batches = new ArrayList<>();
        for (int e = 0; e < total; e++) {
            DataSet copy = labelled.copy();
            copy.shuffle(seed * 1_000 + e);
            batches.addAll(copy.batchBy(size));
        }
        net.fit(new ExistingDataSetIterator(batches));
        return net;
    }

    /** Up to {@code limit} unlabelled pool indices, a random subset in random order (all of them, shuffled). */
    private static int[] unlabelledSubset(boolean[] taken, int limit, Random rng) {
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < taken.length; i++) {
            if (!taken[i]) {
                free.add(i);
            }
        }
        java.util.Collections.shuffle(free, rng);
        return toArray(free.subList(0, Math.min(limit, free.size())));
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String printTables(Options options, Curve bald, Curve random) {
        Table targets = new Table("test error (MC) reached", "labels with BALD", "labels with random",
                "random / BALD");
        for (double target : TARGET_ERRORS) {
            OptionalInt b = bald.labelsToReach(target);
            OptionalInt r = random.labelsToReach(target);
            targets.row(Table.pct(target), b.isPresent() ? String.valueOf(b.getAsInt()) : "not reached",
                    r.isPresent() ? String.valueOf(r.getAsInt()) : "not reached",
                    b.isPresent() && r.isPresent() ? Table.num((double) r.getAsInt() / b.getAsInt(), 2) : "n/a");
        }
        Table curves = new Table("labels", "BALD MC error", "BALD standard error", "random MC error",
                "random standard error");
        for (int i = 0; i < bald.rounds().size(); i++) {
            Round b = bald.rounds().get(i);
            Round r = random.rounds().get(i);
            if (i % Math.max(1, options.rounds() / 10) == 0 || i == bald.rounds().size() - 1) {
                curves.row(b.labels(), Table.pct(b.mcError()), Table.pct(b.standardError()), Table.pct(r.mcError()),
                        Table.pct(r.standardError()));
            }
        }
        String text = "Labels needed (first round at or below the error):\n" + targets + "\nLearning curves (T = "
                + options.mcSamples() + "):\n" + curves;
        System.out.println();
        System.out.println(text);
        return text;
    }

    private static List<String> csv(Curve bald, Curve random) {
        List<String> lines = new ArrayList<>();
        lines.add("strategy,labels,mc_test_error,standard_test_error");
        for (Curve curve : List.of(bald, random)) {
            for (Round r : curve.rounds()) {
                lines.add(Csv.line(curve.strategy(), r.labels(), r.mcError(), r.standardError()));
            }
        }
        return lines;
    }

    private static Path plot(Path file, Options options, Curve bald, Curve random) {
        List<Plots.Line> lines = new ArrayList<>();
        for (Curve curve : List.of(bald, random)) {
            double[] x = curve.rounds().stream().mapToDouble(Round::labels).toArray();
            lines.add(Plots.Line.solid(curve.strategy() + " (MC dropout, T = " + options.mcSamples() + ")", x,
                    curve.rounds().stream().mapToDouble(r -> 100 * r.mcError()).toArray()));
        }
        return Plots.lineChart(file, "Active learning on MNIST (cf. Gal, Islam & Ghahramani 2017)",
                "labelled images", "test error (%)", false, lines);
    }

    /**
     * Command line: {@code ./run-example active-learning --help} lists the options.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Options.COMMAND_LINE.main(args, ActiveLearningExample::run);
    }
}
