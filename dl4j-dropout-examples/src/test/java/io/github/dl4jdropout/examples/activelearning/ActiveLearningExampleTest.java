package io.github.dl4jdropout.examples.activelearning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.examples.activelearning.ActiveLearningExample.Options;
import io.github.dl4jdropout.examples.activelearning.ActiveLearningExample.Round;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.support.MnistData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Smoke test: the active-learning example end to end with tiny settings (a pool of 1,000, 3 rounds). */
class ActiveLearningExampleTest {

    @Test
    void runsEndToEndWithTinySettings(@TempDir Path out) {
        Options options = Options.defaults()
                .withCommon(CommonOptions.of(10, 16, 1_000, 300, 7, ActiveLearningExample.NAME).withOutputDir(out))
                .with(Options.HIDDEN, 64)
                .with(Options.MC_SAMPLES, 5)
                .with(Options.ROUNDS, 3)
                .with(Options.POOL_SUBSET, 200)
                .with(Options.MIN_STEPS, 150);

        ActiveLearningExample.Result result = ActiveLearningExample.run(options);

        assertThat(result.audit().findings()).isEmpty();
        for (ActiveLearningExample.Curve curve : List.of(result.bald(), result.random())) {
            assertThat(curve.rounds()).extracting(Round::labels).containsExactly(20, 30, 40, 50);
            assertThat(curve.rounds()).allSatisfy(r -> {
                assertThat(r.mcError()).isBetween(0.0, 1.0);
                assertThat(r.standardError()).isBetween(0.0, 1.0);
            });
            // Below chance (90% error): near 0.9 an error rate on 300 test images has a standard deviation of
            // sqrt(0.09 / 300) = 0.017, so 0.85 is 3 of them below chance. Measured at 50 labels: 0.547 (random),
            // 0.707 (BALD: with T = 5 and 50 labels its picks are the hardest digits, the cold start of BALD).
            assertThat(curve.last().mcError()).isLessThan(0.85);
        }
        // Both curves start from the same 20 images and the same initial weights: the first rounds are identical.
        assertThat(result.bald().rounds().get(0)).isEqualTo(result.random().rounds().get(0));
        assertThat(result.table()).contains("labels with BALD", "random / BALD");
        assertThat(result.plots()).hasSize(1).allSatisfy(p -> {
            assertThat(p).startsWith(out).exists();
            assertThat(Files.size(p)).isGreaterThan(1000);
        });
        assertThat(out.resolve("active-learning-curves.csv")).exists();
    }

    @Test
    void startsBalanced() {
        DataSet pool = MnistData.iterator(500, 500, true, 3).next();
        List<Integer> start = ActiveLearningExample.balancedStart(pool, 20, 3);
        assertThat(start).hasSize(20).doesNotHaveDuplicates();
        int[] classes = pool.getLabels().argMax(1).toIntVector();
        int[] counts = new int[10];
        start.forEach(i -> counts[classes[i]]++);
        assertThat(counts).containsOnly(2);
    }

    @Test
    void parsesOptionsAndRejectsBadOnes() {
        Options o = Options.parse("--rounds", "5", "--initial", "30", "--acquire=5");
        assertThat(o.rounds()).isEqualTo(5);
        assertThat(o.initialLabels()).isEqualTo(30);
        assertThat(o.acquireSize()).isEqualTo(5);
        assertThat(Options.parse("--full").rounds()).isEqualTo(98);
        assertThatThrownBy(() -> Options.parse("--initial", "25")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialLabels must be a multiple of 10").hasMessageContaining("25");
        assertThatThrownBy(() -> Options.parse("--train", "100", "--rounds", "20"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("220");
        assertThatThrownBy(() -> Options.parse("--hidden-drop", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hiddenDropRate");
    }
}
