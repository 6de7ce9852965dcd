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
import io.github.dl4jdropout.examples.support.MnistData;
import io.github.dl4jdropout.examples.support.MnistOptions;
import io.github.dl4jdropout.examples.support.Option;
import io.github.dl4jdropout.examples.support.Require;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.examples.support.Training.Epoch;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Dropout in a recurrent network: sequential MNIST, each image read as 28 time steps of 28 pixels (one row per step),
 * classified from the last step of a two-layer LSTM.
 *
 * <p>Four networks, identical but for the dropout between the LSTM layers and before the output layer:
 * <ul>
 *     <li>none;</li>
 *     <li>DL4J's own {@link Dropout}, which draws a new mask at every time step (and takes a <em>retain</em>
 *     probability: {@code new Dropout(0.75)} drops 25%);</li>
 *     <li>{@code Dropouts.timeShared}: one mask per sequence, the same at every step (Gal and Ghahramani 2016);</li>
 *     <li>time-shared plus {@code Dropouts.recurrentWeights} on both LSTMs: the recurrent connections are dropped
 *     too, with one mask per sequence.</li>
 * </ul>
 *
 * <p>The LSTMs use DL4J's default sequence layout NCW ({@code [minibatch, features, time]}): in DL4J 1.0.0-M2.1 an
 * LSTM in NWC layout with dropout on its input computes wrong gradients, and the library's variants refuse it.
 *
 * <p>Every configuration goes through {@link DropoutAudit} before training. The per-step variant is expected to get
 * the WARNING {@code PER_STEP_DROPOUT_ON_RECURRENT}: DL4J's per-step dropout on an LSTM is the baseline this example
 * demonstrates.
 */
public final class RnnDropoutExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "rnn";

    private RnnDropoutExample() {
    }

    /** Which dropout the network uses. */
    public enum Variant {
        /** No dropout. */
        NONE("no dropout"),
        /** DL4J's {@code Dropout}: a new mask at every time step. */
        PER_STEP("DL4J Dropout (new mask per step)"),
        /** {@code Dropouts.timeShared}: one mask per sequence. */
        TIME_SHARED("time-shared"),
        /** Time-shared on the inputs plus {@code Dropouts.recurrentWeights} on the recurrent connections. */
        TIME_SHARED_RECURRENT("time-shared + recurrent");

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
     * @param common       shared settings
     * @param hiddenUnits  units in each LSTM layer
     * @param dropRate     drop rate of every dropout in the network
     * @param learningRate Adam's learning rate
     * @param variants     which networks to train, in this order
     */
    public record Options(CommonOptions common, int hiddenUnits, double dropRate, double learningRate,
                          List<Variant> variants) implements MnistOptions<Options> {

        /** {@code --hidden N}. */
        public static final Option<Options, Integer> HIDDEN = Option.integer("hidden", "units in each LSTM layer",
                Options::hiddenUnits);
        /** {@code --drop R}. */
        public static final Option<Options, Double> DROP = Option.number("drop", "R",
                "drop rate of every dropout: layer inputs, and recurrent connections where dropped",
                Options::dropRate);
        /** {@code --lr R}. */
        public static final Option<Options, Double> LEARNING_RATE = CommonFlags.learningRate(Options::learningRate);
        /** The command line: the options above and the shared ones, {@code --full}, help texts. */
        public static final CommandLine<Options> COMMAND_LINE = CommandLine.builder(NAME,
                        "sequential MNIST, 2-layer LSTM: DL4J per-step vs time-shared masks, recurrent dropout",
                        Options::defaults)
                .full("LSTM 128-128 on all 60,000 training images for 20 epochs, all 10,000 test images",
                        Options::full)
                .common(Options::common)
                .options(HIDDEN, DROP, LEARNING_RATE)
                .build(v -> new Options(v.common(), v.get(HIDDEN), v.get(DROP), v.get(LEARNING_RATE),
                        v.base().variants()));

        /** Validates every field. */
        public Options {
            Require.notNull("common", common);
            Require.atLeast("hiddenUnits", hiddenUnits, 1);
            Require.dropRate("dropRate", dropRate);
            Require.positive("learningRate", learningRate);
            if (variants == null || variants.isEmpty()) {
                throw new IllegalArgumentException("variants must name at least one variant, got " + variants);
            }
            variants = List.copyOf(variants);
        }

        /**
         * Defaults sized for a few minutes on 2 cores: LSTM 64-64, 4,000 training images, 5 epochs, batch 64,
         * 1,000 test images, drop rate 0.25, all four variants.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(CommonOptions.of(5, 64, 4_000, 1_000, 42, NAME), 64, 0.25, 2e-3,
                    List.of(Variant.values()));
        }

        /**
         * Larger: LSTM 128-128 on all 60,000 training images for 20 epochs, all 10,000 test images.
         *
         * @return the larger options
         */
        public static Options full() {
            return new Options(CommonOptions.of(20, 64, 60_000, 10_000, 42, NAME), 128, 0.25, 2e-3,
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
            return new Options(common, hiddenUnits, dropRate, learningRate, value);
        }

        @Override
        public CommandLine<Options> commandLine() {
            return COMMAND_LINE;
        }
    }

    /**
     * What the example measured.
     *
     * @param options   the settings it ran with
     * @param audits    the dropout audit of each variant's configuration
     * @param histories per-epoch history of each variant trained
     * @param table     the summary table, as printed
     * @param plots     the PNG files written
     */
    public record Result(Options options, Map<Variant, AuditReport> audits, Map<Variant, List<Epoch>> histories,
                         String table, List<Path> plots) {
        /**
         * @param v a variant that was trained
         * @return its last epoch
         * @throws IllegalArgumentException if {@code v} was not among the trained variants
         */
        public Epoch last(Variant v) {
            return Histories.last(histories, v);
        }
    }

    /**
     * Turns DL4J's MNIST rows {@code [minibatch, 784]} into sequences {@code [minibatch, 28, 28]} in NCW layout:
     * feature {@code c} at time step {@code r} is the pixel in row {@code r}, column {@code c}.
     *
     * @return the preprocessor, to set on a MNIST iterator
     */
    public static DataSetPreProcessor rowsAsTimeSteps() {
        return ds -> {
            INDArray f = ds.getFeatures();
            if (f.rank() == 2) {
                long mb = f.size(0);
                ds.setFeatures(f.reshape('c', mb, 28, 28).permute(0, 2, 1).dup('c'));
            }
        };
    }

    /**
     * MNIST as sequences.
     *
     * @param batchSize   minibatch size
     * @param numExamples examples
     * @param train       training or test set
     * @param seed        seed of the order
     * @return an iterator of {@code [minibatch, 28, 28]} NCW sequences with one-hot labels
     */
    public static DataSetIterator sequences(int batchSize, int numExamples, boolean train, long seed) {
        DataSetIterator it = MnistData.iterator(batchSize, numExamples, train, seed);
        it.setPreProcessor(rowsAsTimeSteps());
        return it;
    }

    /**
     * The network's configuration: LSTM(28 to H), LSTM(H to H) of which only the last step is kept, softmax output.
     *
     * @param options settings
     * @param variant which dropout
     * @return the configuration, with its formats checked
     */
    public static MultiLayerConfiguration configuration(Options options, Variant variant) {
        int h = options.hiddenUnits();
        double rate = options.dropRate();
        LSTM.Builder lstm1 = new LSTM.Builder().nIn(28).nOut(h).activation(Activation.TANH);
        LSTM.Builder lstm2 = new LSTM.Builder().nIn(h).nOut(h).activation(Activation.TANH);
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(h).nOut(10).activation(Activation.SOFTMAX);
        switch (variant) {
            case NONE -> { }
            case PER_STEP -> {
                // DL4J's Dropout takes the probability of RETAINING, and keeps its mask on the configuration
                // object: one instance per layer.
                lstm2.dropOut(new Dropout(1 - rate));
                output.dropOut(new Dropout(1 - rate));
            }
            case TIME_SHARED, TIME_SHARED_RECURRENT -> {
                lstm2.dropOut(Dropouts.timeShared(rate, RNNFormat.NCW));
                output.dropOut(Dropouts.standard(rate)); // the output layer sees [minibatch, H]: no time axis
                if (variant == Variant.TIME_SHARED_RECURRENT) {
                    lstm1.weightNoise(Dropouts.recurrentWeights(rate));
                    lstm2.weightNoise(Dropouts.recurrentWeights(rate));
                }
            }
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(options.common().seed())
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(options.learningRate()))
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                .gradientNormalizationThreshold(1.0)
                .list()
                .layer(lstm1.build())
                .layer(new LastTimeStep(lstm2.build()))
                .layer(output.build())
                .setInputType(InputType.recurrent(28, 28, RNNFormat.NCW))
                .build();
        Dropouts.checkFormats(conf);
        return conf;
    }

    /**
     * Audits one variant's configuration, prints the report and stops on an ERROR.
     *
     * @param variant which dropout
     * @param conf    its configuration
     * @return the report
     * @throws IllegalStateException if the report has an ERROR
     */
    static AuditReport audit(Variant variant, MultiLayerConfiguration conf) {
        return Audits.print(variant.label(), DropoutAudit.of(conf), variant == Variant.PER_STEP
                ? "DL4J's per-step dropout on an LSTM is the baseline this example demonstrates" : null);
    }

    /**
     * Trains every variant, prints the table and writes the plot and a CSV file.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        CommonOptions c = options.common();
        DataSetIterator train = sequences(c.batchSize(), c.trainExamples(), true, c.seed());
        DataSetIterator test = sequences(c.batchSize(), c.testExamples(), false, c.seed());
        System.out.printf("Sequential MNIST (28 steps x 28 pixels), LSTM %d-%d, drop rate %.2f, %,d training images,"
                        + " %d epochs, batch %d; test on %,d images%n", options.hiddenUnits(), options.hiddenUnits(),
                options.dropRate(), c.trainExamples(), c.epochs(), c.batchSize(), c.testExamples());
        Map<Variant, AuditReport> audits = new EnumMap<>(Variant.class);
        Map<Variant, MultiLayerConfiguration> confs = new EnumMap<>(Variant.class);
        for (Variant v : options.variants()) {
            confs.put(v, configuration(options, v));
            audits.put(v, audit(v, confs.get(v)));
        }
        Map<Variant, List<Epoch>> histories = new EnumMap<>(Variant.class);
        for (Variant v : options.variants()) {
            histories.put(v, Training.fit(String.format("%-24s", v.label()), Training.network(confs.get(v)), train,
                    test, c.epochs()));
        }

        Table table = Histories.table("variant (after " + c.epochs() + " epochs)", histories, Variant::label);
        System.out.println();
        System.out.println(table);

        Path dir = c.outputDir();
        Csv.write(dir.resolve("epochs.csv"), Histories.csv("variant", histories, v -> List.of(v.name())));
        Path plot = Histories.testErrorPlot(dir.resolve("rnn-test-error-by-epoch.png"),
                "Sequential MNIST, 2-layer LSTM: test error by epoch", histories, Variant::label);
        System.out.println("Plot and CSV file written to " + dir);
        return new Result(options, audits, histories, table.toString(), List.of(plot));
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
