package io.github.dl4jdropout.examples;

import io.github.dl4jdropout.examples.cnn.CnnDropoutExample;
import io.github.dl4jdropout.examples.mlp.MlpDropoutExample;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Command-line entry point of {@code ./run-example NAME [options]}: looks the example up by name and hands it the
 * remaining arguments.
 */
public final class Examples {

    private static final Map<String, Consumer<String[]>> MAINS = new LinkedHashMap<>();

    static {
        MAINS.put(MlpDropoutExample.NAME, MlpDropoutExample::main);
        MAINS.put(CnnDropoutExample.NAME, CnnDropoutExample::main);
        MAINS.put(RnnDropoutExample.NAME, RnnDropoutExample::main);
        MAINS.put(io.github.dl4jdropout.examples.uncertainty.UncertaintyExample.NAME, io.github.dl4jdropout.examples.uncertainty.UncertaintyExample::main);
        MAINS.put(io.github.dl4jdropout.examples.regression.RegressionExample.NAME, io.github.dl4jdropout.examples.regression.RegressionExample::main);
    }

    private Examples() {
    }

    /**
     * Runs one example.
     *
     * @param args the example's name followed by its options
     */
    public static void main(String[] args) {
        if (args.length == 0 || !MAINS.containsKey(args[0])) {
            System.err.println((args.length == 0 ? "no example named" : "unknown example '" + args[0] + "'")
                    + "; choose one of " + MAINS.keySet() + ", e.g. ./run-example mlp --help");
            System.exit(2);
        }
        MAINS.get(args[0]).accept(Arrays.copyOfRange(args, 1, args.length));
    }
}
