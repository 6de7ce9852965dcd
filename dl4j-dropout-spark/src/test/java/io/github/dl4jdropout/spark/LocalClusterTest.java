package io.github.dl4jdropout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/**
 * A real standalone cluster on this machine: Spark's {@code local-cluster[2,1,1024]} mode starts a Master and two
 * Workers in this JVM, and each Worker launches an executor JVM of its own, as on a cluster. The model travels as a
 * broadcast to two processes that never saw it, and the report still equals the single-machine one.
 *
 * <p>Runs in its own surefire execution ({@code local-cluster} in the pom; skip it with {@code -DskipLocalCluster}):
 * the Workers need {@code SPARK_HOME} (an empty folder under {@code target/}, holding the Workers' logs) and
 * {@code SPARK_SCALA_VERSION} to build the executors' command line, and the executors get this JVM's class path
 * ({@code spark.executor.extraClassPath}; surefire's manifest-only jar is off for that execution). That execution
 * sets the system property {@code dl4jdropout.localCluster}; elsewhere (an IDE, {@code -Dtest=...} in the default
 * execution) the test is skipped.
 */
@EnabledIfSystemProperty(named = "dl4jdropout.localCluster", matches = "true")
class LocalClusterTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void startCluster() throws IOException, InterruptedException {
        String home = System.getenv("SPARK_HOME");
        assertThat(home).as("SPARK_HOME, set by the local-cluster surefire execution").isNotNull();
        // The launcher adds SPARK_HOME/jars/* to the executors' class path and refuses a missing folder.
        Files.createDirectories(Path.of(home, "jars"));
        SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName("dl4j-dropout-local-cluster")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.memory", "1g")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        sc = new JavaSparkContext(conf);
        // Executors register a few seconds after the context starts; the driver counts as one more entry.
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (sc.sc().getExecutorMemoryStatus().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (sc != null) {
            sc.stop();
        }
    }

    @Test
    void twoExecutorProcessesGiveTheSingleMachineReport() {
        assertThat(sc.sc().getExecutorMemoryStatus().size()).as("driver + 2 executors").isEqualTo(3);
        MultiLayerNetwork net = TestData.classifier();
        List<DataSet> minibatches = TestData.minibatches(TestData.classification(40, 21), 8);
        McReport single = MonteCarloEvaluator.builder(net).samples(6).build()
                .evaluate(new ExistingDataSetIterator(minibatches));
        try (SparkMonteCarlo mc = SparkMonteCarlo.builder(net).samples(6).build()) {
            assertThat(mc.evaluate(sc.parallelize(minibatches, 4))).isEqualTo(single);
        }
        // Both executors are separate processes that took part: tasks report their executor id and process id.
        Map<String, Long> pids = sc.parallelize(List.of(1, 2, 3, 4), 4).map(i -> {
            Thread.sleep(300);
            return new Tuple2<>(SparkEnv.get().executorId(), ProcessHandle.current().pid());
        }).collect().stream().distinct().collect(Collectors.toMap(Tuple2::_1, Tuple2::_2, (a, b) -> a));
        assertThat(pids).hasSize(2);
        assertThat(pids.values()).doesNotContain(ProcessHandle.current().pid()).doesNotHaveDuplicates();
        assertThat(ManagementFactory.getRuntimeMXBean().getPid()).isEqualTo(ProcessHandle.current().pid());
    }
}
