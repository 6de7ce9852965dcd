package io.github.dl4jdropout.examples.uci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.examples.uci.UciExample.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: the UCI example end to end on a small folder in the paper's layout, with tiny settings. */
class UciExampleTest {

    @Test
    void runsEndToEndOnAFolderWithTinySettings(@TempDir Path tmp) throws IOException {
        Options options = tinyOptions(tmp);
        Path data = options.dataset().orElseThrow();

        UciExample.Result result = UciExample.run(options);

        assertThat(result.datasets()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("line");
            assertThat(d.paper()).isEmpty();
            assertThat(d.rerun()).isEmpty();
            assertThat(d.splits()).hasSize(2);
            for (SplitResult s : d.splits()) {
                assertThat(s.dropRate()).isIn(0.01, 0.1);
                assertThat(s.tau()).isIn(4.0, 25.0);
                // y = x1 + x2 + N(0, 0.2^2) on inputs of standard deviation about 0.58 each: predicting the mean
                // alone gives RMSE about 0.85. Even a briefly trained network does better; measured 0.2 to 0.4.
                assertThat(s.mcRmse()).isFinite().isPositive().isLessThan(0.7);
                assertThat(s.standardRmse()).isFinite().isPositive().isLessThan(0.7);
                assertThat(s.mcLl()).isFinite();
                assertThat(s.standardLl()).isFinite();
                // The MC log-likelihood is a log-mean-exp over the samples: never above the Gaussian's peak
                // log density 0.5 log(tau / (2 pi)).
                assertThat(s.mcLl()).isLessThanOrEqualTo(0.5 * Math.log(s.tau() / (2 * Math.PI)));
            }
        });
        assertThat(result.table()).contains("| line").contains(" - ");
        assertThat(result.csv()).startsWith(tmp.resolve("out")).exists();
        assertThat(Files.readAllLines(result.csv())).hasSize(3);

        // Split 1 alone gives what it gave in the run of both: seeds follow the split number.
        DatasetResult second = UciExample.runDataset(UciDataset.load(data), options.with(Options.FIRST_SPLIT, 1));
        assertThat(second.splits()).singleElement().isEqualTo(withSeconds(result.datasets().get(0).splits().get(1),
                second.splits().get(0).seconds()));
        assertThatThrownBy(() -> UciExample.runDataset(UciDataset.load(data), options.with(Options.FIRST_SPLIT, 2)))
                .hasMessageContaining("firstSplit must be below the number of splits of line (2), got 2");
    }

    private static SplitResult withSeconds(SplitResult r, double seconds) {
        return new SplitResult(r.split(), r.dropRate(), r.tau(), r.validationLl(), r.mcRmse(), r.mcLl(),
                r.standardRmse(), r.standardLl(), seconds);
    }

    @Test
    void refitRetrainsTheChosenSettingOnAllTrainingRows(@TempDir Path tmp) throws IOException {
        Options options = tinyOptions(tmp);
        UciDataset line = UciDataset.load(options.dataset().orElseThrow());
        SplitResult plain = UciExample.runSplit(line, 0, options);
        SplitResult refit = UciExample.runSplit(line, 0, options.with(Options.REFIT, true));
        // Same grid search, so the same choice; a network trained on other rows (64 instead of 51) tests differently.
        assertThat(refit.dropRate()).isEqualTo(plain.dropRate());
        assertThat(refit.tau()).isEqualTo(plain.tau());
        assertThat(refit.validationLl()).isEqualTo(plain.validationLl());
        assertThat(refit.mcRmse()).isNotEqualTo(plain.mcRmse()).isLessThan(0.7);
    }

    @Test
    void theGridSearchGivesTheSameResultOnAnyNumberOfThreads(@TempDir Path tmp) throws IOException {
        Options options = tinyOptions(tmp);
        UciDataset line = UciDataset.load(options.dataset().orElseThrow());
        SplitResult one = UciExample.runSplit(line, 1, options.with(Options.THREADS, 1));
        SplitResult three = UciExample.runSplit(line, 1, options.with(Options.THREADS, 3));
        // Every setting has its own seeds and DL4J/ND4J random generators are per thread: exactly equal.
        assertThat(three).isEqualTo(withSeconds(one, three.seconds()));
    }

    @Test
    void theTableComparesWithBothReferencesInCombinedStandardErrors() {
        double[] rmse = {0.6, 0.7, 0.8, 0.9};
        double[] ll = {-1.0, -1.1, -1.2, -1.3};
        List<SplitResult> splits = new ArrayList<>();
        for (int i = 0; i < rmse.length; i++) {
            splits.add(new SplitResult(i, 0.01, 0.75, -1, rmse[i], ll[i], rmse[i], ll[i], 1));
        }
        DatasetResult yacht = new DatasetResult("yacht", 308, 6, splits, PaperTable1.row("yacht"),
                PaperTable1.gridSearchRerun("yacht"));
        String table = UciExample.table(List.of(yacht), Options.defaults()).toString();
        // Means 0.75 and -1.15, standard errors 0.0645 (sd 0.129 over sqrt(4)). Paper: 1.11 +- 0.38 / sqrt(20),
        // -1.55 +- 0.12 / sqrt(20): z = -0.36 / hypot(0.0645, 0.085) = -3.4 and 0.40 / hypot(0.0645, 0.0268) = +5.7.
        // Gal 2018: 0.67 +- 0.05, -1.25 +- 0.01: z = 0.08 / 0.0816 = +1.0 and 0.10 / 0.0653 = +1.5.
        assertThat(table).contains("| 0.75 ± 0.06 ", "| -1.15 ± 0.06 ", "no (-3.4), no (+5.7)", "no (+1.0), no (+1.5)");
    }

    @Test
    void parsesOptionsAndRejectsBadOnes() {
        assertThat(Options.parse().splits()).isEqualTo(2);
        assertThat(Options.parse().dataset()).isEmpty();
        assertThat(Options.parse().epochs()).isEqualTo(400);
        assertThat(Options.parse().threads()).isZero();
        assertThat(Options.parse("--full").splits()).isEqualTo(20);
        assertThat(Options.parse("--full").epochs()).isEqualTo(4000);
        assertThat(Options.parse("--threads", "3").threads()).isEqualTo(3);
        assertThatThrownBy(() -> Options.parse("--threads", "-1")).hasMessageContaining("threads must be at least 0");
        Options o = Options.parse("--dataset", "some/folder", "--epochs", "400", "--batch=32", "--refit");
        assertThat(o.dataset()).isEqualTo(Optional.of(Path.of("some/folder").toAbsolutePath().normalize()));
        assertThat(o.epochs()).isEqualTo(400);
        assertThat(o.batchSize()).isEqualTo(32);
        assertThat(o.refit()).isTrue();
        assertThatThrownBy(() -> Options.parse("--splits", "0")).hasMessageContaining("splits must be at least 1");
        assertThatThrownBy(() -> Options.parse("--first-split", "-1"))
                .hasMessageContaining("firstSplit must be at least 0, got -1");
        assertThatThrownBy(() -> Options.parse("--split", "3")).hasMessageContaining("did you mean --splits");
        assertThatThrownBy(() -> UciExample.run(Options.defaults().with(Options.DATASET, Path.of("/no/such/dir"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/no/such/dir");
    }

    @Test
    void thePapersStandardErrorsAreItsDeviationsOverTwentySplits() {
        PaperTable1.Row boston = PaperTable1.row("bostonHousing").orElseThrow();
        // ICML Table 1 prints 2.97 +- 0.85 and -2.46 +- 0.25: over sqrt(20) about 0.19 and 0.056.
        assertThat(boston.rmseStandardError()).isCloseTo(0.19, org.assertj.core.data.Offset.offset(0.005));
        assertThat(boston.llStandardError()).isCloseTo(0.056, org.assertj.core.data.Offset.offset(0.001));
        assertThat(PaperTable1.row("line")).isEmpty();
        // Gal's 2018 README prints standard errors: kept as printed.
        PaperTable1.Row yacht = PaperTable1.gridSearchRerun("yacht").orElseThrow();
        assertThat(yacht.rmseStandardError()).isEqualTo(0.05);
        assertThat(yacht.llStandardError()).isEqualTo(0.01);
        assertThat(PaperTable1.gridSearchRerun("line")).isEmpty();
        for (String name : UciDataset.BUNDLED) {
            assertThat(PaperTable1.row(name)).as(name).isPresent();
            assertThat(PaperTable1.gridSearchRerun(name)).as(name).isPresent();
        }
    }

    /** Options for the tiny "line" data set written into {@code tmp}: 30 epochs of 16 rows, T = 50 and 20. */
    private static Options tinyOptions(Path tmp) throws IOException {
        Path data = Files.createDirectories(tmp.resolve("line"));
        writeLine(data);
        return Options.defaults().with(Options.DATASET, data).with(Options.OUT, tmp.resolve("out"))
                .with(Options.EPOCHS, 30).with(Options.BATCH, 16).with(Options.MC_SAMPLES, 50)
                .with(Options.VALIDATION_SAMPLES, 20);
    }

    /**
     * 80 rows {@code y = x1 + x2 + noise}, inputs uniform on [-1, 1], two splits of 64 / 16 rows, grids of two drop
     * rates and two precisions.
     */
    private static void writeLine(Path dir) throws IOException {
        Random rng = new Random(3);
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            double a = 2 * rng.nextDouble() - 1;
            double b = 2 * rng.nextDouble() - 1;
            data.append(a).append(' ').append(b).append(' ').append(a + b + 0.2 * rng.nextGaussian()).append('\n');
        }
        Files.writeString(dir.resolve("data.txt"), data);
        Files.writeString(dir.resolve("index_features.txt"), "0\n1\n");
        Files.writeString(dir.resolve("index_target.txt"), "2\n");
        for (int s = 0; s < 2; s++) {
            StringBuilder train = new StringBuilder();
            StringBuilder test = new StringBuilder();
            for (int i = 0; i < 80; i++) {
                ((i + 16 * s) % 80 < 16 ? test : train).append(i).append('\n');
            }
            Files.writeString(dir.resolve("index_train_" + s + ".txt"), train);
            Files.writeString(dir.resolve("index_test_" + s + ".txt"), test);
        }
        Files.writeString(dir.resolve("dropout_rates.txt"), "0.01\n0.1\n");
        Files.writeString(dir.resolve("tau_values.txt"), "4\n25\n");
    }
}
