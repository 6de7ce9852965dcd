package io.github.dl4jdropout.spark.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.common.resources.DL4JResources;
import org.junit.jupiter.api.Test;

/** Smoke test of the example with tiny settings, so that it does not rot. Needs MNIST in DL4J's cache. */
class SparkMcExampleTest {

    @Test
    void tinyRunGivesEqualReports() throws Exception {
        Path cache = DL4JResources.getBaseDirectory().toPath();
        // The examples' scripts (and dl4j-dropout-spark/run-spark-example) fill DL4J's cache from npm; without it the
        // example cannot run here, and this test says so instead of failing on a download.
        assumeTrue(Files.isRegularFile(cache.resolve("t10k-images-idx3-ubyte"))
                && Files.isRegularFile(cache.resolve("train-images-idx3-ubyte")), "MNIST is not in " + cache);
        SparkMcExample.Options o = SparkMcExample.Options.defaults();
        o.trainExamples = 256;
        o.testExamples = 200;
        o.batchSize = 50;
        o.samples = 3;
        o.partitions = 3;
        // The test fork's shared session (local[2,2]) is active, so the example uses it.
        io.github.dl4jdropout.spark.SparkTestSession.get();
        // Tasks with the driver's ND4J thread count sum floats in the same order: the reports are then exactly equal
        // (with other counts they differ by float rounding, see SparkMcExample.Result#maxMetricDifference).
        o.threadsPerTask = org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads();
        SparkMcExample.Result r = SparkMcExample.run(o);
        assertThat(r.equal()).isTrue();
        assertThat(r.maxMetricDifference()).isZero();
        assertThat(r.spark().mc().count()).isEqualTo(200);
        assertThat(r.partitions()).isEqualTo(3);
    }
}
