package io.github.dl4jdropout.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The command-line parser, the shared options' validation and the table printer. */
class ArgsAndTableTest {

    private static final CommonOptions DEFAULTS = CommonOptions.of(3, 32, 1000, 500, 1, "t");

    @Test
    void readsValuesInBothSpellingsAndFlags() {
        Args args = Args.parse(new String[] {"--epochs", "7", "--train=2000", "--full"}, Set.of("full"));
        assertThat(args.flag("full")).isTrue();
        CommonOptions c = args.common(DEFAULTS);
        args.finish();
        assertThat(c.epochs()).isEqualTo(7);
        assertThat(c.trainExamples()).isEqualTo(2000);
        assertThat(c.batchSize()).isEqualTo(32);
    }

    @Test
    void rejectsUnknownOptionsMissingValuesAndBadNumbers() {
        Args typo = Args.parse(new String[] {"--epoch", "7"}, Set.of());
        typo.common(DEFAULTS);
        assertThatThrownBy(typo::finish).hasMessageContaining("--epoch").hasMessageContaining("--epochs");
        assertThatThrownBy(() -> Args.parse(new String[] {"--epochs"}, Set.of())).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Args.parse(new String[] {"7"}, Set.of())).hasMessageContaining("'7'");
        assertThatThrownBy(() -> Args.parse(new String[] {"--epochs", "x"}, Set.of()).common(DEFAULTS))
                .hasMessageContaining("--epochs").hasMessageContaining("'x'");
    }

    @Test
    void commonOptionsNameTheBadField() {
        assertThatThrownBy(() -> DEFAULTS.withTrainExamples(60_001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainExamples").hasMessageContaining("60001");
        assertThatThrownBy(() -> DEFAULTS.withEpochs(0)).hasMessageContaining("epochs").hasMessageContaining("0");
    }

    @Test
    void defaultOutputDirIsUnderTargetOrTheConfiguredRoot() {
        assertThat(CommonOptions.defaultOutputDir("mlp"))
                .isEqualTo(Path.of("target", "dl4j-dropout-results", "mlp").toAbsolutePath());
        System.setProperty(CommonOptions.OUTPUT_ROOT_PROPERTY, "/tmp/somewhere");
        try {
            assertThat(CommonOptions.defaultOutputDir("mlp")).isEqualTo(Path.of("/tmp/somewhere/mlp"));
        } finally {
            System.clearProperty(CommonOptions.OUTPUT_ROOT_PROPERTY);
        }
    }

    @Test
    void tablePrintsMarkdownWithAlignedColumns() {
        String t = new Table("name", "error").row("a", Table.pct(0.0123)).row("longer name", "10.00%").toString();
        assertThat(t).isEqualTo("""
                | name        | error  |
                | :---------- | -----: |
                | a           |  1.23% |
                | longer name | 10.00% |
                """);
        assertThatThrownBy(() -> new Table("one").row("a", "b")).hasMessageContaining("2 cells");
    }
}
