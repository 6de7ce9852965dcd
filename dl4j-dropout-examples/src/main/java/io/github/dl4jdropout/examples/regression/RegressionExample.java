package io.github.dl4jdropout.examples.regression;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.AuditReport;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.Args;
import io.github.dl4jdropout.examples.support.Cli;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.Plots;
import io.github.dl4jdropout.examples.support.Progress;
import io.github.dl4jdropout.examples.support.Table;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import io.github.dl4jdropout.montecarlo.RegressionMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.DoublePredicate;
import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Monte Carlo dropout for regression: predictive intervals that widen where there is no data (Gal and Ghahramani
 * 2016, "Dropout as a Bayesian Approximation", ICML, section 5.1 and Figure 2).
 *
 * <p>Training points are drawn from {@code y = sin(3x) + 0.3x + noise} for x in [-3, 3], except in a gap (by
 * default [-0.5, 1.0]) where there are none. An MLP with dropout on its hidden layers is fitted with mean squared
 * error. {@link MonteCarloEvaluator} with {@link McTask#REGRESSION} then runs T stochastic passes over a dense grid:
 * the mean of the passes is the prediction, their variance the model's (epistemic) uncertainty. The observation
 * noise variance (the aleatoric part, Gal's {@code tau^-1}) is estimated from the training residuals and added to
 * it for the interval {@code mean +- 2 sqrt(variance + noise)}.
 *
 * <p>The claim it measures: the Monte Carlo standard deviation is larger inside the gap than over the training
 * data, so the interval widens there, while standard inference (one deterministic pass) has no such signal.
 */
public final class RegressionExample {

    /** Short name, used for the default output folder and by {@code run-example}. */
    public static final String NAME = "regression";

    /** Lower end of the input range the training points are drawn from. */
    public static final double DOMAIN_MIN = -3.0;

    /** Upper end of the input range the training points are drawn from. */
    public static final double DOMAIN_MAX = 3.0;

    /** The plot and the grid extend this far beyond the training range on each side, to show extrapolation. */
    public static final double GRID_MARGIN = 1.0;

    private static final String USAGE = "[--seed N] [--out DIR] [--train N] [--noise S] [--gap-from X] [--gap-to X]"
            + " [--hidden N] [--layers N] [--drop R] [--relu] [--iterations N] [--lr R] [--l2 R]"
            + " [--mc-samples T] [--grid N]";

    private RegressionExample() {
    }

    /**
     * Settings of the regression example.
     *
     * @param seed         seed of the data, weight initialization and dropout masks
     * @param outputDir    where plots and CSV files go
     * @param trainPoints  number of training points (all outside the gap)
     * @param noiseStd     standard deviation of the Gaussian noise added to the targets
     * @param gapFrom      lower end of the gap without training data, inside [-3, 3]
     * @param gapTo        upper end of the gap, above {@code gapFrom}, inside [-3, 3]
     * @param hiddenUnits  units per hidden layer
     * @param hiddenLayers number of hidden layers, at least 1
     * @param dropRate     drop rate on every hidden layer's output (not on the 1-D input)
     * @param activation   hidden activation, {@code TANH} or {@code RELU}
     * @param iterations   full-batch Adam steps
     * @param learningRate Adam's learning rate
     * @param l2           L2 weight decay (Gal's prior length scale, in DL4J's convention); 0 for none
     * @param mcSamples    Monte Carlo passes T
     * @param gridPoints   points of the prediction grid over [-4, 4]
     */
    public record Options(long seed, Path outputDir, int trainPoints, double noiseStd, double gapFrom, double gapTo,
                          int hiddenUnits, int hiddenLayers, double dropRate, Activation activation, int iterations,
                          double learningRate, double l2, int mcSamples, int gridPoints) {

        /** Validates every field. */
        public Options {
            Objects.requireNonNull(outputDir, "outputDir must not be null");
            Objects.requireNonNull(activation, "activation must not be null");
            atLeast("trainPoints", trainPoints, 2);
            if (!(noiseStd >= 0) || Double.isInfinite(noiseStd)) {
                throw new IllegalArgumentException("noiseStd must be finite and >= 0, got " + noiseStd);
            }
            if (!(gapFrom >= DOMAIN_MIN && gapFrom < gapTo && gapTo <= DOMAIN_MAX)
                    || gapTo - gapFrom >= DOMAIN_MAX - DOMAIN_MIN) {
                throw new IllegalArgumentException("the gap must satisfy " + DOMAIN_MIN + " <= gapFrom < gapTo <= "
                        + DOMAIN_MAX + " and leave some training range, got [" + gapFrom + ", " + gapTo + "]");
            }
            atLeast("hiddenUnits", hiddenUnits, 1);
            atLeast("hiddenLayers", hiddenLayers, 1);
            if (!(dropRate > 0 && dropRate < 1)) {
                throw new IllegalArgumentException("dropRate must be in (0, 1): Monte Carlo dropout needs dropout,"
                        + " got " + dropRate);
            }
            if (activation != Activation.TANH && activation != Activation.RELU) {
                throw new IllegalArgumentException("activation must be TANH or RELU, got " + activation);
            }
            atLeast("iterations", iterations, 1);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
            }
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
            }
            atLeast("mcSamples", mcSamples, 2);
            atLeast("gridPoints", gridPoints, 10);
        }

        /**
         * Defaults: 200 training points with noise 0.1 outside the gap [-0.5, 1.0], a 1-64-64-64-1 tanh network
         * with drop rate 0.1 on the hidden layers, 3,000 full-batch Adam steps (learning rate 0.01), T = 200
         * passes over 400 grid points. Well under a minute on 2 cores.
         *
         * @return the default options
         */
        public static Options defaults() {
            return new Options(42, CommonOptions.defaultOutputDir(NAME), 200, 0.1, -0.5, 1.0, 64, 3, 0.1,
                    Activation.TANH, 3_000, 1e-2, 1e-4, 200, 400);
        }

        /**
         * Reads options from the command line.
         *
         * @param argv any of {@code --seed --out --train --noise --gap-from --gap-to --hidden --layers --drop
         *             --iterations --lr --l2 --mc-samples --grid}, and {@code --relu} for ReLU instead of tanh
         * @return validated options
         * @throws IllegalArgumentException on an unknown option or a bad value
         */
        public static Options parse(String... argv) {
            Args args = Args.parse(argv, Set.of("relu"));
            Options d = defaults();
            Options o = new Options(
                    args.getLong("seed", d.seed()),
                    args.getPath("out", d.outputDir()),
                    args.getInt("train", d.trainPoints()),
                    args.getDouble("noise", d.noiseStd()),
                    args.getDouble("gap-from", d.gapFrom()),
                    args.getDouble("gap-to", d.gapTo()),
                    args.getInt("hidden", d.hiddenUnits()),
                    args.getInt("layers", d.hiddenLayers()),
                    args.getDouble("drop", d.dropRate()),
                    args.flag("relu") ? Activation.RELU : d.activation(),
                    args.getInt("iterations", d.iterations()),
                    args.getDouble("lr", d.learningRate()),
                    args.getDouble("l2", d.l2()),
                    args.getInt("mc-samples", d.mcSamples()),
                    args.getInt("grid", d.gridPoints()));
            args.finish();
            return o;
        }

        /** @param value output folder @return a copy with {@code outputDir} replaced */
        public Options withOutputDir(Path value) {
            return new Options(seed, value, trainPoints, noiseStd, gapFrom, gapTo, hiddenUnits, hiddenLayers,
                    dropRate, activation, iterations, learningRate, l2, mcSamples, gridPoints);
        }

        /** @param value seed @return a copy with {@code seed} replaced */
        public Options withSeed(long value) {
            return new Options(value, outputDir, trainPoints, noiseStd, gapFrom, gapTo, hiddenUnits, hiddenLayers,
                    dropRate, activation, iterations, learningRate, l2, mcSamples, gridPoints);
        }

        /** @param value hidden units @return a copy with {@code hiddenUnits} replaced */
        public Options withHiddenUnits(int value) {
            return new Options(seed, outputDir, trainPoints, noiseStd, gapFrom, gapTo, value, hiddenLayers,
                    dropRate, activation, iterations, learningRate, l2, mcSamples, gridPoints);
        }

        /** @param value full-batch steps @return a copy with {@code iterations} replaced */
        public Options withIterations(int value) {
            return new Options(seed, outputDir, trainPoints, noiseStd, gapFrom, gapTo, hiddenUnits, hiddenLayers,
                    dropRate, activation, value, learningRate, l2, mcSamples, gridPoints);
        }

        /** @param value T @return a copy with {@code mcSamples} replaced */
        public Options withMcSamples(int value) {
            return new Options(seed, outputDir, trainPoints, noiseStd, gapFrom, gapTo, hiddenUnits, hiddenLayers,
                    dropRate, activation, iterations, learningRate, l2, value, gridPoints);
        }

        /** @param value activation, TANH or RELU @return a copy with {@code activation} replaced */
        public Options withActivation(Activation value) {
            return new Options(seed, outputDir, trainPoints, noiseStd, gapFrom, gapTo, hiddenUnits, hiddenLayers,
                    dropRate, value, iterations, learningRate, l2, mcSamples, gridPoints);
        }

        /** @param x an input @return whether {@code x} lies in the gap without training data */
        public boolean inGap(double x) {
            return x >= gapFrom && x <= gapTo;
        }

        /** @param x an input @return whether {@code x} lies in the training range outside the gap */
        public boolean inTrainingRange(double x) {
            return x >= DOMAIN_MIN && x <= DOMAIN_MAX && !inGap(x);
        }

        private static void atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
            }
        }
    }

    /**
     * One-dimensional data.
     *
     * @param x inputs
     * @param y targets, as many as {@code x}
     */
    public record Data(double[] x, double[] y) {
        /** Checks the lengths. */
        public Data {
            if (x.length != y.length) {
                throw new IllegalArgumentException("x and y must have equal lengths, got " + x.length + " and "
                        + y.length);
            }
        }

        /** @return the data as a DL4J DataSet, features and labels {@code [n, 1]} */
        public DataSet toDataSet() {
            return new DataSet(column(x), column(y));
        }

        /** @param keep which inputs to keep @return the points whose x passes {@code keep} */
        public Data filter(DoublePredicate keep) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (keep.test(x[i])) {
                    idx.add(i);
                }
            }
            return new Data(idx.stream().mapToDouble(i -> x[i]).toArray(),
                    idx.stream().mapToDouble(i -> y[i]).toArray());
        }
    }

    /**
     * Where the Monte Carlo predictive distribution was measured.
     *
     * @param label     what the points are
     * @param points    how many grid (or test) points
     * @param meanStd   mean Monte Carlo standard deviation (epistemic, without observation noise)
     * @param mcRmse    RMSE of the Monte Carlo mean on noisy test points
     * @param detRmse   RMSE of standard inference on the same points
     * @param mcNll     mean Gaussian NLL of the Monte Carlo predictive (variance plus observation noise)
     * @param detNll    mean Gaussian NLL of standard inference with the observation noise alone
     * @param mcCover   fraction of test points inside the Monte Carlo interval {@code mean +- 2 sigma}
     * @param detCover  fraction inside standard inference's {@code output +- 2 sqrt(noise)}
     */
    public record Region(String label, int points, double meanStd, double mcRmse, double detRmse, double mcNll,
                         double detNll, double mcCover, double detCover) {
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
    public record Result(Options options, Data train, double[] gridX, double[] mcMean, double[] mcStd,
                         double[] deterministic, double observationNoiseVariance, double gapStd,
                         double trainingRangeStd, double outsideDomainStd, Region inGap, Region outsideGap,
                         double trainSeconds, AuditReport audit, String table, List<Path> plots) {
        /** @return how many times larger the MC standard deviation is in the gap than over the training data */
        public double gapStdRatio() {
            return gapStd / trainingRangeStd;
        }
    }

    /**
     * The function behind the data.
     *
     * @param x input
     * @return {@code sin(3x) + 0.3x}
     */
    public static double truth(double x) {
        return Math.sin(3 * x) + 0.3 * x;
    }

    /**
     * Draws noisy points with x uniform on [-3, 3].
     *
     * @param n          number of points
     * @param noiseStd   standard deviation of the Gaussian noise on y
     * @param options    gap bounds
     * @param includeGap whether points may fall into the gap (test data) or not (training data)
     * @param rng        random source
     * @return the points, sorted by x
     */
    public static Data sample(int n, double noiseStd, Options options, boolean includeGap, Random rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double v;
            do {
                v = DOMAIN_MIN + (DOMAIN_MAX - DOMAIN_MIN) * rng.nextDouble();
            } while (!includeGap && options.inGap(v));
            x[i] = v;
        }
        java.util.Arrays.sort(x);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = truth(x[i]) + noiseStd * rng.nextGaussian();
        }
        return new Data(x, y);
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
    public static double fit(MultiLayerNetwork net, Data train, int iterations) {
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
     * Runs the whole example: data, audit, training, Monte Carlo predictions, table, plot and CSV.
     *
     * @param options settings
     * @return the measurements
     */
    public static Result run(Options options) {
        Random rng = new Random(options.seed());
        Data train = sample(options.trainPoints(), options.noiseStd(), options, false, rng);
        Data test = sample(2_000, options.noiseStd(), options, true, rng);
        System.out.printf(Locale.ROOT, "y = sin(3x) + 0.3x + N(0, %.2f^2): %d training points on [%.1f, %.1f]"
                        + " without the gap [%.2f, %.2f]%n", options.noiseStd(), options.trainPoints(), DOMAIN_MIN,
                DOMAIN_MAX, options.gapFrom(), options.gapTo());

        MultiLayerConfiguration conf = configuration(options);
        AuditReport audit = DropoutAudit.forMonteCarlo(conf);
        System.out.println(audit);
        audit.requireNoErrors();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        double seconds = fit(net, train, options.iterations());

        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION)
                .samples(options.mcSamples()).seed(options.seed()).build();
        // Aleatoric noise, Gal's tau^-1: the residual variance of the MC mean on the training points.
        McPrediction onTrain = mc.predict(column(train.x()));
        double noiseVariance = meanSquaredResidual(train.y(), values(onTrain.mean()));

        double[] gridX = grid(options.gridPoints());
        McPrediction onGrid = mc.predict(column(gridX));
        double[] mean = values(onGrid.mean());
        double[] std = java.util.Arrays.stream(values(onGrid.variance())).map(Math::sqrt).toArray();
        double[] det = values(onGrid.deterministic());

        double gapStd = meanWhere(gridX, std, options::inGap);
        double rangeStd = meanWhere(gridX, std, options::inTrainingRange);
        double beyondStd = meanWhere(gridX, std, x -> x < DOMAIN_MIN || x > DOMAIN_MAX);

        MonteCarloEvaluator withNoise = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION)
                .samples(options.mcSamples()).seed(options.seed()).observationNoiseVariance(noiseVariance).build();
        Region gap = region("test points in the gap", test.filter(options::inGap), withNoise, noiseVariance);
        Region outside = region("test points in the training range", test.filter(options::inTrainingRange),
                withNoise, noiseVariance);

        Table table = summary(options, noiseVariance, gapStd, rangeStd, beyondStd, gap, outside, seconds);
        System.out.println();
        System.out.println(table);

        Path dir = options.outputDir();
        Csv.write(dir.resolve("regression-grid.csv"), gridCsv(gridX, mean, std, det, noiseVariance));
        Csv.write(dir.resolve("regression-train.csv"), pointsCsv(train));
        List<Path> plots = List.of(plot(dir.resolve("regression-mc-intervals.png"), options, train, gridX, mean, std,
                det, noiseVariance));
        System.out.println("Plot and CSV files written to " + dir);
        return new Result(options, train, gridX, mean, std, det, noiseVariance, gapStd, rangeStd, beyondStd, gap,
                outside, seconds, audit, table.toString(), plots);
    }

    private static Region region(String label, Data points, MonteCarloEvaluator mc, double noiseVariance) {
        if (points.x().length == 0) {
            throw new IllegalStateException("no test points for '" + label + "'");
        }
        McReport report = mc.evaluate(new ListDataSetIterator<>(points.toDataSet().asList(), 500));
        McPrediction p = mc.predict(column(points.x()));
        double[] mean = values(p.mean());
        double[] variance = values(p.variance());
        double[] det = values(p.deterministic());
        double[] std = java.util.Arrays.stream(variance).map(Math::sqrt).toArray();
        int mcIn = 0;
        int detIn = 0;
        for (int i = 0; i < mean.length; i++) {
            double y = points.y()[i];
            mcIn += Math.abs(y - mean[i]) <= 2 * Math.sqrt(variance[i] + noiseVariance) ? 1 : 0;
            detIn += Math.abs(y - det[i]) <= 2 * Math.sqrt(noiseVariance) ? 1 : 0;
        }
        int n = mean.length;
        RegressionMetrics mcMetrics = report.mc().asRegression();
        RegressionMetrics standard = report.deterministic().asRegression();
        return new Region(label, n, java.util.Arrays.stream(std).average().orElseThrow(), mcMetrics.rmse(),
                standard.rmse(), mcMetrics.gaussianNegativeLogLikelihood(), standard.gaussianNegativeLogLikelihood(),
                (double) mcIn / n, (double) detIn / n);
    }

    private static Table summary(Options o, double noiseVariance, double gapStd, double rangeStd, double beyondStd,
                                 Region gap, Region outside, double seconds) {
        System.out.printf(Locale.ROOT, "trained %d full-batch steps in %.1f s; observation noise std estimated %.3f"
                + " (true %.3f)%n", o.iterations(), seconds, Math.sqrt(noiseVariance), o.noiseStd());
        System.out.printf(Locale.ROOT, "mean MC std over the grid: gap %.4f, training range %.4f (ratio %.2f),"
                + " beyond [-3, 3] %.4f%n", gapStd, rangeStd, gapStd / rangeStd, beyondStd);
        Table t = new Table("region (T = " + o.mcSamples() + ")", "points", "mean MC std", "RMSE MC",
                "RMSE standard", "Gaussian NLL MC", "Gaussian NLL standard", "in +-2 sigma MC",
                "in +-2 sigma standard");
        for (Region r : List.of(gap, outside)) {
            t.row(r.label(), r.points(), f4(r.meanStd()), f4(r.mcRmse()), f4(r.detRmse()), f4(r.mcNll()),
                    f4(r.detNll()), Table.pct(r.mcCover()), Table.pct(r.detCover()));
        }
        return t;
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * Writes the plot: training points, the true function, standard inference, the Monte Carlo mean and its
     * {@code +- 2 sigma} band, and the gap's edges.
     *
     * @param file          PNG file
     * @param options       gap bounds
     * @param train         training points
     * @param gridX         grid
     * @param mean          Monte Carlo mean on the grid
     * @param std           Monte Carlo standard deviation on the grid
     * @param deterministic standard inference on the grid
     * @param noiseVariance observation noise variance added to the band
     * @return {@code file}
     */
    public static Path plot(Path file, Options options, Data train, double[] gridX, double[] mean, double[] std,
                            double[] deterministic, double noiseVariance) {
        XYChart chart = new XYChartBuilder().width(1000).height(560)
                .title(String.format(Locale.ROOT, "MC dropout regression: mean +- 2 sigma (T = %d), gap [%.2f, %.2f]"
                        + " without training data", options.mcSamples(), options.gapFrom(), options.gapTo()))
                .xAxisTitle("x").yAxisTitle("y").build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setMarkerSize(4);
        int n = gridX.length;
        double[] bandX = new double[2 * n];
        double[] bandY = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double half = 2 * Math.sqrt(std[i] * std[i] + noiseVariance);
            bandX[i] = gridX[i];
            bandY[i] = mean[i] + half;
            bandX[2 * n - 1 - i] = gridX[i];
            bandY[2 * n - 1 - i] = mean[i] - half;
        }
        XYSeries band = chart.addSeries("MC mean +- 2 sigma (model + noise)", bandX, bandY);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setMarker(SeriesMarkers.NONE);
        band.setFillColor(new Color(70, 130, 180, 70));
        band.setLineColor(new Color(70, 130, 180, 70));

        XYSeries truth = chart.addSeries("truth sin(3x) + 0.3x", gridX,
                java.util.Arrays.stream(gridX).map(RegressionExample::truth).toArray());
        truth.setMarker(SeriesMarkers.NONE);
        truth.setLineColor(Color.DARK_GRAY);
        truth.setLineStyle(dashed());
        XYSeries det = chart.addSeries("standard inference", gridX, deterministic);
        det.setMarker(SeriesMarkers.NONE);
        det.setLineColor(new Color(220, 120, 0));
        XYSeries mc = chart.addSeries("MC mean", gridX, mean);
        mc.setMarker(SeriesMarkers.NONE);
        mc.setLineColor(new Color(20, 60, 160));
        mc.setLineWidth(2.5f);
        XYSeries points = chart.addSeries("training points", train.x(), train.y());
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        points.setMarkerColor(new Color(0, 0, 0, 150));
        double lo = java.util.Arrays.stream(bandY).min().orElseThrow();
        double hi = java.util.Arrays.stream(bandY).max().orElseThrow();
        for (double edge : new double[] {options.gapFrom(), options.gapTo()}) {
            XYSeries s = chart.addSeries(edge == options.gapFrom() ? "gap" : "gap ",
                    new double[] {edge, edge}, new double[] {lo, hi});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Color.GRAY);
            s.setLineStyle(dashed());
            s.setShowInLegend(edge == options.gapFrom());
        }
        return Plots.save(chart, file);
    }

    private static BasicStroke dashed() {
        return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }

    /**
     * Evenly spaced inputs from {@code DOMAIN_MIN - GRID_MARGIN} to {@code DOMAIN_MAX + GRID_MARGIN}.
     *
     * @param points number of points, at least 2
     * @return the grid
     */
    public static double[] grid(int points) {
        double from = DOMAIN_MIN - GRID_MARGIN;
        double to = DOMAIN_MAX + GRID_MARGIN;
        double[] g = new double[points];
        for (int i = 0; i < points; i++) {
            g[i] = from + (to - from) * i / (points - 1);
        }
        return g;
    }

    /**
     * @param v values
     * @return them as an {@code [n, 1]} float column, the network's input (or label) shape
     */
    public static INDArray column(double[] v) {
        return Nd4j.create(v, new long[] {v.length, 1}).castTo(DataType.FLOAT);
    }

    /**
     * @param a an {@code [n, 1]} (or {@code [n]}) array
     * @return its values as doubles
     */
    public static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    private static double meanSquaredResidual(double[] y, double[] prediction) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (y[i] - prediction[i]) * (y[i] - prediction[i]);
        }
        return s / y.length;
    }

    private static double meanWhere(double[] x, double[] v, DoublePredicate where) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (where.test(x[i])) {
                s += v[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static List<String> gridCsv(double[] x, double[] mean, double[] std, double[] det, double noiseVar) {
        List<String> lines = new ArrayList<>();
        lines.add("x,truth,mc_mean,mc_std,mc_total_std,deterministic");
        for (int i = 0; i < x.length; i++) {
            lines.add(Csv.line(x[i], truth(x[i]), mean[i], std[i], Math.sqrt(std[i] * std[i] + noiseVar), det[i]));
        }
        return lines;
    }

    private static List<String> pointsCsv(Data d) {
        List<String> lines = new ArrayList<>();
        lines.add("x,y");
        for (int i = 0; i < d.x().length; i++) {
            lines.add(Csv.line(d.x()[i], d.y()[i]));
        }
        return lines;
    }

    /**
     * Command line: see {@link Options#parse}.
     *
     * @param args options
     */
    public static void main(String[] args) {
        Cli.main(NAME, USAGE, args, Options::parse, RegressionExample::run);
    }
}
