package io.github.dl4jdropout.examples.cnn;

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
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Standard against spatial dropout on convolutional feature maps, in both of DL4J's 2-D layouts, in a network with
 * BatchNormalization.
 *
 * <p>Network: conv 3x3 (C1) - BatchNorm - ReLU - max-pool 2 - conv 3x3 (C2) - BatchNorm - ReLU - max-pool 2 -
 * dense 128 ReLU - softmax. The dropout variants put a dropout on the input of the second convolution, that is on
 * the feature maps of the first block, and the same standard dropout (0.5 by default) on the input of the output
 * layer:
 * <ul>
 *     <li>standard dropout drops single activations; neighbouring pixels of a feature map are strongly correlated,
 *     so the next layer can read a dropped activation off its neighbours and the regularization is weak;</li>
 *     <li>spatial dropout ({@code Dropouts.spatial(rate, format)}, Tompson et al. 2015) drops whole feature maps,
 *     the same for every position.</li>
 * </ul>
 * The layout (NCHW, DL4J's default, or NHWC) must be given to {@code Dropouts.spatial} as well as to the layers;
 * {@code Dropouts.checkFormats} catches a mismatch.
 *
 * <p>Every configuration goes through {@link DropoutAudit} before training ({@link DropoutAudit#forMonteCarlo} for
 * the dropout variants, which are sampled afterwards). The standard variant is expected to get the WARNING
 * {@code ELEMENTWISE_DROPOUT_ON_FEATURE_MAPS}: it is the practice this example measures against spatial dropout.
 *
 * <p>Each dropout network is evaluated twice on the test set: standard inference (dropout off), and Monte Carlo
 * dropout with {@link MonteCarloEvaluator} (T stochastic passes averaged), side by side in accuracy, NLL, Brier score
 * and expected calibration error. Monte Carlo evaluation of this network must not use {@code output(x, true)}: that
 * would also switch BatchNormalization to minibatch statistics; the evaluator runs only the layers that carry dropout
 * in training mode and BatchNormalization in inference mode.
 */
public final class CnnDropoutExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "cnn";

    private CnnDropoutExample() {
    }

    /** Which dropout on the feature maps. */
    public enum Variant {
        /** No dropout anywhere. */
        NONE("no dropout"),
        /** Element-wise dropout on the feature maps. */
        STANDARD("standard"),
        /** Whole feature maps dropped. */
        SPATIAL("spatial");

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
     * One network to train.
     *
     * @param variant dropout on the feature maps
     * @param format  activation layout of every convolutional layer
     */
    public record Config(Variant variant, CNN2DFormat format) {
        /** Checks for nulls. */
        public Config {
            if (variant == null || format == null) {
                throw new IllegalArgumentException("variant and format must not be null, got " + variant + ", "
                        + format);
            }
        }

        /** @return e.g. {@code "spatial, NHWC"} */
        public String label() {
            return variant.label() + ", " + format;
        }

        /** @return the CSV cells that name it: variant and format, e.g. {@code SPATIAL, NHWC} */
        public List<Object> csvKey() {
            return List.of(variant.name(), format.name());
        }
    }

    /**
     * Settings of the CNN example. Change one with {@link #with}, e.g. {@code defaults().with(Options.MC_SAMPLES, 5)}.
     *
     * @param common        shared settings
     * @param mapDropRate   drop rate on the feature maps (standard or spatial)
     * @param denseDropRate drop rate on the input of the output layer, in the dropout variants
     * @param learningRate  Adam's learning rate
     * @param mcSamples     Monte Carlo passes T per test image, for the networks with dropout
     * @param configs       which networks to train, in this order
     */
    public record Options(CommonOptions common, double mapDropRate, double denseDropRate, double learningRate,
                          int mcSamples, List<Config> configs) implements MnistOptions<Options> {

        /** {@code --map-drop R}. */
        public static final Option<Options, Double> MAP_DROP = Option.number("map-drop", "R",
                "drop rate on the first block's feature maps (standard or spatial)", Options::mapDropRate);
        /** {@code --dense-drop R}. */
        public static final Option<Options, Double> DENSE_DROP = Option.number("dense-drop", "R",
                "drop rate on the input of the output layer, in the dropout networks", Options::denseDropRate);
        /** {@code --lr R}. */
        public static final Option<Options, Double> LEARNING_RATE = CommonFlags.learningRate(Options::learningRate);
        /** {@code --mc-samples T}. */
        public static final Option<Options, Integer> MC_SAMPLES = CommonFlags.mcSamples(Options::mcSamples);
        /** The command line: the options above and the shared ones, {@code --full}, help texts. */
        public static final CommandLine<Options> COMMAND_LINE = CommandLine.builder(NAME,
                        "standard vs spatial dropout on CNN feature maps (NCHW, NHWC, BatchNorm); MC vs standard",
                        Options::defaults)
                .full("all 60,000 training and 10,000 test images, 15 epochs, T = 30, standard dropout in NHWC too",
                        Options::full)
                .common(Options::common)
                .options(MAP_DROP, DENSE_DROP, LEARNING_RATE, MC_SAMPLES)
                .build(v -> new Options(v.common(), v.get(MAP_DROP), v.get(DENSE_DROP), v.get(LEARNING_RATE),
                        v.get(MC_SAMPLES), v.base().configs()));

        /** Validates every field. */
        public Options {
            Require.notNull("common", common);
            Require.dropRate("mapDropRate", mapDropRate);
            Require.dropRate("denseDropRate", denseDropRate);
            Require.positive("learningRate", learningRate);
            Require.atLeast("mcSamples", mcSamples, 1);
            if (configs == null || configs.isEmpty()) {
                throw new IllegalArgumentException("configs must name at least one network, got " + configs);
            }
            configs = List.copyOf(configs);
        }

        /**
         * The four networks trained by default: no dropout, standard and spatial in NCHW, and spatial in NHWC.
         *
         * @return the configurations
         */
        public static List<Config> defaultConfigs() {
            return List.of(new Config(Variant.NONE, CNN2DFormat.NCHW),
                    new Config(Variant.STANDARD, CNN2DFormat.NCHW), new Config(Variant.SPATIAL, CNN2DFormat.NCHW),
                    new Config(Variant.SPATIAL, CNN2DFormat.NHWC));
        }

        /** @return all five networks: no dropout (NCHW), then standard and spatial in NCHW and NHWC */
        public static List<Config> allConfigs() {
            return List.of(new Config(Variant.NONE, CNN2DFormat.NCHW),
                    new Config(Variant.STANDARD, CNN2DFormat.NCHW), new Config(Variant.SPATIAL, CNN2DFormat.NCHW),
                    new Config(Variant.STANDARD, CNN2DFormat.NHWC), new Config(Variant.SPATIAL, CNN2DFormat.NHWC));
        }

        /**
         * Defaults for a few minutes on 2 cores: 3,000 training images, 5 epochs, batch 64, 2,000 test images,
         * map drop rate 0.2, dense drop rate 0.5, T = 20 Monte Carlo passes, the four {@link #defaultConfigs()}.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(CommonOptions.of(5, 64, 3_000, 2_000, 42, NAME), 0.2, 0.5, 1e-3, 20,
                    defaultConfigs());
        }

        /** @return all 60,000 training images, all 10,000 test images, 15 epochs, T = 30, all five networks */
        public static Options full() {
            return new Options(CommonOptions.of(15, 64, 60_000, 10_000, 42, NAME), 0.2, 0.5, 1e-3, 30,
                    allConfigs());
        }

        /**
         * Reads options from the command line; {@code ./run-example cnn --help} lists them.
         *
         * @param argv {@code --full} for {@link #full()}, then any of the options of {@link #COMMAND_LINE}
         * @return validated options
         * @throws IllegalArgumentException on an unknown option (the message lists the known ones) or a bad value
         */
        public static Options parse(String... argv) {
            return COMMAND_LINE.parse(argv);
        }

        /** @param value networks to train @return a copy with {@code configs} replaced */
        public Options withConfigs(List<Config> value) {
            return new Options(common, mapDropRate, denseDropRate, learningRate, mcSamples, value);
        }

        @Override
        public CommandLine<Options> commandLine() {
            return COMMAND_LINE;
        }
    }

    /**
     * What the example measured.
     *
     * @param options    the settings it ran with
     * @param audits     the dropout audit of each network's configuration, in the order trained
     * @param histories  per-epoch history of each network, in the order trained
     * @param monteCarlo the evaluator's report (Monte Carlo against standard inference on the test set) of each
     *                   network with dropout; the network without dropout has none (nothing to sample)
     * @param table      the summary tables, as printed
     * @param plots      the PNG files written
     */
    public record Result(Options options, Map<Config, AuditReport> audits, Map<Config, List<Epoch>> histories,
                         Map<Config, McReport> monteCarlo, String table, List<Path> plots) {
        /**
         * @param c a network that was trained
         * @return its last epoch
         * @throws IllegalArgumentException if {@code c} was not among the trained configurations
         */
        public Epoch last(Config c) {
            return Histories.last(histories, c);
        }
    }

    /**
     * Turns DL4J's MNIST rows {@code [minibatch, 784]} into images {@code [minibatch, 1, 28, 28]} (NCHW) or
     * {@code [minibatch, 28, 28, 1]} (NHWC).
     *
     * @param format the layout the network expects
     * @return the preprocessor
     */
    public static DataSetPreProcessor images(CNN2DFormat format) {
        return ds -> {
            INDArray f = ds.getFeatures();
            if (f.rank() == 2) {
                long mb = f.size(0);
                ds.setFeatures(format == CNN2DFormat.NCHW ? f.reshape('c', mb, 1, 28, 28)
                        : f.reshape('c', mb, 28, 28, 1));
            }
        };
    }

    /**
     * MNIST as images in the given layout.
     *
     * @param batchSize   minibatch size
     * @param numExamples examples
     * @param train       training or test set
     * @param seed        seed of the order
     * @param format      layout
     * @return the iterator
     */
    public static DataSetIterator images(int batchSize, int numExamples, boolean train, long seed,
                                         CNN2DFormat format) {
        DataSetIterator it = MnistData.iterator(batchSize, numExamples, train, seed);
        it.setPreProcessor(images(format));
        return it;
    }

    /**
     * The network configuration for one variant and layout.
     *
     * @param options settings
     * @param config  variant and layout
     * @return the configuration, with its formats checked
     */
    public static MultiLayerConfiguration configuration(Options options, Config config) {
        CNN2DFormat f = config.format();
        ConvolutionLayer.Builder conv2 = new ConvolutionLayer.Builder(3, 3).nOut(32).dataFormat(f)
                .activation(Activation.IDENTITY);
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                .activation(Activation.SOFTMAX);
        switch (config.variant()) {
            case NONE -> { }
            case STANDARD -> conv2.dropOut(Dropouts.standard(options.mapDropRate()));
            case SPATIAL -> conv2.dropOut(Dropouts.spatial(options.mapDropRate(), f));
            default -> throw new IllegalArgumentException("unknown variant " + config.variant());
        }
        if (config.variant() != Variant.NONE) {
            output.dropOut(Dropouts.standard(options.denseDropRate()));
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(options.common().seed())
                .weightInit(WeightInit.RELU)
                .updater(new Adam(options.learningRate()))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).dataFormat(f).activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().dataFormat(f).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(f).build())
                .layer(conv2.build())
                .layer(new BatchNormalization.Builder().dataFormat(f).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(f).build())
                .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                .layer(output.build())
                .setInputType(InputType.convolutional(28, 28, 1, f))
                .build();
        Dropouts.checkFormats(conf);
        return conf;
    }

    /**
     * Audits one configuration: {@link DropoutAudit#forMonteCarlo} for a variant with dropout (it is sampled after
     * training), {@link DropoutAudit#of} for the network without; prints the report and stops on an ERROR.
     *
     * @param config the network's variant and layout
     * @param conf   its configuration
     * @return the report
     * @throws IllegalStateException if the report has an ERROR
     */
    static AuditReport audit(Config config, MultiLayerConfiguration conf) {
        return Audits.print(config.label(), config.variant() == Variant.NONE ? DropoutAudit.of(conf)
                : DropoutAudit.forMonteCarlo(conf), config.variant() == Variant.STANDARD
                ? "element-wise dropout on feature maps is the baseline that spatial dropout is compared with" : null);
    }

    /**
     * Trains every configured network, prints the table and writes the plot and a CSV file.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        CommonOptions c = options.common();
        System.out.printf("CNN with BatchNormalization on %,d MNIST training images, %d epochs, batch %d; feature-map"
                        + " drop rate %.2f, output-layer drop rate %.2f; test on %,d images%n", c.trainExamples(),
                c.epochs(), c.batchSize(), options.mapDropRate(), options.denseDropRate(), c.testExamples());
        Map<Config, AuditReport> audits = new LinkedHashMap<>();
        for (Config config : options.configs()) {
            audits.put(config, audit(config, configuration(options, config)));
        }
        Map<Config, List<Epoch>> histories = new LinkedHashMap<>();
        Map<Config, McReport> monteCarlo = new LinkedHashMap<>();
        for (Config config : options.configs()) {
            DataSetIterator train = images(c.batchSize(), c.trainExamples(), true, c.seed(), config.format());
            DataSetIterator test = images(c.batchSize(), c.testExamples(), false, c.seed(), config.format());
            MultiLayerNetwork net = Training.network(configuration(options, config));
            histories.put(config, Training.fit(String.format("%-16s", config.label()), net, train, test,
                    c.epochs()));
            if (config.variant() != Variant.NONE) {
                // BatchNormalization stays in inference mode; only the layers with dropout sample.
                MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(options.mcSamples())
                        .seed(c.seed()).build();
                monteCarlo.put(config, mc.evaluate(test));
            }
        }

        Table table = Histories.table("maps dropout, layout (after " + c.epochs() + " epochs)", histories,
                Config::label);
        Table mcTable = McTables.table("network, test set (MC: T = " + options.mcSamples() + ")", monteCarlo,
                Config::label, McTables.CLASSIFICATION);
        String printed = table + (monteCarlo.isEmpty() ? "" : "\n\nMonte Carlo dropout against standard inference"
                + " (no dropout: nothing to sample):\n" + mcTable);
        System.out.println();
        System.out.println(printed);

        Path dir = c.outputDir();
        Csv.write(dir.resolve("epochs.csv"), Histories.csv("variant,format", histories, Config::csvKey));
        Csv.write(dir.resolve("monte-carlo.csv"), McTables.csv("variant,format", monteCarlo, Config::csvKey,
                McTables.CLASSIFICATION));
        Path plot = Histories.testErrorPlot(dir.resolve("cnn-test-error-by-epoch.png"),
                "CNN with BatchNorm on MNIST: test error by epoch", histories, Config::label);
        System.out.println("Plot and CSV files written to " + dir);
        return new Result(options, audits, histories, monteCarlo, printed, List.of(plot));
    }

    /**
     * Command line: {@code ./run-example cnn --help} lists the options.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Options.COMMAND_LINE.main(args, CnnDropoutExample::run);
    }
}
