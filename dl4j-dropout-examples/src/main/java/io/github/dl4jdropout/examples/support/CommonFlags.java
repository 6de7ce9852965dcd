package io.github.dl4jdropout.examples.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The command-line options behind {@link CommonOptions} ({@code --epochs --batch --train --test --seed --out}), for
 * an example whose options record holds a {@code CommonOptions} ({@link CommandLine.Builder#common} adds them), and
 * the options several examples share ({@code --lr}, {@code --mc-samples}, {@code --input-drop},
 * {@code --hidden-drop}): declared here once, with their descriptions, so that every example reads and explains them
 * alike.
 *
 * @param <O> the example's options record
 */
public final class CommonFlags<O> {

    private final Option<O, Integer> epochs;
    private final Option<O, Integer> batch;
    private final Option<O, Integer> train;
    private final Option<O, Integer> test;
    private final Option<O, Long> seed;
    private final Option<O, Path> out;

    private CommonFlags(Function<O, CommonOptions> common) {
        epochs = Option.integer("epochs", "training epochs per network", o -> common.apply(o).epochs());
        batch = Option.integer("batch", "minibatch size", o -> common.apply(o).batchSize());
        train = Option.integer("train", "train on a seeded random subset of N of MNIST's 60,000 training images",
                o -> common.apply(o).trainExamples());
        test = Option.integer("test", "evaluate on the first N of MNIST's 10,000 test images",
                o -> common.apply(o).testExamples());
        seed = seed(o -> common.apply(o).seed());
        out = out(o -> common.apply(o).outputDir());
    }

    /**
     * The six options of an example's {@code CommonOptions}.
     *
     * @param common the options record's {@code CommonOptions} field
     * @param <O>    the options record
     * @return the options
     */
    static <O> CommonFlags<O> of(Function<O, CommonOptions> common) {
        return new CommonFlags<>(common);
    }

    /**
     * {@code --seed N}, also for examples without {@code CommonOptions}.
     *
     * @param field the record field that holds the seed
     * @param <O>   the options record
     * @return the option
     */
    public static <O> Option<O, Long> seed(Function<O, Long> field) {
        return Option.longInteger("seed", "seed of weight initialization, data order and dropout masks", field);
    }

    /**
     * {@code --out DIR}, also for examples without {@code CommonOptions}; help shows the default folder relative to
     * the checkout, as {@code ./run-example} uses it.
     *
     * @param field the record field that holds the folder
     * @param <O>   the options record
     * @return the option
     */
    public static <O> Option<O, Path> out(Function<O, Path> field) {
        return Option.path("out", "where plots and CSV files go", field, CommonOptions::shown);
    }

    /**
     * {@code --lr R}, Adam's learning rate.
     *
     * @param field the record field
     * @param <O>   the options record
     * @return the option
     */
    public static <O> Option<O, Double> learningRate(Function<O, Double> field) {
        return Option.number("lr", "R", "Adam's learning rate", field);
    }

    /**
     * {@code --mc-samples T}, the number of stochastic passes Monte Carlo dropout averages.
     *
     * @param field the record field
     * @param <O>   the options record
     * @return the option
     */
    public static <O> Option<O, Integer> mcSamples(Function<O, Integer> field) {
        return Option.integer("mc-samples", "T", "Monte Carlo passes T averaged per input, with dropout on", field);
    }

    /**
     * {@code --input-drop R}, the drop rate on an MLP's input pixels.
     *
     * @param field the record field
     * @param <O>   the options record
     * @return the option
     */
    public static <O> Option<O, Double> inputDropRate(Function<O, Double> field) {
        return Option.number("input-drop", "R", "drop rate on the input pixels", field);
    }

    /**
     * {@code --hidden-drop R}, the drop rate on each hidden layer's output of an MLP.
     *
     * @param field the record field
     * @param <O>   the options record
     * @return the option
     */
    public static <O> Option<O, Double> hiddenDropRate(Function<O, Double> field) {
        return Option.number("hidden-drop", "R", "drop rate on each hidden layer's output", field);
    }

    /** @return the six options, in the order help lists them */
    List<Option<O, ?>> all() {
        return List.of(epochs, batch, train, test, seed, out);
    }

    /**
     * @param values the values an options record is assembled from
     * @return the validated {@code CommonOptions} among them
     * @throws IllegalArgumentException if one is out of range
     */
    CommonOptions read(CommandLine.Values<O> values) {
        return new CommonOptions(values.get(epochs), values.get(batch), values.get(train), values.get(test),
                values.get(seed), values.get(out));
    }

    /**
     * @param common shared settings
     * @return them as values of the six options, for {@link CommandLine#with(Object, Map)}
     */
    Map<Option<O, ?>, Object> valuesOf(CommonOptions common) {
        Map<Option<O, ?>, Object> values = new LinkedHashMap<>();
        values.put(epochs, common.epochs());
        values.put(batch, common.batchSize());
        values.put(train, common.trainExamples());
        values.put(test, common.testExamples());
        values.put(seed, common.seed());
        values.put(out, common.outputDir());
        return values;
    }
}
