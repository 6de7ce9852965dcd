package io.github.dl4jdropout.examples;

import io.github.dl4jdropout.examples.activelearning.ActiveLearningExample;
import io.github.dl4jdropout.examples.cnn.CnnDropoutExample;
import io.github.dl4jdropout.examples.keras.KerasExample;
import io.github.dl4jdropout.examples.mlp.MlpDropoutExample;
import io.github.dl4jdropout.examples.regression.RegressionExample;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample;
import io.github.dl4jdropout.examples.support.CommandLine;
import io.github.dl4jdropout.examples.support.CommonOptions;
import io.github.dl4jdropout.examples.uci.UciExample;
import io.github.dl4jdropout.examples.uncertainty.UncertaintyExample;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Command-line entry point of {@code ./run-example NAME [options]}: looks the example up by name and hands it the
 * remaining arguments. With no argument or {@code --help} it prints {@link #usage()}, every example with every
 * option, its description and its default.
 *
 * <p>{@code ./run-example} prints the same texts without starting Java (so without building first): they are kept
 * in {@code dl4j-dropout-examples/usage/}, and a test fails when they differ from what this class prints.
 */
public final class Examples {

    /** One runnable example: its command line (name, options, help) and its {@code main}. */
    private record Example(CommandLine<?> commandLine, Consumer<String[]> main) {
    }

    private static final List<Example> EXAMPLES = List.of(
            new Example(MlpDropoutExample.Options.COMMAND_LINE, MlpDropoutExample::main),
            new Example(CnnDropoutExample.Options.COMMAND_LINE, CnnDropoutExample::main),
            new Example(RnnDropoutExample.Options.COMMAND_LINE, RnnDropoutExample::main),
            new Example(UncertaintyExample.Options.COMMAND_LINE, UncertaintyExample::main),
            new Example(RegressionExample.Options.COMMAND_LINE, RegressionExample::main),
            new Example(UciExample.Options.COMMAND_LINE, UciExample::main),
            new Example(KerasExample.Options.COMMAND_LINE, KerasExample::main),
            new Example(ActiveLearningExample.Options.COMMAND_LINE, ActiveLearningExample::main));

    private Examples() {
    }

    /** @return the examples' command lines, in the order usage lists them */
    public static List<CommandLine<?>> commandLines() {
        return EXAMPLES.stream().<CommandLine<?>>map(Example::commandLine).toList();
    }

    /** @return the names of the examples, e.g. {@code mlp} */
    public static List<String> names() {
        return EXAMPLES.stream().map(e -> e.commandLine().name()).toList();
    }

    /** @return the text of {@code ./run-example --help}: what it does, the examples, and every option of each */
    public static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: ./run-example EXAMPLE [options]    (./run-example EXAMPLE --help: that example only)\n\n");
        sb.append("Builds this checkout if needed, runs one example, prints its results table (Markdown) and writes\n");
        sb.append("PNG plots and CSV files to ").append(CommonOptions.OUTPUT_ROOT_SHOWN)
                .append("/EXAMPLE/ unless --out DIR is given.\n");
        sb.append("Rates are drop rates. MNIST comes from DL4J's cache, filled from npm when missing.\n\n");
        sb.append("examples:\n");
        int width = names().stream().mapToInt(String::length).max().orElse(0);
        for (CommandLine<?> c : commandLines()) {
            sb.append("  ").append(c.name()).append(" ".repeat(width - c.name().length())).append("  ")
                    .append(c.summary()).append('\n');
        }
        // Lives in dl4j-dropout-spark (the examples must not depend on Spark); run-example hands it to that script.
        sb.append("  ").append("spark-mc").append(" ".repeat(Math.max(0, width - "spark-mc".length()))).append("  ")
                .append("MC dropout on Apache Spark vs one machine (dl4j-dropout-spark/run-spark-example;"
                        + " its own --help)\n");
        for (CommandLine<?> c : commandLines()) {
            sb.append('\n').append(c.help());
        }
        return sb.toString();
    }

    /**
     * Runs one example.
     *
     * @param args the example's name followed by its options
     */
    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(usage());
            if (args.length == 0) {
                System.exit(2);
            }
            return;
        }
        for (Example e : EXAMPLES) {
            if (e.commandLine().name().equals(args[0])) {
                e.main().accept(Arrays.copyOfRange(args, 1, args.length));
                return;
            }
        }
        System.err.println("unknown example '" + args[0] + "'; choose one of " + String.join(", ", names())
                + " (./run-example --help lists them with their options)");
        System.exit(2);
    }
}
