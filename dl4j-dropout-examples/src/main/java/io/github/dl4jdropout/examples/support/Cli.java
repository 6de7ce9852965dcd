package io.github.dl4jdropout.examples.support;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/** The shared shape of every example's {@code main}: parse, or print usage; then run. */
public final class Cli {

    private Cli() {
    }

    /**
     * Parses {@code argv} and runs the example; on {@code --help} prints the usage and returns; on a bad option
     * prints the problem and the usage and exits with status 2.
     *
     * @param name  the example's name
     * @param usage the options it accepts, one line
     * @param argv  the command line
     * @param parse the example's {@code Options.parse}
     * @param run   the example's {@code run}
     * @param <O>   the example's options type
     */
    public static <O> void main(String name, String usage, String[] argv, Function<String[], O> parse,
                                Consumer<O> run) {
        String fullUsage = "usage: ./run-example " + name + " " + usage;
        if (Arrays.asList(argv).contains("--help") || Arrays.asList(argv).contains("-h")) {
            System.out.println(fullUsage);
            return;
        }
        O options;
        try {
            options = parse.apply(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println(fullUsage);
            System.exit(2);
            return;
        }
        run.accept(options);
    }
}
