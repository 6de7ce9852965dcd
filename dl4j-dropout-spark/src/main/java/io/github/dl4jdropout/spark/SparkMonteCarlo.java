package io.github.dl4jdropout.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * Monte Carlo dropout evaluation and prediction on Apache Spark, for data sets larger than one machine.
 *
 * <p><b>What.</b> The same computation as {@link MonteCarloEvaluator} (see there for the method and its papers),
 * spread over a cluster: every partition runs the single-machine evaluator on its minibatches and returns a partial
 * {@link McReport}; the partials, whose sufficient statistics merge exactly ({@link McReport#merge}), are combined
 * with {@code treeAggregate}. The model is sent to the executors once, as a broadcast of its {@code ModelSerializer}
 * bytes (without updater), and loaded once per executor thread that runs tasks (a network is not thread-safe); each
 * task streams its partition one minibatch at a time, and each minibatch's passes run in chunks that fit the
 * evaluator's {@linkplain Builder#memoryBudgetBytes(long) memory budget}.
 *
 * <p><b>Results do not depend on the partitioning.</b> The evaluator seeds the dropout masks of a minibatch from the
 * seed and the minibatch's content, never from where it runs, and merging is exact. So:
 * <ul>
 *   <li>{@link #evaluate(JavaRDD)} of an RDD of minibatches equals {@code MonteCarloEvaluator.evaluate} of an
 *       iterator over the same minibatches, bit for bit, for any number of partitions and any order;</li>
 *   <li>{@link #evaluateExamples(JavaPairRDD)} takes single examples keyed by a stable index (assign it once, when
 *       the data is created, for example with {@code zipWithIndex}: never after a repartition) and evaluates fixed
 *       blocks {@code index / blockSize}, so repartitioning the same keyed data gives the same report, equal to the
 *       single-machine evaluator fed the same blocks;</li>
 *   <li>{@link #predict(Dataset, String, String)} scores the rows of a DataFrame in the same fixed blocks of a key
 *       column.</li>
 * </ul>
 * A task that fails and is retried does not count twice: a partial report is a pure function of its partition, and
 * Spark keeps one result per partition.
 *
 * <p><b>Threads.</b> Before its first minibatch, each task sets ND4J's thread counts (its thread pool, OpenMP and
 * BLAS) to the task's CPUs ({@code spark.task.cpus}) unless {@link Builder#threadsPerTask(int)} says otherwise, so
 * that the concurrent tasks of an executor do not oversubscribe its cores. The setting is per JVM: in
 * {@code local[N]} mode it changes the driver's ND4J too.
 *
 * <pre>{@code
 * try (SparkMonteCarlo mc = SparkMonteCarlo.builder(net).samples(50).seed(42).build()) {
 *     McReport report = mc.evaluate(minibatches);                 // JavaRDD<DataSet>
 *     Dataset<Row> scored = mc.predict(rows, "features", "id");   // adds mc_mean, mc_variance, ...
 * }
 * }</pre>
 *
 * <p><b>Failures.</b> Arguments are checked on the driver ({@link IllegalArgumentException} naming the parameter).
 * What can only be seen in the data fails the task that sees it, with the evaluator's exception; Spark retries the
 * task and then throws {@code org.apache.spark.SparkException} (a checked exception, thrown undeclared by Spark's
 * Scala code) whose message holds the task's exception.
 *
 * <p>Instances are used on the driver only and are not thread-safe; {@link #close()} removes the broadcast model
 * from the executors.
 *
 * @since 0.4.0
 */
public final class SparkMonteCarlo implements AutoCloseable {

    /** Output column of {@link #predict}: the Monte Carlo predictive mean, {@code array<double>} of the outputs. */
    public static final String MEAN_COLUMN = "mc_mean";

    /** Output column of {@link #predict}: the variance of each output across the T samples, {@code array<double>}. */
    public static final String VARIANCE_COLUMN = "mc_variance";

    /**
     * Output column of {@link #predict} for classification ({@code double}, nats) and multi-label outputs
     * ({@code array<double>}, one binary entropy per label): the entropy of the predictive mean. Absent for
     * regression.
     */
    public static final String ENTROPY_COLUMN = "predictive_entropy";

    /**
     * Output column of {@link #predict} for classification ({@code double}, nats) and multi-label outputs
     * ({@code array<double>}, per label): the mutual information (BALD), the epistemic part of the uncertainty.
     * Absent for regression.
     */
    public static final String MUTUAL_INFORMATION_COLUMN = "mutual_information";

    /** Default number of examples per block of {@link #evaluateExamples} and {@link #predict}: 128. */
    public static final int DEFAULT_BLOCK_SIZE = 128;

    /** Default depth of the {@code treeAggregate} that merges partial reports: 2. */
    public static final int DEFAULT_TREE_DEPTH = 2;

    private final ModelBytes model;
    private final McSettings settings;
    private final McTask task;
    private final int blockSize;
    private final Integer threadsPerTask;
    private final int treeDepth;
    private SparkContext broadcastContext;
    private Broadcast<ModelBytes> broadcast;

    private SparkMonteCarlo(Builder b, McTask task, ModelBytes model) {
        this.model = model;
        this.settings = b.settings.copy();
        this.task = task;
        this.blockSize = b.blockSize;
        this.threadsPerTask = b.threadsPerTask;
        this.treeDepth = b.treeDepth;
    }

    /**
     * Starts configuring distributed Monte Carlo evaluation of a network.
     *
     * @param net an initialized network with at least one stochastic regularizer
     * @return a builder with the documented defaults (those of {@link MonteCarloEvaluator})
     * @throws IllegalArgumentException if {@code net} is null
     */
    public static Builder builder(MultiLayerNetwork net) {
        if (net == null) {
            throw new IllegalArgumentException("net must be an initialized MultiLayerNetwork, got null");
        }
        return new Builder(net, MonteCarloEvaluator.builder(net));
    }

    /**
     * Starts configuring distributed Monte Carlo evaluation of one output of a computation graph.
     *
     * @param graph an initialized graph with at least one stochastic regularizer
     * @return a builder with the documented defaults (those of {@link MonteCarloEvaluator})
     * @throws IllegalArgumentException if {@code graph} is null
     */
    public static Builder builder(ComputationGraph graph) {
        if (graph == null) {
            throw new IllegalArgumentException("graph must be an initialized ComputationGraph, got null");
        }
        return new Builder(graph, MonteCarloEvaluator.builder(graph));
    }

    /**
     * Evaluates standard and Monte Carlo inference on every minibatch of an RDD, as
     * {@link MonteCarloEvaluator#evaluate(org.nd4j.linalg.dataset.api.iterator.DataSetIterator)} does on one machine:
     * the report equals (every sufficient statistic, exactly) the single-machine report of an iterator over the same
     * minibatches, whatever the partitioning and order.
     *
     * <p>A task fails (see "Failures" in the class description) on what the single-machine evaluator refuses: labels of another shape than the output, outputs
     * or labels that do not fit the task.
     *
     * @param minibatches minibatches with labels (and optional masks) as the single-machine evaluator takes them
     * @return both inferences' metrics over all minibatches
     * @throws IllegalArgumentException if {@code minibatches} is null or empty
     */
    public McReport evaluate(JavaRDD<DataSet> minibatches) {
        requireRdd("minibatches", minibatches);
        Broadcast<ModelBytes> bc = broadcast(minibatches.context());
        McSettings s = settings;
        Integer threads = threadsPerTask;
        JavaRDD<McReport> partials = minibatches.mapPartitions(it -> evaluatePartition(bc, s, threads, it));
        return aggregate(partials, "minibatches");
    }

    /**
     * Evaluates every multi-dataset of an RDD, as
     * {@link MonteCarloEvaluator#evaluate(org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator)} does on one
     * machine: one features array per model input, labels per model output (the evaluated output's are scored).
     *
     * @param minibatches multi-input minibatches with labels
     * @return both inferences' metrics over all minibatches
     * @throws IllegalArgumentException if {@code minibatches} is null or empty
     */
    public McReport evaluateMultiDataSet(JavaRDD<? extends MultiDataSet> minibatches) {
        requireRdd("minibatches", minibatches);
        Broadcast<ModelBytes> bc = broadcast(minibatches.context());
        McSettings s = settings;
        Integer threads = threadsPerTask;
        JavaRDD<McReport> partials = minibatches.mapPartitions(it -> {
            if (!it.hasNext()) {
                return Collections.<McReport>emptyIterator();
            }
            MonteCarloEvaluator mc = ExecutorEvaluators.get(bc, s, threads);
            return Collections.singletonList(mc.evaluate(PartitionIterators.multi(it))).iterator();
        });
        return aggregate(partials, "minibatches");
    }

    /**
     * Evaluates single examples keyed by a stable index, in fixed blocks: the examples whose keys share
     * {@code Math.floorDiv(key, blockSize)} form one minibatch, in key order. The blocks, and so the report, depend
     * only on the keys, never on the partitioning: with keys {@code 0 .. n-1} the report equals the single-machine
     * evaluator fed the examples in key order in minibatches of {@link Builder#blockSize(int)}.
     *
     * <p>Assign the keys once, where the data is created ({@code JavaRDD.zipWithIndex()} on data in a fixed order,
     * or a record id); keys assigned after a repartition follow the new order. Grouping the blocks costs one shuffle
     * of the examples.
     *
     * <p>A task fails (see "Failures" in the class description) on a key that occurs twice or an example of minibatch size other than 1, and on what the
     * evaluator refuses.
     *
     * @param examples single-example datasets (minibatch size 1) keyed by a unique index
     * @return both inferences' metrics over all examples
     * @throws IllegalArgumentException if {@code examples} is null or empty
     */
    public McReport evaluateExamples(JavaPairRDD<Long, DataSet> examples) {
        if (examples == null) {
            throw new IllegalArgumentException("examples must be a JavaPairRDD of (index, single-example DataSet),"
                    + " got null");
        }
        Broadcast<ModelBytes> bc = broadcast(examples.context());
        McSettings s = settings;
        Integer threads = threadsPerTask;
        int size = blockSize;
        JavaRDD<DataSet> blocks = examples
                .mapToPair(e -> new Tuple2<>(Math.floorDiv(e._1(), (long) size), e))
                .groupByKey(examples.getNumPartitions())
                .map(block -> mergeBlock(block._1(), block._2()));
        return aggregate(blocks.mapPartitions(it -> evaluatePartition(bc, s, threads, it)), "examples");
    }

    /**
     * Monte Carlo predictions for the rows of a DataFrame: returns its rows with the columns {@value #MEAN_COLUMN},
     * {@value #VARIANCE_COLUMN} and, for classification and multi-label models, {@value #ENTROPY_COLUMN} and
     * {@value #MUTUAL_INFORMATION_COLUMN} added after the existing ones (every other column is kept). Rows are
     * scored in fixed blocks of the key column ({@code Math.floorDiv(key, blockSize)}, in key order), so a row's
     * numbers do not depend on the partitioning; they equal {@link MonteCarloEvaluator#predict} of its block's
     * features. Grouping the blocks costs one shuffle; the result's row order and partitioning follow the blocks.
     *
     * <p>Features are one {@code array<double>} or {@code array<float>} per row (a flat input of the model: a
     * feed-forward input, or a flattened image for a model built with {@code InputType.convolutionalFlat}); Spark
     * ML's {@code Vector} type is not accepted (convert with {@code org.apache.spark.ml.functions.vector_to_array}).
     * The model's output must be one vector per example (rank 2).
     *
     * <p>When the result is computed, a task fails (see "Failures" in the class description) on a null key or features value, a duplicate key, or feature
     * arrays of different lengths.
     *
     * @param rows           the rows to score
     * @param featuresColumn name of the features column
     * @param keyColumn      name of a {@code long} or {@code int} column with a unique, stable key per row
     * @return the rows with the prediction columns added
     * @throws IllegalArgumentException if an argument is null, a column is missing or has another type, or the
     *                                  output columns already exist
     */
    public Dataset<Row> predict(Dataset<Row> rows, String featuresColumn, String keyColumn) {
        if (rows == null) {
            throw new IllegalArgumentException("rows must be a DataFrame with a features and a key column, got null");
        }
        RowScoring scoring = RowScoring.of(rows.schema(), featuresColumn, keyColumn, task);
        Broadcast<ModelBytes> bc = broadcast(rows.sparkSession().sparkContext());
        McSettings s = settings;
        Integer threads = threadsPerTask;
        int size = blockSize;
        JavaRDD<Row> input = rows.javaRDD();
        JavaRDD<Row> scored = input
                .mapToPair(r -> new Tuple2<>(Math.floorDiv(scoring.key(r), (long) size), r))
                .groupByKey(input.getNumPartitions())
                .mapPartitions(blocks -> {
                    List<Row> out = new ArrayList<>();
                    if (!blocks.hasNext()) {
                        return out.iterator();
                    }
                    MonteCarloEvaluator mc = ExecutorEvaluators.get(bc, s, threads);
                    while (blocks.hasNext()) {
                        out.addAll(scoring.score(mc, bc.value().dataType(), blocks.next()._2()));
                    }
                    return out.iterator();
                });
        StructType schema = scoring.outputSchema();
        return rows.sparkSession().createDataFrame(scored, schema);
    }

    /** The evaluator settings the executors use (samples, seed, memory budget, ...), for logs. */
    @Override
    public String toString() {
        return "SparkMonteCarlo{" + settings + ", task=" + task + ", blockSize=" + blockSize + ", threadsPerTask="
                + (threadsPerTask == null ? "task CPUs" : threadsPerTask) + ", treeDepth=" + treeDepth
                + ", model bytes=" + model.bytes().length + '}';
    }

    /** How the model's output is interpreted (given, or detected from its output activation). */
    public McTask task() {
        return task;
    }

    /** Examples per block of {@link #evaluateExamples} and {@link #predict}. */
    public int blockSize() {
        return blockSize;
    }

    /**
     * Removes the broadcast model from the executors (if one was sent). A DataFrame returned by {@link #predict} is
     * computed lazily and stays usable: if it is computed again, Spark sends the model again (the driver keeps it
     * until no such DataFrame is left, then Spark's context cleaner frees it). Calling it twice does nothing.
     */
    @Override
    public void close() {
        if (broadcast != null) {
            broadcast.unpersist(false);
            broadcast = null;
            broadcastContext = null;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private Broadcast<ModelBytes> broadcast(SparkContext context) {
        if (broadcast == null || broadcastContext != context || context.isStopped()) {
            broadcast = JavaSparkContext.fromSparkContext(context).broadcast(model);
            broadcastContext = context;
        }
        return broadcast;
    }

    private static void requireRdd(String name, JavaRDD<?> rdd) {
        if (rdd == null) {
            throw new IllegalArgumentException(name + " must be a JavaRDD of minibatches, got null");
        }
    }

    private static Iterator<McReport> evaluatePartition(Broadcast<ModelBytes> bc, McSettings settings,
            Integer threads, Iterator<DataSet> it) {
        if (!it.hasNext()) {
            return Collections.emptyIterator();
        }
        MonteCarloEvaluator mc = ExecutorEvaluators.get(bc, settings, threads);
        return Collections.singletonList(mc.evaluate(new ExistingDataSetIterator(it))).iterator();
    }

    private McReport aggregate(JavaRDD<McReport> partials, String what) {
        McReport report = partials.treeAggregate(null, SparkMonteCarlo::mergeNullable,
                SparkMonteCarlo::mergeNullable, treeDepth);
        if (report == null) {
            throw new IllegalArgumentException(what + " must hold at least one example, got an empty RDD");
        }
        return report;
    }

    private static McReport mergeNullable(McReport a, McReport b) {
        return a == null ? b : b == null ? a : a.merge(b);
    }

    /** One block of keyed single examples, in key order, as one minibatch. */
    static DataSet mergeBlock(long block, Iterable<Tuple2<Long, DataSet>> examples) {
        List<Tuple2<Long, DataSet>> sorted = new ArrayList<>();
        examples.forEach(sorted::add);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        List<DataSet> parts = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            Tuple2<Long, DataSet> e = sorted.get(i);
            if (i > 0 && Objects.equals(e._1(), sorted.get(i - 1)._1())) {
                throw new IllegalArgumentException("examples must have unique keys, got key " + e._1() + " twice");
            }
            if (e._2() == null || e._2().getFeatures() == null || e._2().getFeatures().size(0) != 1) {
                throw new IllegalArgumentException("examples must be single-example DataSets, got key " + e._1()
                        + " with " + (e._2() == null || e._2().getFeatures() == null ? "no features"
                        : e._2().getFeatures().size(0) + " examples") + " (block " + block + ")");
            }
            parts.add(e._2());
        }
        return parts.size() == 1 ? parts.get(0) : DataSet.merge(parts);
    }

    static ModelBytes save(Model model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(model, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize the model for broadcast", e);
        }
        DataType type = model.params().dataType();
        return new ModelBytes(bytes.toByteArray(), model instanceof ComputationGraph, type);
    }

    /**
     * Configures a {@link SparkMonteCarlo}. The evaluator settings are those of {@link MonteCarloEvaluator.Builder},
     * with the same defaults, checks and messages (each setter passes its value to an evaluator builder); the
     * others say how the work is distributed.
     *
     * @since 0.4.0
     */
    public static final class Builder {

        private final Model model;
        private final MonteCarloEvaluator.Builder probe;
        private final McSettings settings = new McSettings();
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private Integer threadsPerTask;
        private int treeDepth = DEFAULT_TREE_DEPTH;

        private Builder(Model model, MonteCarloEvaluator.Builder probe) {
            this.model = model;
            this.probe = probe;
        }

        /**
         * Number of stochastic passes per example, T. Defaults to {@value MonteCarloEvaluator#DEFAULT_SAMPLES}.
         *
         * @param samples at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code samples < 1}
         */
        public Builder samples(int samples) {
            probe.samples(samples);
            settings.samples = samples;
            return this;
        }

        /**
         * Seed from which each minibatch's seed is derived (with its content). Defaults to
         * {@value MonteCarloEvaluator#DEFAULT_SEED}.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            probe.seed(seed);
            settings.seed = seed;
            return this;
        }

        /**
         * Memory budget of one chunk of replicated samples, per task (each concurrent task of an executor uses its
         * own). Defaults to {@link MonteCarloEvaluator#DEFAULT_MEMORY_BUDGET_BYTES} (256 MiB).
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes < 1}
         */
        public Builder memoryBudgetBytes(long bytes) {
            probe.memoryBudgetBytes(bytes);
            settings.memoryBudgetBytes = bytes;
            return this;
        }

        /**
         * Whether the deterministic part of the model runs once per minibatch. Defaults to true.
         *
         * @param reusePrefix see {@link MonteCarloEvaluator.Builder#reusePrefix(boolean)}
         * @return this builder
         */
        public Builder reusePrefix(boolean reusePrefix) {
            probe.reusePrefix(reusePrefix);
            settings.reusePrefix = reusePrefix;
            return this;
        }

        /**
         * Confidence bins of the expected calibration error. Defaults to
         * {@value MonteCarloEvaluator#DEFAULT_CALIBRATION_BINS}.
         *
         * @param bins at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code bins < 1}
         */
        public Builder calibrationBins(int bins) {
            probe.calibrationBins(bins);
            settings.calibrationBins = bins;
            return this;
        }

        /**
         * How the output is interpreted. Defaults to detection from the output activation.
         *
         * @param task not null
         * @return this builder
         * @throws IllegalArgumentException if {@code task} is null
         */
        public Builder task(McTask task) {
            probe.task(task);
            settings.task = task;
            return this;
        }

        /**
         * Observation precision tau of the regression log-likelihood. Defaults to none.
         *
         * @param tau finite and positive
         * @return this builder
         * @throws IllegalArgumentException if {@code tau} is not finite or not positive
         */
        public Builder observationPrecision(double tau) {
            probe.observationPrecision(tau);
            settings.observationPrecision = tau;
            return this;
        }

        /**
         * Standard deviation of standardized regression targets, to report metrics in original units. Defaults to
         * {@value MonteCarloEvaluator#DEFAULT_TARGET_SCALE}.
         *
         * @param std finite and positive
         * @return this builder
         * @throws IllegalArgumentException if {@code std} is not finite or not positive
         */
        public Builder targetScale(double std) {
            probe.targetScale(std);
            settings.targetScale = std;
            return this;
        }

        /**
         * For a {@link ComputationGraph}: the output to evaluate. Defaults to the graph's only output.
         *
         * @param outputName one of the graph's outputs
         * @return this builder
         * @throws IllegalArgumentException if {@code outputName} is null
         */
        public Builder output(String outputName) {
            probe.output(outputName);
            settings.output = outputName;
            return this;
        }

        /**
         * Examples per block of {@link SparkMonteCarlo#evaluateExamples} and {@link SparkMonteCarlo#predict}: the
         * minibatch size of those methods. Defaults to {@value SparkMonteCarlo#DEFAULT_BLOCK_SIZE}.
         *
         * @param examples at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code examples < 1}
         */
        public Builder blockSize(int examples) {
            if (examples < 1) {
                throw new IllegalArgumentException("blockSize must be >= 1 (examples per minibatch), got "
                        + examples);
            }
            this.blockSize = examples;
            return this;
        }

        /**
         * ND4J threads (its thread pool, OpenMP and BLAS) of each task. Defaults to the task's CPUs
         * ({@code spark.task.cpus}, 1 unless configured), so that an executor with C cores runs C / task.cpus
         * tasks at once without oversubscribing them.
         *
         * @param threads at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code threads < 1}
         */
        public Builder threadsPerTask(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threadsPerTask must be >= 1, got " + threads);
            }
            this.threadsPerTask = threads;
            return this;
        }

        /**
         * Depth of the {@code treeAggregate} that merges partial reports: 1 merges all on the driver, 2 or more
         * merge in rounds on executors first (for many partitions). Defaults to
         * {@value SparkMonteCarlo#DEFAULT_TREE_DEPTH}.
         *
         * @param depth at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code depth < 1}
         */
        public Builder treeDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("treeDepth must be >= 1, got " + depth);
            }
            this.treeDepth = depth;
            return this;
        }

        /**
         * Checks the model and settings (by building a {@link MonteCarloEvaluator} on the driver, the check the
         * executors repeat) and serializes the model for broadcast.
         *
         * @return a new distributed evaluator
         * @throws IllegalArgumentException as {@link MonteCarloEvaluator.Builder#build()}: a model without
         *                                  stochastic regularizer, an unknown output, an undetectable task, ...
         * @throws IllegalStateException    as {@link MonteCarloEvaluator.Builder#build()}
         * @throws UncheckedIOException     if the model cannot be serialized
         */
        public SparkMonteCarlo build() {
            MonteCarloEvaluator checked = probe.build();
            return new SparkMonteCarlo(this, checked.task(), save(model));
        }
    }
}
