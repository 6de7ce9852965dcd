package io.github.dl4jdropout.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command-line declaration and parser, the shared options' validation and the table printer. */
class CommandLineAndTableTest {

    /** A small options record declared the way the examples declare theirs. */
    record Toy(CommonOptions common, int units, boolean wide) implements MnistOptions<Toy> {
        static final Option<Toy, Integer> UNITS = Option.integer("units", "hidden units", Toy::units);
        static final Option<Toy, Boolean> WIDE = Option.flag("wide", "a wider network", Toy::wide);
        static final CommandLine<Toy> COMMAND_LINE = CommandLine.builder("toy", "a toy example", Toy::defaults)
                .full("more of everything", () -> new Toy(CommonOptions.of(9, 32, 5000, 500, 1, "toy"), 64, false))
                .common(Toy::common)
                .options(UNITS, WIDE)
                .build(v -> new Toy(v.common(), v.get(UNITS), v.get(WIDE)));

        Toy {
            Require.atLeast("units", units, 1);
        }

        static Toy defaults() {
            return new Toy(CommonOptions.of(3, 32, 1000, 500, 1, "toy"), 8, false);
        }

        @Override
        public CommandLine<Toy> commandLine() {
            return COMMAND_LINE;
        }
    }

    @Test
    void readsValuesInBothSpellingsFlagsAndFull() {
        Toy t = Toy.COMMAND_LINE.parse("--epochs", "7", "--train=2000", "--wide", "--units", "16");
        assertThat(t.common().epochs()).isEqualTo(7);
        assertThat(t.common().trainExamples()).isEqualTo(2000);
        assertThat(t.common().batchSize()).isEqualTo(32);
        assertThat(t.units()).isEqualTo(16);
        assertThat(t.wide()).isTrue();
        // --full changes the base; options given after it (or before) still win
        Toy full = Toy.COMMAND_LINE.parse("--units", "4", "--full");
        assertThat(full.common().epochs()).isEqualTo(9);
        assertThat(full.units()).isEqualTo(4);
        assertThat(Toy.COMMAND_LINE.parse("--wide=false").wide()).isFalse();
    }

    @Test
    void anUnknownOptionIsNamedAndTheKnownOnesListedEvenAsTheLastToken() {
        // The bug this replaces: a trailing unknown option was reported as "needs a value".
        assertThatThrownBy(() -> Toy.COMMAND_LINE.parse("--bogus-option"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option --bogus-option;")
                .hasMessageNotContaining("needs a value")
                .hasMessageContaining("--units N").hasMessageContaining("hidden units (default 8; --full: 64)")
                .hasMessageContaining("--full").hasMessageContaining("--wide").hasMessageContaining("(default off)");
        assertThatThrownBy(() -> Toy.COMMAND_LINE.parse("--epoch", "7"))
                .hasMessageContaining("unknown option --epoch (did you mean --epochs?)");
    }

    @Test
    void rejectsMissingValuesBadNumbersAndStrayWords() {
        assertThatThrownBy(() -> Toy.COMMAND_LINE.parse("--epochs")).hasMessage("option --epochs N needs a value");
        assertThatThrownBy(() -> Toy.COMMAND_LINE.parse("7")).hasMessageContaining("'7'");
        assertThatThrownBy(() -> Toy.COMMAND_LINE.parse("--epochs", "x")).hasMessageContaining("--epochs")
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> Toy.COMMAND_LINE.parse("--wide=yes")).hasMessageContaining("--wide")
                .hasMessageContaining("'yes'");
        assertThatThrownBy(() -> Toy.COMMAND_LINE.parse("--full=1")).hasMessageContaining("--full takes no value");
        // a value the record rejects: its constructor's message, naming the field and the value
        assertThatThrownBy(() -> Toy.COMMAND_LINE.parse("--units", "0")).hasMessage("units must be at least 1, got 0");
    }

    @Test
    void withCopiesThroughTheSameValidation() {
        Toy base = Toy.defaults();
        Toy changed = base.with(Toy.UNITS, 12);
        assertThat(changed).isEqualTo(new Toy(base.common(), 12, false));
        assertThat(base.units()).isEqualTo(8);
        assertThatThrownBy(() -> base.with(Toy.UNITS, 0)).hasMessageContaining("units");
        CommonOptions other = CommonOptions.of(1, 2, 3, 4, 5, "elsewhere");
        assertThat(base.withCommon(other)).isEqualTo(new Toy(other, 8, false));
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = Toy.COMMAND_LINE.help();
        assertThat(help).startsWith("./run-example toy [--full] [options]: a toy example\n");
        for (Option<Toy, ?> o : Toy.COMMAND_LINE.options()) {
            assertThat(help).as(o.name()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(o.usage())
                    + " +" + java.util.regex.Pattern.quote(o.description()) + " \\(default [^)]+\\)$");
        }
        assertThat(help).contains("--out DIR", "(default " + CommonOptions.OUTPUT_ROOT_SHOWN + "/toy)");
    }

    @Test
    void commonOptionsNameTheBadField() {
        CommonOptions d = Toy.defaults().common();
        assertThatThrownBy(() -> d.withTrainExamples(60_001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainExamples").hasMessageContaining("60001");
        assertThatThrownBy(() -> d.withEpochs(0)).hasMessageContaining("epochs").hasMessageContaining("0");
    }

    @Test
    void defaultOutputDirIsUnderTargetOrTheConfiguredRoot() {
        assertThat(CommonOptions.defaultOutputDir("mlp"))
                .isEqualTo(Path.of("target", "dl4j-dropout-results", "mlp").toAbsolutePath());
        System.setProperty(CommonOptions.OUTPUT_ROOT_PROPERTY, "/tmp/somewhere");
        try {
            assertThat(CommonOptions.defaultOutputDir("mlp")).isEqualTo(Path.of("/tmp/somewhere/mlp"));
            assertThat(CommonOptions.shown(Path.of("/tmp/somewhere/mlp")))
                    .isEqualTo(CommonOptions.OUTPUT_ROOT_SHOWN + "/mlp");
            assertThat(CommonOptions.shown(Path.of("/data/out"))).isEqualTo("/data/out");
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
        assertThat(Table.num(0.16175, 3)).isEqualTo("0.162");
    }
}
