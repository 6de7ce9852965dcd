package io.github.dl4jdropout.examples.rnn;

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
import io.github.dl4jdropout.examples.support.Require;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.examples.support.Training.Epoch;
import io.github.dl4jdropout.layers.VariationalLSTM;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import io.github.dl4jdropout.montecarlo.PredictionMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Dropout in a recurrent network, where it matters: sequential MNIST (each image read as 28 time steps of 28 pixels,
 * one row per step) with a <em>small</em> training set and enough epochs that the LSTM without dropout overfits, its
 * test cross-entropy (NLL) turning upward. Then the dropout variants, trained with the same budget and the same
 * seeds, show what they change.
 *
 * <p>Five networks, identical but for their dropout, which sits where Gal and Ghahramani (2016, "A Theoretically
 * Grounded Application of Dropout in Recurrent Neural Networks") put it: on each LSTM layer's input, on its
 * recurrent connections (two variants) and on the output layer's input:
 * <ul>
 *     <li>none;</li>
 *     <li>DL4J's own {@link Dropout} on the LSTM inputs, which draws a new mask at every time step (and takes a
 *     <em>retain</em> probability: {@code new Dropout(0.75)} drops 25%): the "naive" dropout of the paper;</li>
 *     <li>{@code Dropouts.timeShared} on the LSTM inputs: one mask per sequence, the same at every step;</li>
 *     <li>{@link VariationalLSTM}: the same time-shared input mask plus recurrent dropout, one mask per example on
 *     {@code h(t-1)}, the same at every step: the paper's variational LSTM (Keras' {@code dropout} and
 *     {@code recurrent_dropout});</li>
 *     <li>time-shared input dropout plus {@code Dropouts.recurrentWeights} on DL4J's {@code LSTM}: the recurrent
 *     weights dropped, one mask per minibatch (a weight-dropped LSTM, Merity et al. 2018).</li>
 * </ul>
 * The output layer sees the last step's {@code [minibatch, H]}, without a time axis: the dropout variants put
 * standard dropout there (DL4J's for the per-step variant).
 *
 * <p>Every network is trained once per seed (seed, seed + 1, ...); a seed fixes the training subset, the data order,
 * the initial weights and the masks, so two variants with the same seed differ only by their dropout. Each metric is
 * reported as mean and standard deviation over the seeds, each comparison as the mean and standard deviation of the
 * per-seed differences (see {@link Spread}). Each dropout network is also evaluated with Monte Carlo dropout
 * ({@link MonteCarloEvaluator}, T passes with dropout on, averaged): NLL and expected calibration error.
 *
 * <p>The LSTMs use DL4J's default sequence layout NCW ({@code [minibatch, features, time]}): in DL4J 1.0.0-M2.1 an
 * LSTM in NWC layout with dropout on its input computes wrong gradients, and the library's variants refuse it.
 *
 * <p>Every configuration goes through {@link DropoutAudit#forMonteCarlo} (it is sampled after training) before
 * training. The per-step variant is expected to get the WARNING {@code PER_STEP_DROPOUT_ON_RECURRENT}: DL4J's per-step
 * dropout on an LSTM is the baseline this example measures against.
 */
public final class RnnDropoutExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "rnn";

    /** Minibatch size of evaluation (standard and Monte Carlo); it changes no number, only the speed. */
    static final int EVALUATION_BATCH = 500;

    private RnnDropoutExample() {
    }

    /** Which dropout the network uses. */
    public enum Variant {
        /** No dropout. */
        NONE("no dropout"),
        /** DL4J's {@code Dropout} on the LSTM inputs: a new mask at every time step. */
        PER_STEP("DL4J Dropout (per step)"),
        /** {@code Dropouts.timeShared} on the LSTM inputs: one mask per sequence. */
        TIME_SHARED("time-shared input"),
        /** {@code VariationalLSTM}: time-shared input mask and a recurrent mask on h(t-1), one per example. */
        VARIATIONAL_LSTM("VariationalLSTM (input + recurrent)"),
        /** Time-shared input mask plus {@code Dropouts.recurrentWeights} on DL4J's {@code LSTM}. */
        RECURRENT_WEIGHTS("time-shared + recurrentWeights");

        private final String label;

        Variant(String label) {
            this.label = label;
        }

        /** @return a short human-readable name */
        public String label() {
            return label;
        }
    }

    /**
     * Settings of the RNN example. Change one with {@link #with}, e.g. {@code defaults().with(Options.HIDDEN, 16)}.
     *
     * @param common       shared settings; its seed is the first of {@code seeds} consecutive seeds
     * @param rowsPerStep  image rows read per time step (1: 28 steps of 28 pixels; 2: 14 steps of 56)
     * @param layers       stacked LSTM layers, 1 or 2
     * @param hiddenUnits  units in each LSTM layer
     * @param dropRate     drop rate of every dropout in the network (inputs, recurrent connections, output layer)
     * @param learningRate Adam's learning rate
     * @param seeds        how many seeds each network is trained with
     * @param mcSamples    Monte Carlo passes T per test image
     * @param variants     which networks to train, in this order
     */
    public record Options(CommonOptions common, int rowsPerStep, int layers, int hiddenUnits, double dropRate,
                          double learningRate, int seeds, int mcSamples, List<Variant> variants)
            implements MnistOptions<Options> {

        /** {@code --rows-per-step N}. */
        public static final Option<Options, Integer> ROWS_PER_STEP = Option.integer("rows-per-step",
                "image rows read per time step: 1 (28 steps of 28 pixels), 2 (14 steps of 56), 4, 7, 14 or 28",
                Options::rowsPerStep);
        /** {@code --layers N}. */
        public static final Option<Options, Integer> LAYERS = Option.integer("layers", "stacked LSTM layers (1 or 2)",
                Options::layers);
        /** {@code --hidden N}. */
        public static final Option<Options, Integer> HIDDEN = Option.integer("hidden", "units in each LSTM layer",
                Options::hiddenUnits);
        /** {@code --drop R}. */
        public static final Option<Options, Double> DROP = Option.number("drop", "R",
                "drop rate of every dropout: LSTM inputs, recurrent connections, output layer", Options::dropRate);
        /** {@code --lr R}. */
        public static final Option<Options, Double> LEARNING_RATE = CommonFlags.learningRate(Options::learningRate);
        /** {@code --seeds N}. */
        public static final Option<Options, Integer> SEEDS = Option.integer("seeds",
                "train every network with N seeds (--seed, --seed + 1, ...); report mean and spread",
                Options::seeds);
        /** {@code --mc-samples T}. */
        public static final Option<Options, Integer> MC_SAMPLES = CommonFlags.mcSamples(Options::mcSamples);
        /** The command line: the options above and the shared ones, {@code --full}, help texts. */
        public static final CommandLine<Options> COMMAND_LINE = CommandLine.builder(NAME,
                        "sequential MNIST, LSTM overfitting: none vs per-step, time-shared, VariationalLSTM,"
                                + " recurrentWeights",
                        Options::defaults)
                .full("14 steps of 2 rows, 35 epochs, T = 20 (about 11 CPU-minutes, twice the default's)",
                        Options::full)
                .common(Options::common)
                .options(ROWS_PER_STEP, LAYERS, HIDDEN, DROP, LEARNING_RATE, SEEDS, MC_SAMPLES)
                .build(v -> new Options(v.common(), v.get(ROWS_PER_STEP), v.get(LAYERS), v.get(HIDDEN), v.get(DROP),
                        v.get(LEARNING_RATE), v.get(SEEDS), v.get(MC_SAMPLES), v.base().variants()));

        /** Validates every field. */
        public Options {
            Require.notNull("common", common);
            requireRowsPerStep(rowsPerStep);
            Require.inRange("layers", layers, 1, 2);
            Require.atLeast("hiddenUnits", hiddenUnits, 1);
            Require.dropRate("dropRate", dropRate);
            Require.positive("learningRate", learningRate);
            Require.atLeast("seeds", seeds, 1);
            Require.atLeast("mcSamples", mcSamples, 2);
            if (variants == null || variants.isEmpty()) {
                throw new IllegalArgumentException("variants must name at least one variant, got " + variants);
            }
            variants = List.copyOf(variants);
        }

        /**
         * Defaults sized for under 10 minutes on 2 cores (about 5 CPU-minutes): each image read as 7 steps of 4
         * rows (112 pixels), one LSTM layer of 64 units, 1,000 training images, 25 epochs (the network without dropout
         * has overfit by then: its test NLL is past its lowest point and rising), batch 50, Adam 5e-3, drop rate 0.2,
         * 3 seeds, 2,000 test images, T = 10, all five variants.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(CommonOptions.of(25, 50, 1_000, 2_000, 42, NAME), 4, 1, 64, 0.2, 5e-3, 3, 10,
                    List.of(Variant.values()));
        }

        /**
         * Longer: each image read as 14 steps of 2 rows (56 pixels), 35 epochs, T = 20; otherwise the defaults
         * (about 11 CPU-minutes; 24 minutes measured on a 2-core machine shared with many other builds).
         *
         * @return the longer options
         */
        public static Options full() {
            return new Options(CommonOptions.of(35, 50, 1_000, 2_000, 42, NAME), 2, 1, 64, 0.2, 5e-3, 3, 20,
                    List.of(Variant.values()));
        }

        /**
         * Reads options from the command line; {@code ./run-example rnn --help} lists them.
         *
         * @param argv {@code --full} for {@link #full()}, then any of the options of {@link #COMMAND_LINE}
         * @return validated options
         * @throws IllegalArgumentException on an unknown option (the message lists the known ones) or a bad value
         */
        public static Options parse(String... argv) {
            return COMMAND_LINE.parse(argv);
        }

        /** @param value variants to train @return a copy with {@code variants} replaced */
        public Options withVariants(List<Variant> value) {
            return new Options(common, rowsPerStep, layers, hiddenUnits, dropRate, learningRate, seeds, mcSamples,
                    value);
        }

        /** @return the seeds, {@code common().seed()} and the next {@code seeds - 1} */
        public List<Long> seedList() {
            List<Long> list = new ArrayList<>();
            for (int i = 0; i < seeds; i++) {
                list.add(common.seed() + i);
            }
            return list;
        }

        @Override
        public CommandLine<Options> commandLine() {
            return COMMAND_LINE;
        }
    }

    /**
     * One network trained with one seed.
     *
     * @param variant    which dropout
     * @param seed       its seed
     * @param history    one entry per epoch
     * @param monteCarlo the evaluator's report on the test set after training; empty for the network without dropout
     *                   (nothing to sample)
     */
    public record Run(Variant variant, long seed, List<Epoch> history, Optional<McReport> monteCarlo) {
        /** Copies the history. */
        public Run {
            history = List.copyOf(history);
        }

        /** @return the last epoch */
        public Epoch last() {
            return Histories.last(history);
        }

        /** @return the lowest test error of any epoch */
        public double bestTestError() {
            return Histories.bestTestError(history);
        }

        /** @return the lowest test NLL of any epoch */
        public double lowestTestLoss() {
            return history.stream().mapToDouble(Epoch::testLoss).min().orElseThrow();
        }

        /** @return the first epoch with the lowest test NLL */
        public int lowestTestLossEpoch() {
            return history.stream().filter(e -> e.testLoss() == lowestTestLoss()).findFirst().orElseThrow().epoch();
        }

        /** @return how far the test NLL rose after its lowest point: last epoch's minus the lowest, nats */
        public double testLossRise() {
            return last().testLoss() - lowestTestLoss();
        }

        /**
         * @return the Monte Carlo report
         * @throws IllegalStateException for the network without dropout
         */
        public McReport mc() {
            return monteCarlo.orElseThrow(() -> new IllegalStateException(variant.label()
                    + " has no dropout, so no Monte Carlo report"));
        }
    }

    /**
     * What the example measured.
     *
     * @param options     the settings it ran with
     * @param audits      the dropout audit of each variant's configuration
     * @param runs        each variant's runs, one per seed in seed order
     * @param summary     the table of every variant's metrics, mean and spread over the seeds, as printed
     * @param comparisons the table of paired differences, as printed
     * @param plots       the PNG files written
     */
    public record Result(Options options, Map<Variant, AuditReport> audits, Map<Variant, List<Run>> runs,
                         String summary, String comparisons, List<Path> plots) {

        /** Keeps read-only views in the variants' order. */
        public Result {
            audits = Collections.unmodifiableMap(new EnumMap<>(audits));
            runs = Collections.unmodifiableMap(new EnumMap<>(runs));
            plots = List.copyOf(plots);
        }

        /**
         * @param variant a variant that was trained
         * @param metric  a number per run, e.g. {@code r -> r.last().testLoss()}
         * @return that number over the seeds
         * @throws IllegalArgumentException if {@code variant} was not trained
         */
        public Spread spread(Variant variant, ToDoubleFunction<Run> metric) {
            List<Run> r = runs.get(variant);
            if (r == null) {
                throw new IllegalArgumentException("variant " + variant + " was not trained; trained: "
                        + runs.keySet());
            }
            return Spread.of(r.stream().mapToDouble(metric).toArray());
        }
    }

    /**
     * Turns DL4J's MNIST rows {@code [minibatch, 784]} into sequences {@code [minibatch, 28, 28]} in NCW layout:
     * feature {@code c} at time step {@code r} is the pixel in row {@code r}, column {@code c}.
     *
     * @return the preprocessor, to set on a MNIST iterator
     */
    public static DataSetPreProcessor rowsAsTimeSteps() {
        return rowsAsTimeSteps(1);
    }

    /**
     * Turns DL4J's MNIST rows {@code [minibatch, 784]} into sequences of {@code 28 / rowsPerStep} steps of
     * {@code 28 * rowsPerStep} pixels in NCW layout: step {@code s} reads rows {@code s * rowsPerStep} to
     * {@code (s + 1) * rowsPerStep - 1}, left to right, top to bottom.
     *
     * @param rowsPerStep image rows read per time step: 1, 2, 4, 7, 14 or 28
     * @return the preprocessor, to set on a MNIST iterator
     * @throws IllegalArgumentException if {@code rowsPerStep} does not divide 28
     */
    public static DataSetPreProcessor rowsAsTimeSteps(int rowsPerStep) {
        requireRowsPerStep(rowsPerStep);
        int steps = 28 / rowsPerStep;
        int width = 28 * rowsPerStep;
        return ds -> {
            INDArray f = ds.getFeatures();
            if (f.rank() == 2) {
                long mb = f.size(0);
                ds.setFeatures(f.reshape('c', mb, steps, width).permute(0, 2, 1).dup('c'));
            }
        };
    }

    private static int requireRowsPerStep(int rowsPerStep) {
        if (rowsPerStep < 1 || 28 % rowsPerStep != 0) {
            throw new IllegalArgumentException("rowsPerStep must divide 28 (1, 2, 4, 7, 14 or 28), got "
                    + rowsPerStep);
        }
        return rowsPerStep;
    }

    /**
     * MNIST as sequences of one row per step.
     *
     * @param batchSize   minibatch size
     * @param numExamples examples
     * @param train       training set (a seeded random subset, reshuffled every epoch) or test set (its first
     *                    {@code numExamples} images)
     * @param seed        seed of the subset and the order
     * @return an iterator of {@code [minibatch, 28, 28]} NCW sequences with one-hot labels
     */
    public static DataSetIterator sequences(int batchSize, int numExamples, boolean train, long seed) {
        return sequences(batchSize, numExamples, train, seed, 1);
    }

    /**
     * MNIST as sequences.
     *
     * @param batchSize   minibatch size
     * @param numExamples examples
     * @param train       training set (a seeded random subset, reshuffled every epoch) or test set (its first
     *                    {@code numExamples} images)
     * @param seed        seed of the subset and the order
     * @param rowsPerStep image rows per time step (see {@link #rowsAsTimeSteps(int)})
     * @return an iterator of {@code [minibatch, 28 * rowsPerStep, 28 / rowsPerStep]} NCW sequences with one-hot
     *         labels
     */
    public static DataSetIterator sequences(int batchSize, int numExamples, boolean train, long seed,
                                            int rowsPerStep) {
        DataSetPreProcessor pre = rowsAsTimeSteps(rowsPerStep);
        DataSetIterator it = MnistData.iterator(batchSize, numExamples, train, seed);
        it.setPreProcessor(pre);
        return it;
    }

    /**
     * The network's configuration: {@code layers} LSTMs (28 inputs, then H), of which the last keeps only its last
     * step, and a softmax output layer; the variant decides the dropout on each LSTM's input, on its recurrent
     * connections and on the output layer's input.
     *
     * @param options settings
     * @param variant which dropout
     * @param seed    seed of the initial weights and the masks
     * @return the configuration, with its formats checked
     */
    public static MultiLayerConfiguration configuration(Options options, Variant variant, long seed) {
        int h = options.hiddenUnits();
        double rate = options.dropRate();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(options.learningRate()))
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(1.0)
                .list();
        for (int i = 0; i < options.layers(); i++) {
            AbstractLSTM.Builder<?> lstm = variant == Variant.VARIATIONAL_LSTM
                    ? new VariationalLSTM.Builder().recurrentDropout(rate) : new LSTM.Builder();
            lstm.nIn(i == 0 ? 28 * options.rowsPerStep() : h).nOut(h).activation(Activation.TANH);
            // One dropout object per layer: DL4J's Dropout keeps its mask on the configuration object.
            switch (variant) {
                case NONE -> { }
                case PER_STEP -> lstm.dropOut(new Dropout(1 - rate)); // DL4J: probability of RETAINING
                case TIME_SHARED, VARIATIONAL_LSTM -> lstm.dropOut(Dropouts.timeShared(rate, RNNFormat.NCW));
                case RECURRENT_WEIGHTS -> lstm.dropOut(Dropouts.timeShared(rate, RNNFormat.NCW))
                        .weightNoise(Dropouts.recurrentWeights(rate));
                default -> throw new IllegalArgumentException("unknown variant " + variant);
            }
            Layer layer = lstm.build();
            list.layer(i == options.layers() - 1 ? new LastTimeStep(layer) : layer);
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(h).nOut(10).activation(Activation.SOFTMAX);
        if (variant == Variant.PER_STEP) {
            output.dropOut(new Dropout(1 - rate));
        } else if (variant != Variant.NONE) {
            output.dropOut(Dropouts.standard(rate)); // the output layer sees [minibatch, H]: no time axis
        }
        MultiLayerConfiguration conf = list.layer(output.build())
                .setInputType(InputType.recurrent(28L * options.rowsPerStep(), 28 / options.rowsPerStep(),
                        RNNFormat.NCW))
                .build();
        Dropouts.checkFormats(conf);
        return conf;
    }

    /**
     * Audits one variant's configuration ({@link DropoutAudit#forMonteCarlo} for the networks with dropout, which
     * are sampled after training), prints the report and stops on an ERROR.
     *
     * @param variant which dropout
     * @param conf    its configuration
     * @return the report
     * @throws IllegalStateException if the report has an ERROR
     */
    public static AuditReport audit(Variant variant, MultiLayerConfiguration conf) {
        return Audits.print(variant.label(), variant == Variant.NONE ? DropoutAudit.of(conf)
                : DropoutAudit.forMonteCarlo(conf), variant == Variant.PER_STEP
                ? "DL4J's per-step dropout on an LSTM is the baseline this example measures against" : null);
    }

    /**
     * Trains one network with one seed and, if it has dropout, evaluates it with Monte Carlo dropout.
     *
     * @param options settings
     * @param variant which dropout
     * @param seed    the seed
     * @param train           training sequences of this seed
     * @param trainEvaluation the same sequences in minibatches of {@value #EVALUATION_BATCH}, for scoring
     * @param test            test sequences
     * @return the run
     */
    public static Run train(Options options, Variant variant, long seed, DataSetIterator train,
                            DataSetIterator trainEvaluation, DataSetIterator test) {
        MultiLayerNetwork net = Training.network(configuration(options, variant, seed));
        List<Epoch> history = Training.fit(String.format("%-36s seed %d", variant.label(), seed), net, train,
                trainEvaluation, test, options.common().epochs());
        Optional<McReport> mc = Optional.empty();
        if (variant != Variant.NONE) {
            mc = Optional.of(MonteCarloEvaluator.builder(net).samples(options.mcSamples()).seed(seed).build()
                    .evaluate(test));
        }
        return new Run(variant, seed, history, mc);
    }

    /**
     * Trains every variant with every seed, prints the tables and writes the plots and CSV files.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        CommonOptions c = options.common();
        System.out.printf("Sequential MNIST (%d steps x %d pixels), %d x LSTM %d, drop rate %.2f, %,d training images,"
                        + " %d epochs, batch %d, Adam %s; test on %,d images; seeds %s; Monte Carlo T = %d%n",
                28 / options.rowsPerStep(), 28 * options.rowsPerStep(), options.layers(), options.hiddenUnits(),
                options.dropRate(), c.trainExamples(), c.epochs(), c.batchSize(), options.learningRate(),
                c.testExamples(), options.seedList(), options.mcSamples());
        Map<Variant, AuditReport> audits = new EnumMap<>(Variant.class);
        for (Variant v : options.variants()) {
            audits.put(v, audit(v, configuration(options, v, c.seed())));
        }
        Map<Variant, List<Run>> runs = new EnumMap<>(Variant.class);
        int rows = options.rowsPerStep();
        DataSetIterator test = sequences(Math.min(EVALUATION_BATCH, c.testExamples()), c.testExamples(), false,
                c.seed(), rows);
        for (long seed : options.seedList()) {
            DataSetIterator train = sequences(c.batchSize(), c.trainExamples(), true, seed, rows);
            // The same seed picks the same subset whatever the minibatch size (DL4J shuffles before it cuts).
            DataSetIterator trainEvaluation = sequences(Math.min(EVALUATION_BATCH, c.trainExamples()),
                    c.trainExamples(), true, seed, rows);
            for (Variant v : options.variants()) {
                runs.computeIfAbsent(v, k -> new ArrayList<>()).add(train(options, v, seed, train, trainEvaluation,
                        test));
            }
        }
        runs.replaceAll((v, r) -> List.copyOf(r));

        Table summary = summaryTable(options, runs);
        Table comparisons = comparisonTable(runs);
        System.out.println();
        System.out.println(summary);
        System.out.println(overfittingLine(runs));
        System.out.println();
        System.out.println("Paired differences (same seeds; mean ± sd of the per-seed differences; * = exceeds the"
                + " spread: |mean| > sd and every seed of the same sign):");
        System.out.println(comparisons);

        Path dir = c.outputDir();
        Map<Run, List<Epoch>> histories = new LinkedHashMap<>();
        Map<Run, McReport> reports = new LinkedHashMap<>();
        runs.values().forEach(list -> list.forEach(r -> {
            histories.put(r, r.history());
            r.monteCarlo().ifPresent(m -> reports.put(r, m));
        }));
        Csv.write(dir.resolve("epochs.csv"), Histories.csv("variant,seed", histories,
                r -> List.of(r.variant().name(), r.seed())));
        Csv.write(dir.resolve("monte-carlo.csv"), McTables.csv("variant,seed", reports,
                r -> List.of(r.variant().name(), r.seed()), McTables.CLASSIFICATION));
        Map<Variant, List<Epoch>> means = new EnumMap<>(Variant.class);
        runs.forEach((v, r) -> means.put(v, Histories.mean(r.stream().map(Run::history).toList())));
        String over = " (mean of " + options.seeds() + " seeds)";
        Path nllPlot = Histories.testLossPlot(dir.resolve("rnn-test-nll-by-epoch.png"),
                "Sequential MNIST, " + c.trainExamples() + " training images: test NLL by epoch" + over, means,
                Variant::label);
        Path errorPlot = Histories.testErrorPlot(dir.resolve("rnn-test-error-by-epoch.png"),
                "Sequential MNIST, " + c.trainExamples() + " training images: test error by epoch" + over, means,
                Variant::label);
        System.out.println("Plots and CSV files written to " + dir);
        return new Result(options, audits, runs, summary.toString(), comparisons.toString(),
                List.of(nllPlot, errorPlot));
    }

    /** Every variant's metrics, mean ± sd over the seeds. */
    private static Table summaryTable(Options options, Map<Variant, List<Run>> runs) {
        int epochs = options.common().epochs();
        Table table = new Table("variant (" + epochs + " epochs, mean ± sd of " + options.seeds() + " seeds)",
                "test error", "best test error", "test NLL", "lowest test NLL", "train NLL",
                "MC NLL (T = " + options.mcSamples() + ")", "ECE", "MC ECE", "fit time/epoch");
        runs.forEach((v, r) -> {
            Spread testError = spread(r, x -> x.last().testError());
            boolean mc = v != Variant.NONE;
            table.row(v.label(), testError.formatPercent(), spread(r, Run::bestTestError).formatPercent(),
                    spread(r, x -> x.last().testLoss()).format(3), spread(r, Run::lowestTestLoss).format(3),
                    spread(r, x -> x.last().trainLoss()).format(3),
                    mc ? spread(r, x -> nll(x.mc().mc())).format(3) : "-",
                    mc ? spread(r, x -> ece(x.mc().deterministic())).format(3) : "-",
                    mc ? spread(r, x -> ece(x.mc().mc())).format(3) : "-",
                    Table.sec(r.stream().mapToDouble(x -> Histories.meanFitSeconds(x.history())).average()
                            .orElseThrow()));
        });
        return table;
    }

    /** The comparisons this example is about, as paired differences over the seeds. */
    private static Table comparisonTable(Map<Variant, List<Run>> runs) {
        Table table = new Table("difference", "test NLL (nats)", "test error (points)", "MC NLL (nats)",
                "per-seed test NLL");
        List<Variant[]> pairs = new ArrayList<>();
        for (Variant v : List.of(Variant.PER_STEP, Variant.TIME_SHARED, Variant.VARIATIONAL_LSTM,
                Variant.RECURRENT_WEIGHTS)) {
            pairs.add(new Variant[] {v, Variant.NONE});
        }
        pairs.add(new Variant[] {Variant.TIME_SHARED, Variant.PER_STEP});
        pairs.add(new Variant[] {Variant.VARIATIONAL_LSTM, Variant.PER_STEP});
        pairs.add(new Variant[] {Variant.VARIATIONAL_LSTM, Variant.TIME_SHARED});
        pairs.add(new Variant[] {Variant.RECURRENT_WEIGHTS, Variant.TIME_SHARED});
        pairs.add(new Variant[] {Variant.VARIATIONAL_LSTM, Variant.RECURRENT_WEIGHTS});
        for (Variant[] p : pairs) {
            List<Run> a = runs.get(p[0]);
            List<Run> b = runs.get(p[1]);
            if (a == null || b == null) {
                continue;
            }
            Spread nll = spread(a, x -> x.last().testLoss()).minus(spread(b, x -> x.last().testLoss()));
            Spread error = spread(a, x -> 100 * x.last().testError()).minus(spread(b, x -> 100 * x.last().testError()));
            boolean mc = p[1] != Variant.NONE;
            table.row(p[0].label() + " - " + p[1].label(), marked(nll, 3), marked(error, 2),
                    mc ? marked(spread(a, x -> nll(x.mc().mc())).minus(spread(b, x -> nll(x.mc().mc()))), 3) : "-",
                    perSeed(nll));
        }
        for (Variant v : runs.keySet()) {
            if (v != Variant.NONE) {
                List<Run> r = runs.get(v);
                Spread d = spread(r, x -> nll(x.mc().mc())).minus(spread(r, x -> nll(x.mc().deterministic())));
                table.row("MC - standard, " + v.label(), marked(d, 3), marked(spread(r,
                        x -> 100 * (x.mc().deterministic().asClassification().accuracy()
                                - x.mc().mc().asClassification().accuracy())), 2), "-", perSeed(d));
            }
        }
        return table;
    }

    /** Whether the network without dropout overfit: how far its test NLL rose after its lowest point. */
    static String overfittingLine(Map<Variant, List<Run>> runs) {
        List<Run> none = runs.get(Variant.NONE);
        if (none == null) {
            return "(no network without dropout trained: nothing to say about overfitting)";
        }
        Spread rise = spread(none, Run::testLossRise);
        String epochs = none.stream().map(r -> String.valueOf(r.lowestTestLossEpoch())).toList().toString();
        return "No dropout: test NLL lowest at epoch " + epochs + " (by seed), then rose by " + rise.format(3)
                + " nats to the last epoch: " + (rise.mean() > 0 && rise.exceedsSpread()
                ? "it overfits, the regime where dropout matters."
                : "no clear rise, it has not overfit yet; train longer (--epochs) or on fewer images (--train).");
    }

    private static Spread spread(List<Run> runs, ToDoubleFunction<Run> metric) {
        return Spread.of(runs.stream().mapToDouble(metric).toArray());
    }

    private static String marked(Spread d, int decimals) {
        return d.format(decimals) + (d.exceedsSpread() ? " *" : "  ");
    }

    private static String perSeed(Spread d) {
        return String.join(" ", Arrays.stream(d.values()).mapToObj(x -> Table.num(x, 3)).toList());
    }

    private static double nll(PredictionMetrics m) {
        return m.asClassification().negativeLogLikelihood();
    }

    private static double ece(PredictionMetrics m) {
        return m.asClassification().expectedCalibrationError();
    }

    /**
     * Command line: {@code ./run-example rnn --help} lists the options.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Options.COMMAND_LINE.main(args, RnnDropoutExample::run);
    }
}
