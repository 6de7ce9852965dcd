package io.github.dl4jdropout.examples.uci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the paper's folders, bundled and on disk, and the messages for malformed ones. */
class UciDatasetTest {

    @Test
    void readsTheBundledDataSetsWithTheirSplitsAndGrids() {
        // Sizes from the paper's Table 1 (N, Q) and Gal's files: 20 splits of 90% / 10%.
        int[][] expected = {{506, 13}, {1030, 8}, {768, 8}, {1599, 11}, {308, 6}};
        for (int i = 0; i < UciDataset.BUNDLED.size(); i++) {
            UciDataset d = UciDataset.bundled(UciDataset.BUNDLED.get(i));
            assertThat(d.size()).as(d.name()).isEqualTo(expected[i][0]);
            assertThat(d.inputs()).as(d.name()).isEqualTo(expected[i][1]);
            assertThat(d.splits()).as(d.name()).hasSize(20);
            assertThat(d.dropRates()).containsExactly(0.005, 0.01, 0.05, 0.1);
            assertThat(d.taus()).hasSize(3);
            assertThat(d.hiddenUnits()).isEqualTo(50);
            UciDataset.Split s = d.splits().get(0);
            assertThat(s.train().length + s.test().length).as(d.name()).isEqualTo(d.size());
        }
        UciDataset boston = UciDataset.bundled("bostonHousing");
        assertThat(boston.taus()).containsExactly(0.1, 0.15, 0.2);
        // First row of data.txt: CRIM 0.00632 ... LSTAT 4.98, MEDV 24.00.
        assertThat(boston.features()[0][0]).isEqualTo(0.00632);
        assertThat(boston.targets()[0]).isEqualTo(24.0);
    }

    @Test
    void readsAFolderAndFallsBackToDefaultGrids(@TempDir Path dir) throws IOException {
        writeTinyFolder(dir);
        UciDataset d = UciDataset.load(dir);
        assertThat(d.name()).isEqualTo(dir.getFileName().toString());
        assertThat(d.size()).isEqualTo(10);
        assertThat(d.inputs()).isEqualTo(2);
        assertThat(d.splits()).hasSize(1);
        assertThat(d.splits().get(0).test()).containsExactly(8, 9);
        assertThat(d.dropRates()).containsExactly(UciDataset.DEFAULT_DROP_RATES);
        // Targets 0..9 have variance 8.25: the default taus are for standardized targets, divided by it.
        assertThat(d.taus()[1]).isCloseTo(1.0 / 8.25, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(d.targets()[9]).isEqualTo(9.0);
    }

    @Test
    void namesTheFileAndTheProblemWhenAFolderIsMalformed(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> UciDataset.load(dir.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");

        writeTinyFolder(dir);
        Files.delete(dir.resolve("index_target.txt"));
        assertThatThrownBy(() -> UciDataset.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index_target.txt").hasMessageContaining("missing");

        Files.writeString(dir.resolve("index_target.txt"), "7\n");
        assertThatThrownBy(() -> UciDataset.load(dir)).hasMessageContaining("index_target.txt line 1")
                .hasMessageContaining("a column of data.txt").hasMessageContaining("'7'");

        Files.writeString(dir.resolve("index_target.txt"), "2.0\n");
        Files.writeString(dir.resolve("data.txt"), "1 2 3\n4 5\n");
        assertThatThrownBy(() -> UciDataset.load(dir)).hasMessageContaining("data.txt line 2")
                .hasMessageContaining("expected 3 numbers");

        Files.writeString(dir.resolve("data.txt"), "1 2 3\n4 x 6\n");
        assertThatThrownBy(() -> UciDataset.load(dir)).hasMessageContaining("data.txt line 2")
                .hasMessageContaining("'x'");

        writeTinyFolder(dir);
        Files.writeString(dir.resolve("index_test_0.txt"), "7\n9\n");
        assertThatThrownBy(() -> UciDataset.load(dir)).hasMessageContaining("index_test_0.txt")
                .hasMessageContaining("row 7 is also in index_train_0.txt");

        writeTinyFolder(dir);
        Files.delete(dir.resolve("index_test_0.txt"));
        assertThatThrownBy(() -> UciDataset.load(dir)).hasMessageContaining("index_test_0.txt: missing");

        writeTinyFolder(dir);
        Files.writeString(dir.resolve("dropout_rates.txt"), "0.5\n1.5\n");
        assertThatThrownBy(() -> UciDataset.load(dir)).hasMessageContaining("drop rates must be in (0, 1)")
                .hasMessageContaining("1.5");

        assertThatThrownBy(() -> UciDataset.bundled("iris")).hasMessageContaining("no bundled UCI data set 'iris'");
    }

    @Test
    void standardizesOnTheTrainingRowsAndKeepsConstantInputsAtScaleOne(@TempDir Path dir) throws IOException {
        writeTinyFolder(dir);
        Files.writeString(dir.resolve("data.txt"), String.join("\n", java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> "5 " + i + " " + (2 * i)).toList()));
        UciDataset d = UciDataset.load(dir);
        int[] rows = {0, 1, 2, 3};
        Standardizer s = Standardizer.fit(d, rows);
        assertThat(s.inputStd()[0]).isEqualTo(1.0);
        assertThat(s.inputMean()).containsExactly(5.0, 1.5);
        assertThat(s.targetMean()).isEqualTo(3.0);
        assertThat(s.targetStd()).isCloseTo(Math.sqrt(5.0), org.assertj.core.data.Offset.offset(1e-12));
        float[] y = s.transform(d, rows).getLabels().toFloatVector();
        assertThat(Arrays.stream(new double[] {y[0], y[1], y[2], y[3]}).sum()).isCloseTo(0.0,
                org.assertj.core.data.Offset.offset(1e-6));
    }

    /** 10 rows {@code i, i^2 / 10, i}: inputs columns 0 and 1, target column 2; split 0 tests rows 8 and 9. */
    static void writeTinyFolder(Path dir) throws IOException {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            data.append(i).append(' ').append(i * i / 10.0).append(' ').append(i).append('\n');
        }
        Files.writeString(dir.resolve("data.txt"), data);
        Files.writeString(dir.resolve("index_features.txt"), "0\n1\n");
        Files.writeString(dir.resolve("index_target.txt"), "2\n");
        Files.writeString(dir.resolve("index_train_0.txt"), "0\n1\n2\n3\n4\n5\n6\n7\n");
        Files.writeString(dir.resolve("index_test_0.txt"), "8\n9\n");
        Files.deleteIfExists(dir.resolve("dropout_rates.txt"));
    }
}
