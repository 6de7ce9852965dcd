package io.github.dl4jdropout.examples.regression;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.Audits;
import io.github.dl4jdropout.examples.support.CommandLine;
import io.github.dl4jdropout.examples.support.CommonFlags;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.ExampleOptions;
import io.github.dl4jdropout.examples.support.Option;
import io.github.dl4jdropout.examples.support.Progress;
import io.github.dl4jdropout.examples.support.Require;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.examples.support.Training;
import io.github.dl4jdropout.examples.support.Vectors;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Monte Carlo dropout for regression: predictive intervals that widen where there is no data (Gal and Ghahramani
 * 2016, "Dropout as a Bayesian Approximation", ICML, section 5.1 and Figure 2).
 *
 * <p>Training points are drawn from a {@link NoisyCurve}, {@code y = sin(3x) + 0.3x + noise} for x in [-3, 3],
 * except in a gap (by default [-0.5, 1.0]) where there are none. An MLP with dropout on its hidden layers is fitted
 * with mean squared error. {@link MonteCarloEvaluator} with {@link McTask#REGRESSION} then runs T stochastic passes
 * over a dense grid: the mean of the passes is the prediction, their variance the model's (epistemic) uncertainty.
 * The observation noise variance (the aleatoric part, Gal's {@code tau^-1}) is estimated from the training residuals
 * and added to it for the interval {@code mean +- 2 sqrt(variance + noise)} ({@link IntervalPlot}); test points in
 * the gap and in the training range are scored by {@link Region}.
 *
 * <p>The claim it measures: the Monte Carlo standard deviation is larger inside the gap than over the training
 * data, so the interval widens there, while standard inference (one deterministic pass) has no such signal.
 */
public final class RegressionExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "regression";

    /** Noisy test points drawn over the whole range [-3, 3], gap included. */
    public static final int TEST_POINTS = 2_000;

    private RegressionExample() {
    }

    /**
     * Settings of the regression example. Change one with {@link #with}, e.g.
     * {@code defaults().with(Options.ITERATIONS, 400)}.
     *
     * @param seed         seed of the data, weight initialization and dropout masks
     * @param outputDir    where plots and CSV files go
     * @param trainPoints  number of training points (all outside the gap)
     * @param curve        the function, its noise and the gap without training data
     * @param hiddenUnits  units per hidden layer
     * @param hiddenLayers number of hidden layers, at least 1
     * @param dropRate     drop rate on every hidden layer's output (not on the 1-D input), in (0, 1)
     * @param activation   hidden activation, {@code TANH} or {@code RELU}
     * @param iterations   full-batch Adam steps
     * @param learningRate Adam's learning rate
     * @param l2           L2 weight decay (Gal's prior length scale, in DL4J's convention); 0 for none
     * @param mcSamples    Monte Carlo passes T
     * @param gridPoints   points of the prediction grid over [-4, 4]
     */
    public record Options(long seed, Path outputDir, int trainPoints, NoisyCurve curve, int hiddenUnits,
                          int hiddenLayers, double dropRate, Activation activation, int iterations,
                          double learningRate, double l2, int mcSamples, int gridPoints)
            implements ExampleOptions<Options> {

        /** {@code --seed N}. */
        public static final Option<Options, Long> SEED = CommonFlags.seed(Options::seed);
        /** {@code --out DIR}. */
        public static final Option<Options, Path> OUT = CommonFlags.out(Options::outputDir);
        /** {@code --train N}. */
        public static final Option<Options, Integer> TRAIN = Option.integer("train",
                "training points, none in the gap", Options::trainPoints);
        /** {@code --noise S}. */
        public static final Option<Options, Double> NOISE = Option.number("noise", "S",
                "standard deviation of the Gaussian noise on y", o -> o.curve().noiseStd());
        /** {@code --gap-from X}. */
        public static final Option<Options, Double> GAP_FROM = Option.number("gap-from", "X",
                "lower end of the gap without training data, in [-3, 3]", o -> o.curve().gapFrom());
        /** {@code --gap-to X}. */
        public static final Option<Options, Double> GAP_TO = Option.number("gap-to", "X",
                "upper end of the gap, above --gap-from, in [-3, 3]", o -> o.curve().gapTo());
        /** {@code --hidden N}. */
        public static final Option<Options, Integer> HIDDEN = Option.integer("hidden", "units per hidden layer",
                Options::hiddenUnits);
        /** {@code --layers N}. */
        public static final Option<Options, Integer> LAYERS = Option.integer("layers", "hidden layers",
                Options::hiddenLayers);
        /** {@code --drop R}. */
        public static final Option<Options, Double> DROP = Option.number("drop", "R",
                "drop rate on every hidden layer's output, in (0, 1)", Options::dropRate);
        /** {@code --relu}. */
        public static final Option<Options, Boolean> RELU = Option.flag("relu",
                "ReLU hidden units instead of tanh", o -> o.activation() == Activation.RELU);
        /** {@code --iterations N}. */
        public static final Option<Options, Integer> ITERATIONS = Option.integer("iterations",
                "full-batch Adam steps", Options::iterations);
        /** {@code --lr R}. */
        public static final Option<Options, Double> LEARNING_RATE = CommonFlags.learningRate(Options::learningRate);
        /** {@code --l2 R}. */
        public static final Option<Options, Double> L2 = Option.number("l2", "R", "L2 weight decay, 0 for none",
                Options::l2);
        /** {@code --mc-samples T}. */
        public static final Option<Options, Integer> MC_SAMPLES = CommonFlags.mcSamples(Options::mcSamples);
        /** {@code --grid N}. */
        public static final Option<Options, Integer> GRID = Option.integer("grid",
                "points of the prediction grid over [-4, 4]", Options::gridPoints);
        /** The command line: the options above, help texts. */
        public static final CommandLine<Options> COMMAND_LINE = CommandLine.builder(NAME,
                        "MC dropout predictive intervals on a 1-D curve with a gap in the training data",
                        Options::defaults)
                .options(SEED, OUT, TRAIN, NOISE, GAP_FROM, GAP_TO, HIDDEN, LAYERS, DROP, RELU, ITERATIONS,
                        LEARNING_RATE, L2, MC_SAMPLES, GRID)
                .build(v -> new Options(v.get(SEED), v.get(OUT), v.get(TRAIN),
                        new NoisyCurve(v.get(NOISE), v.get(GAP_FROM), v.get(GAP_TO)), v.get(HIDDEN), v.get(LAYERS),
                        v.get(DROP), v.get(RELU) ? Activation.RELU : Activation.TANH, v.get(ITERATIONS),
                        v.get(LEARNING_RATE), v.get(L2), v.get(MC_SAMPLES), v.get(GRID)));

        /** Validates every field. */
        public Options {
            Require.notNull("outputDir", outputDir);
            Require.notNull("curve", curve);
            Require.notNull("activation", activation);
            Require.atLeast("trainPoints", trainPoints, 2);
            Require.atLeast("hiddenUnits", hiddenUnits, 1);
            Require.atLeast("hiddenLayers", hiddenLayers, 1);
            if (!(dropRate > 0 && dropRate < 1)) {
                throw new IllegalArgumentException("dropRate must be in (0, 1): Monte Carlo dropout needs dropout,"
                        + " got " + dropRate);
            }
            if (activation != Activation.TANH && activation != Activation.RELU) {
                throw new IllegalArgumentException("activation must be TANH or RELU, got " + activation);
            }
            Require.atLeast("iterations", iterations, 1);
            Require.positive("learningRate", learningRate);
            Require.nonNegative("l2", l2);
            Require.atLeast("mcSamples", mcSamples, 2);
            Require.atLeast("gridPoints", gridPoints, 10);
        }

        /**
         * Defaults: 200 training points with noise 0.1 outside the gap [-0.5, 1.0], a 1-64-64-64-1 tanh network
         * with drop rate 0.1 on the hidden layers, 3,000 full-batch Adam steps (learning rate 0.01), T = 200
         * passes over 400 grid points. Well under a minute on 2 cores.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(42, CommonOptions.defaultOutputDir(NAME), 200, new NoisyCurve(0.1, -0.5, 1.0), 64, 3,
                    0.1, Activation.TANH, 3_000, 1e-2, 1e-4, 200, 400);
        }

        /**
         * Reads options from the command line; {@code ./run-example regression --help} lists them.
         *
         * @param argv any of the options of {@link #COMMAND_LINE}
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
     * @param options                  the settings it ran with
     * @param train                    the training points
     * @param gridX                    the prediction grid
     * @param mcMean                   Monte Carlo predictive mean on the grid
     * @param mcStd                    Monte Carlo standard deviation on the grid (epistemic)
     * @param deterministic            standard inference on the grid
     * @param observationNoiseVariance noise variance estimated from the training residuals of the MC mean
     * @param gapStd                   mean MC standard deviation over grid points in the gap
     * @param trainingRangeStd         mean MC standard deviation over grid points in the training range
     * @param outsideDomainStd         mean MC standard deviation over grid points beyond [-3, 3]
     * @param inGap                    test-point metrics in the gap
     * @param outsideGap               test-point metrics in the training range
     * @param trainSeconds             wall time of training
     * @param audit                    the dropout audit of the configuration
     * @param table                    the summary table, as printed
     * @param plots                    the PNG files written
     */
    public record Result(Options options, Points train, double[] gridX, double[] mcMean, double[] mcStd,
                         double[] deterministic, double observationNoiseVariance, double gapStd,
                         double trainingRangeStd, double outsideDomainStd, Region inGap, Region outsideGap,
                         double trainSeconds, AuditReport audit, String table, List<Path> plots) {
        /** @return how many times larger the MC standard deviation is in the gap than over the training data */
        public double gapStdRatio() {
            return gapStd / trainingRangeStd;
        }
    }

    /**
     * The network: 1-H-...-H-1, dropout on the input of every layer after the first (so on every hidden layer's
     * output), identity output, mean squared error, Adam.
     *
     * @param options settings
     * @return the configuration
     */
    public static MultiLayerConfiguration configuration(Options options) {
        int h = options.hiddenUnits();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(options.seed())
                .dataType(DataType.FLOAT)
                .weightInit(options.activation() == Activation.RELU ? WeightInit.RELU : WeightInit.XAVIER)
                .updater(new Adam(options.learningRate()))
                .l2(options.l2())
                .list();
        // No dropout on the 1-D input: dropping x itself would only teach the network to predict at x = 0.
        list.layer(new DenseLayer.Builder().nIn(1).nOut(h).activation(options.activation()).build());
        for (int i = 1; i < options.hiddenLayers(); i++) {
            list.layer(new DenseLayer.Builder().nIn(h).nOut(h).activation(options.activation())
                    .dropOut(Dropouts.standard(options.dropRate())).build());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(h).nOut(1)
                .activation(Activation.IDENTITY).dropOut(Dropouts.standard(options.dropRate())).build());
        return list.build();
    }

    /**
     * Fits {@code net} with full-batch steps, showing progress.
     *
     * @param net        an initialized network
     * @param train      training points
     * @param iterations number of steps
     * @return wall time in seconds
     */
    public static double fit(MultiLayerNetwork net, Points train, int iterations) {
        DataSet ds = train.toDataSet();
        long start = System.nanoTime();
        try (ProgressBar bar = Progress.start("training", iterations)) {
            for (int i = 0; i < iterations; i++) {
                net.fit(ds);
                bar.step();
                if (i % 250 == 0 || i == iterations - 1) {
                    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", net.score()));
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The observation noise variance (aleatoric, Gal's {@code tau^-1}) as the residual variance of a prediction.
     *
     * @param y          targets
     * @param prediction predictions, as many
     * @return the mean squared residual
     */
    public static double meanSquaredResidual(double[] y, double[] prediction) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (y[i] - prediction[i]) * (y[i] - prediction[i]);
        }
        return s / y.length;
    }

    /**
     * Runs the whole example: data, audit, training, Monte Carlo predictions, table, plot and CSV.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        NoisyCurve curve = options.curve();
        Random rng = new Random(options.seed());
        Points train = curve.sample(options.trainPoints(), false, rng);
        Points test = curve.sample(TEST_POINTS, true, rng);
        System.out.printf(Locale.ROOT, "y = sin(3x) + 0.3x + N(0, %.2f^2): %d training points on [%.1f, %.1f]"
                        + " without the gap [%.2f, %.2f]%n", curve.noiseStd(), options.trainPoints(),
                NoisyCurve.DOMAIN_MIN, NoisyCurve.DOMAIN_MAX, curve.gapFrom(), curve.gapTo());

        MultiLayerConfiguration conf = configuration(options);
        AuditReport audit = Audits.print(null, DropoutAudit.forMonteCarlo(conf));
        MultiLayerNetwork net = Training.network(conf);
        double seconds = fit(net, train, options.iterations());

        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION)
                .samples(options.mcSamples()).seed(options.seed()).build();
        // Aleatoric noise, Gal's tau^-1: the residual variance of the MC mean on the training points.
        McPrediction onTrain = mc.predict(Vectors.column(train.x()));
        double noiseVariance = meanSquaredResidual(train.y(), Vectors.values(onTrain.mean()));

        double[] gridX = NoisyCurve.grid(options.gridPoints());
        McPrediction onGrid = mc.predict(Vectors.column(gridX));
        double[] mean = Vectors.values(onGrid.mean());
        double[] std = Arrays.stream(Vectors.values(onGrid.variance())).map(Math::sqrt).toArray();
        double[] det = Vectors.values(onGrid.deterministic());

        double gapStd = Vectors.meanWhere(gridX, std, curve::inGap);
        double rangeStd = Vectors.meanWhere(gridX, std, curve::inTrainingRange);
        double beyondStd = Vectors.meanWhere(gridX, std, x -> x < NoisyCurve.DOMAIN_MIN || x > NoisyCurve.DOMAIN_MAX);

        MonteCarloEvaluator withNoise = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION)
                .samples(options.mcSamples()).seed(options.seed()).observationNoiseVariance(noiseVariance).build();
        Region gap = Region.measure("test points in the gap", test.filter(curve::inGap), withNoise, noiseVariance);
        Region outside = Region.measure("test points in the training range", test.filter(curve::inTrainingRange),
                withNoise, noiseVariance);

        Table table = summary(options, noiseVariance, gapStd, rangeStd, beyondStd, List.of(gap, outside), seconds);
        System.out.println();
        System.out.println(table);

        Path dir = options.outputDir();
        Csv.write(dir.resolve("regression-grid.csv"), gridCsv(gridX, mean, std, det, noiseVariance));
        Csv.write(dir.resolve("regression-train.csv"), train.csv());
        List<Path> plots = List.of(IntervalPlot.write(dir.resolve("regression-mc-intervals.png"), curve,
                options.mcSamples(), train, gridX, mean, std, det, noiseVariance));
        System.out.println("Plot and CSV files written to " + dir);
        return new Result(options, train, gridX, mean, std, det, noiseVariance, gapStd, rangeStd, beyondStd, gap,
                outside, seconds, audit, table.toString(), plots);
    }

    private static Table summary(Options o, double noiseVariance, double gapStd, double rangeStd, double beyondStd,
                                 List<Region> regions, double seconds) {
        System.out.printf(Locale.ROOT, "trained %d full-batch steps in %.1f s; observation noise std estimated %.3f"
                + " (true %.3f)%n", o.iterations(), seconds, Math.sqrt(noiseVariance), o.curve().noiseStd());
        System.out.printf(Locale.ROOT, "mean MC std over the grid: gap %.4f, training range %.4f (ratio %.2f),"
                + " beyond [-3, 3] %.4f%n", gapStd, rangeStd, gapStd / rangeStd, beyondStd);
        Table t = new Table("region (T = " + o.mcSamples() + ")", "points", "mean MC std", "RMSE MC",
                "RMSE standard", "Gaussian NLL MC", "Gaussian NLL standard", "in +-2 sigma MC",
                "in +-2 sigma standard");
        for (Region r : regions) {
            t.row(r.label(), r.points(), Table.num(r.meanStd(), 4), Table.num(r.mcRmse(), 4),
                    Table.num(r.detRmse(), 4), Table.num(r.mcNll(), 4), Table.num(r.detNll(), 4),
                    Table.pct(r.mcCover()), Table.pct(r.detCover()));
        }
        return t;
    }

    private static List<String> gridCsv(double[] x, double[] mean, double[] std, double[] det, double noiseVar) {
        List<String> lines = new ArrayList<>();
        lines.add("x,truth,mc_mean,mc_std,mc_total_std,deterministic");
        for (int i = 0; i < x.length; i++) {
            lines.add(Csv.line(x[i], NoisyCurve.truth(x[i]), mean[i], std[i], Math.sqrt(std[i] * std[i] + noiseVar),
                    det[i]));
        }
        return lines;
    }

    /**
     * Command line: {@code ./run-example regression --help} lists the options.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Options.COMMAND_LINE.main(args, RegressionExample::run);
    }
}
