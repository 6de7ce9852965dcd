package io.github.dl4jdropout.spark.example;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.dl4jdropout.montecarlo.ClassificationMetrics;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import io.github.dl4jdropout.montecarlo.PredictionMetrics;
import io.github.dl4jdropout.spark.SparkMonteCarlo;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Example: Monte Carlo dropout evaluation of the MNIST test set on one machine and on Spark, side by side.
 *
 * <p>Trains (or loads) an MLP 784-512-512-10 with dropout, evaluates the test set with {@link MonteCarloEvaluator}
 * on the driver, then with {@link SparkMonteCarlo} on the test set split into partitions, and prints both reports,
 * whether they are equal (they must be: same minibatches, same seed) and the wall time of each. Run it with
 * {@code dl4j-dropout-spark/run-spark-example [--master M] [--partitions N] [--samples T] [--model FILE]}, or through
 * {@code spark-submit} (see docs/spark.md). MNIST is read from DL4J's cache ({@code ~/.deeplearning4j}).
 */
public final class SparkMcExample {

    /** Settings of one run; {@link #defaults()} gives the documented defaults. */
    public static final class Options {
        /** Spark master URL. Defaults to {@code local[2]}; ignored when a Spark session is already active. */
        public String master = "local[2]";
        /** Partitions of the test set. Defaults to 4. */
        public int partitions = 4;
        /** Monte Carlo passes T. Defaults to {@value MonteCarloEvaluator#DEFAULT_SAMPLES}. */
        public int samples = MonteCarloEvaluator.DEFAULT_SAMPLES;
        /** Test examples scored (the first ones of MNIST's test set). Defaults to 10,000, all of them. */
        public int testExamples = 10_000;
        /** Training examples when no saved model is given. Defaults to 60,000, one epoch. */
        public int trainExamples = 60_000;
        /** Examples per minibatch. Defaults to 100. */
        public int batchSize = 100;
        /** ND4J threads per Spark task; null (the default) for the task's CPUs. */
        public Integer threadsPerTask;
        /** A model saved with ModelSerializer: loaded if it exists, else trained and saved there. Defaults to none. */
        public Path model;

        /** The defaults. */
        public static Options defaults() {
            return new Options();
        }
    }

    /** What a run measured. */
    public record Result(McReport singleMachine, McReport spark, double singleMachineSeconds, double sparkSeconds,
            String master, int partitions) {

        /** True if the two reports are equal (every sufficient statistic, exactly). */
        public boolean equal() {
            return singleMachine.equals(spark);
        }

        /**
         * The largest absolute difference between the two reports' classification metrics (accuracy, NLL, Brier,
         * ECE, mean entropy, mean mutual information, both inferences): 0 when {@link #equal()}; float rounding
         * (about 1e-7) when the driver and the tasks ran ND4J with different thread counts, which sum float
         * products in another order.
         */
        public double maxMetricDifference() {
            double max = Math.abs(mutualInformation(singleMachine) - mutualInformation(spark));
            for (boolean mc : new boolean[] {false, true}) {
                double[] a = metrics(mc ? singleMachine.mc() : singleMachine.deterministic());
                double[] b = metrics(mc ? spark.mc() : spark.deterministic());
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                }
            }
            return max;
        }

        private static double mutualInformation(McReport r) {
            return r.mc().asClassification().meanMutualInformation();
        }

        private static double[] metrics(PredictionMetrics m) {
            ClassificationMetrics c = m.asClassification();
            return new double[] {c.accuracy(), c.negativeLogLikelihood(), c.brierScore(),
                    c.expectedCalibrationError(), c.meanPredictiveEntropy()};
        }
    }

    private SparkMcExample() {
    }

    /**
     * Command line: {@code --master M --partitions N --samples T --test-examples N --train-examples N --model FILE}.
     *
     * @param args the options above, each followed by its value
     * @throws IOException if the model file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Options o = Options.defaults();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("-h") || name.equals("--help")) {
                System.out.println("options: --master M (local[2]) --partitions N (4) --samples T (50)"
                        + " --test-examples N (10000) --train-examples N (60000) --batch-size N (100) --model FILE --threads-per-task N (the task's CPUs)");
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--master" -> o.master = value;
                case "--partitions" -> o.partitions = Integer.parseInt(value);
                case "--samples" -> o.samples = Integer.parseInt(value);
                case "--test-examples" -> o.testExamples = Integer.parseInt(value);
                case "--train-examples" -> o.trainExamples = Integer.parseInt(value);
                case "--batch-size" -> o.batchSize = Integer.parseInt(value);
                case "--model" -> o.model = Path.of(value);
                case "--threads-per-task" -> o.threadsPerTask = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + name
                        + "; --help lists the options");
            }
        }
        Result r = run(o);
        SparkSession.active().stop();
        // Float rounding of different ND4J thread counts is about 1e-7; an accuracy that differs by one example of
        // 10,000 (1e-4, a changed argmax) would also be rounding. More than that means the reports disagree.
        System.exit(r.maxMetricDifference() <= 1e-4 ? 0 : 1);
    }

    /**
     * Trains or loads the model, evaluates the test set on the driver and on Spark, and prints both reports.
     *
     * @param o the settings
     * @return both reports and their wall times
     * @throws IOException if the model file cannot be read or written, or MNIST cannot be read
     */
    public static Result run(Options o) throws IOException {
        MultiLayerNetwork net = model(o);
        List<DataSet> test = new ArrayList<>();
        DataSetIterator it = new MnistDataSetIterator(o.batchSize, o.testExamples, false, false, false, 12345);
        it.forEachRemaining(test::add);

        int singleThreads = org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads();
        MonteCarloEvaluator single = MonteCarloEvaluator.builder(net).samples(o.samples).seed(42).build();
        long t0 = System.nanoTime();
        McReport singleReport = single.evaluate(new ExistingDataSetIterator(test));
        double singleSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "Single machine (MonteCarloEvaluator, ND4J threads: %d): %.1f s%n%s%n",
                singleThreads, singleSeconds, singleReport);

        SparkSession spark = session(o.master);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<DataSet> rdd = sc.parallelize(test, o.partitions).cache();
        rdd.count(); // the data is on the executors before the clock starts, as it would be when read from storage
        McReport sparkReport;
        double sparkSeconds;
        SparkMonteCarlo.Builder builder = SparkMonteCarlo.builder(net).samples(o.samples).seed(42);
        if (o.threadsPerTask != null) {
            builder.threadsPerTask(o.threadsPerTask);
        }
        try (SparkMonteCarlo mc = builder.build()) {
            long t1 = System.nanoTime();
            sparkReport = mc.evaluate(rdd);
            sparkSeconds = (System.nanoTime() - t1) / 1e9;
        }
        rdd.unpersist();
        System.out.printf(Locale.ROOT, "Spark (%s, %d partitions, %d task slots): %.1f s%n%s%n",
                spark.sparkContext().master(), o.partitions, spark.sparkContext().defaultParallelism(), sparkSeconds,
                sparkReport);
        Result r = new Result(singleReport, sparkReport, singleSeconds, sparkSeconds, spark.sparkContext().master(),
                o.partitions);
        System.out.printf(Locale.ROOT, "Reports exactly equal: %s (largest metric difference %.2g; ND4J threads:"
                + " driver %d, Spark tasks %s); wall time single machine %.1f s, Spark %.1f s%n", r.equal(),
                r.maxMetricDifference(), singleThreads, o.threadsPerTask == null ? "the task's CPUs"
                        : o.threadsPerTask.toString(), singleSeconds, sparkSeconds);
        return r;
    }

    /** The active session, or a new one on {@code master}; local-cluster masters get this JVM's class path. */
    private static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().master(master).appName("dl4j-dropout spark-mc")
                .config("spark.ui.enabled", "false")
                .config("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        if (master.startsWith("local-cluster")) {
            b.config("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        return b.getOrCreate();
    }

    private static MultiLayerNetwork model(Options o) throws IOException {
        if (o.model != null && Files.isRegularFile(o.model)) {
            System.out.println("Loading " + o.model);
            return ModelSerializer.restoreMultiLayerNetwork(o.model.toFile(), false);
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(123).updater(new Adam(1e-3)).weightInit(WeightInit.RELU)
                .list()
                .layer(new DenseLayer.Builder().nOut(512).activation(Activation.RELU).dropOut(0.8).build())
                .layer(new DenseLayer.Builder().nOut(512).activation(Activation.RELU).dropOut(0.5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).dropOut(0.5).build())
                .setInputType(InputType.feedForward(784))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        long t0 = System.nanoTime();
        net.fit(new MnistDataSetIterator(128, o.trainExamples, false, true, true, 12345));
        System.out.printf(Locale.ROOT, "Trained on %d examples (one epoch) in %.1f s%n", o.trainExamples,
                (System.nanoTime() - t0) / 1e9);
        if (o.model != null) {
            File parent = o.model.toAbsolutePath().getParent().toFile();
            if (!parent.isDirectory() && !parent.mkdirs()) {
                throw new IOException("could not create " + parent);
            }
            ModelSerializer.writeModel(net, o.model.toFile(), false);
        }
        return net;
    }
}
