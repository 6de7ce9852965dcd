package io.github.dl4jdropout.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Distributed evaluation in {@code local[2,2]} equals the single-machine evaluator, for any partitioning, with a task
 * that fails once, and with keyed single examples grouped into fixed blocks.
 */
class SparkEvaluateTest {

    private static final int SAMPLES = 8;

    private static JavaSparkContext sc;
    private static MultiLayerNetwork net;
    private static List<DataSet> minibatches;
    private static McReport single;
    /** ND4J's thread count on the driver when {@link #single} was computed; the tasks use the same (see below). */
    private static int driverThreads;

    @BeforeAll
    static void setUp() {
        sc = JavaSparkContext.fromSparkContext(TestData.spark().sparkContext());
        net = TestData.classifier();
        minibatches = TestData.minibatches(TestData.classification(70, 21), 8);
        driverThreads = Nd4j.getEnvironment().maxMasterThreads();
        single = evaluator().evaluate(new ExistingDataSetIterator(minibatches));
    }

    private static MonteCarloEvaluator evaluator() {
        return MonteCarloEvaluator.builder(net).samples(SAMPLES).seed(5).build();
    }

    /**
     * With the driver's ND4J thread count, tasks sum floating-point numbers in the same order as the single-machine
     * run, so reports can be compared exactly (with another count they may differ by rounding, see docs/spark.md).
     */
    private static SparkMonteCarlo spark() {
        return SparkMonteCarlo.builder(net).samples(SAMPLES).seed(5).blockSize(8).threadsPerTask(driverThreads)
                .build();
    }

    @Test
    void reportEqualsTheSingleMachineReportFor1_3And7Partitions() {
        try (SparkMonteCarlo mc = spark()) {
            for (int partitions : new int[] {1, 3, 7}) {
                McReport distributed = mc.evaluate(sc.parallelize(minibatches, partitions));
                // equals compares every sufficient statistic exactly (counts, exact decimal sums, confusion
                // matrices): the masks of a minibatch depend only on the seed and its content, and merging is exact.
                assertThat(distributed).as("%d partitions", partitions).isEqualTo(single);
                assertThat(distributed.toString()).isEqualTo(single.toString());
            }
            // Another order and partitioning (a shuffle) changes nothing either.
            List<DataSet> reversed = new ArrayList<>(minibatches);
            Collections.reverse(reversed);
            assertThat(mc.evaluate(sc.parallelize(reversed, 2).repartition(5))).isEqualTo(single);
        }
        assertThat(single.mc().count()).isEqualTo(70);
        // The Monte Carlo side really sampled: it differs from standard inference.
        assertThat(single.mc().asClassification().negativeLogLikelihood())
                .isNotEqualTo(single.deterministic().asClassification().negativeLogLikelihood());
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithoutCountingTwice() {
        try (SparkMonteCarlo mc = spark()) {
            // Partition 1 yields its first minibatch, then throws on its first attempt only: the evaluator has
            // already scored that minibatch when the task dies, and Spark (local[2,2]) runs the task again.
            JavaRDD<DataSet> flaky = sc.parallelize(minibatches, 3).mapPartitionsWithIndex(
                    (index, it) -> index == 1 ? failOnceAfterFirst(it) : it, true);
            McReport report = mc.evaluate(flaky);
            assertThat(report).isEqualTo(single);
            assertThat(report.mc().count()).isEqualTo(70);
        }
    }

    private static Iterator<DataSet> failOnceAfterFirst(Iterator<DataSet> it) {
        boolean firstAttempt = TaskContext.get().attemptNumber() == 0;
        return new Iterator<>() {
            private int served;

            @Override
            public boolean hasNext() {
                if (firstAttempt && served == 1) {
                    throw new IllegalStateException("injected failure of the first attempt");
                }
                return it.hasNext();
            }

            @Override
            public DataSet next() {
                served++;
                return it.next();
            }
        };
    }

    @Test
    void keyedExamplesInFixedBlocksDoNotDependOnPartitioning() {
        List<DataSet> examples = TestData.classification(37, 9).asList();
        // Single machine: the examples in key order, in minibatches of blockSize (8).
        List<DataSet> blocks = new ArrayList<>();
        for (int from = 0; from < examples.size(); from += 8) {
            blocks.add(DataSet.merge(examples.subList(from, Math.min(examples.size(), from + 8))));
        }
        McReport expected = evaluator().evaluate(new ExistingDataSetIterator(blocks));
        // Keys assigned once, before any repartition.
        JavaPairRDD<Long, DataSet> keyed = sc.parallelize(examples, 2).zipWithIndex()
                .mapToPair(Tuple2::swap);
        try (SparkMonteCarlo mc = spark()) {
            for (int partitions : new int[] {1, 3, 7}) {
                assertThat(mc.evaluateExamples(keyed.repartition(partitions))).as("%d partitions", partitions)
                        .isEqualTo(expected);
            }
        }
        // Other blocks give other masks: the comparison above is not trivially true.
        McReport other = evaluator().evaluate(new ExistingDataSetIterator(
                TestData.minibatches(DataSet.merge(examples), 5)));
        assertThat(other.mc()).isNotEqualTo(expected.mc());
    }

    @Test
    void multiDataSetsOfAGraphEqualTheSingleMachineReport() {
        ComputationGraph graph = TestData.twoInputGraph();
        List<MultiDataSet> data = TestData.multiMinibatches(5, 6, 4);
        McReport expected = MonteCarloEvaluator.builder(graph).samples(SAMPLES).build()
                .evaluate(new ListMultiDataSetIterator(data));
        try (SparkMonteCarlo mc = SparkMonteCarlo.builder(graph).samples(SAMPLES).threadsPerTask(driverThreads)
                .build()) {
            for (int partitions : new int[] {1, 3}) {
                assertThat(mc.evaluateMultiDataSet(sc.parallelize(data, partitions))).isEqualTo(expected);
            }
        }
    }

    @Test
    void eachExecutorThreadLoadsTheModelOnce() {
        try (SparkMonteCarlo mc = spark()) {
            mc.evaluate(sc.parallelize(minibatches.subList(0, 1), 1)); // sends the broadcast
            Broadcast<ModelBytes> model = broadcastOf(mc);
            McSettings settings = new McSettings();
            // 12 tasks on local[2]'s task threads: each thread builds one evaluator and reuses it.
            List<Tuple2<Long, Integer>> seen = sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), 12)
                    .mapPartitions(it -> List.of(new Tuple2<>(Thread.currentThread().getId(),
                            System.identityHashCode(ExecutorEvaluators.get(model, settings, null)))).iterator())
                    .collect();
            long threads = seen.stream().map(Tuple2::_1).distinct().count();
            long evaluators = seen.stream().map(Tuple2::_2).distinct().count();
            assertThat(evaluators).isEqualTo(threads);
            assertThat(threads).isLessThan(12);
            // A task sets ND4J's threads to its CPUs (spark.task.cpus = 1 here).
            assertThat(ExecutorEvaluators.appliedThreads()).isEqualTo(1);
        } finally {
            // local mode: the tasks ran in this JVM; give the driver its thread count back for the other tests.
            ExecutorEvaluators.applyThreads(driverThreads);
        }
    }

    @SuppressWarnings("unchecked")
    private static Broadcast<ModelBytes> broadcastOf(SparkMonteCarlo mc) {
        try {
            java.lang.reflect.Field f = SparkMonteCarlo.class.getDeclaredField("broadcast");
            f.setAccessible(true);
            return (Broadcast<ModelBytes>) f.get(mc);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badInputIsRefusedWithTheParameterAndValue() {
        assertThatThrownBy(() -> SparkMonteCarlo.builder((MultiLayerNetwork) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("net");
        assertThatThrownBy(() -> SparkMonteCarlo.builder(net).blockSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("blockSize must be >= 1 (examples per"
                        + " minibatch), got 0");
        assertThatThrownBy(() -> SparkMonteCarlo.builder(net).threadsPerTask(-2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threadsPerTask must be >= 1, got -2");
        assertThatThrownBy(() -> SparkMonteCarlo.builder(net).treeDepth(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("treeDepth must be >= 1, got 0");
        // Evaluator settings are checked by the evaluator's own builder, with its messages.
        assertThatThrownBy(() -> SparkMonteCarlo.builder(net).samples(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples").hasMessageContaining("0");
        assertThatThrownBy(() -> SparkMonteCarlo.builder(net).observationPrecision(2.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("observationPrecision");
        try (SparkMonteCarlo mc = spark()) {
            assertThatThrownBy(() -> mc.evaluate(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("minibatches must be a JavaRDD of minibatches, got null");
            assertThatThrownBy(() -> mc.evaluate(sc.emptyRDD())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("minibatches must hold at least one example, got an empty RDD");
            // Errors of the evaluator on the executors reach the driver as the cause of Spark's exception.
            DataSet wrongLabels = new DataSet(minibatches.get(0).getFeatures(),
                    minibatches.get(0).getFeatures());
            assertThatThrownBy(() -> mc.evaluate(sc.parallelize(List.of(wrongLabels), 1)))
                    .isInstanceOf(SparkException.class).hasMessageContaining("labels must have the model output's"
                            + " shape");
            JavaPairRDD<Long, DataSet> duplicate = sc.parallelizePairs(List.of(
                    new Tuple2<>(3L, minibatches.get(0).get(0)), new Tuple2<>(3L, minibatches.get(0).get(1))), 1);
            assertThatThrownBy(() -> mc.evaluateExamples(duplicate)).isInstanceOf(SparkException.class)
                    .hasMessageContaining("examples must have unique keys, got key 3 twice");
        }
    }
}
