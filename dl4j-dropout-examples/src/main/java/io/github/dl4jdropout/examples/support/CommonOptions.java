package io.github.dl4jdropout.examples.support;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings every MNIST example shares. Build one with {@link #of}, change it with the {@code with...} methods (each
 * returns a validated copy), or read it from command-line flags through {@link Args}.
 *
 * @param epochs        training epochs per network, at least 1
 * @param batchSize     minibatch size, at least 1
 * @param trainExamples how many of MNIST's 60,000 training images to train on (a seeded random subset)
 * @param testExamples  how many of MNIST's 10,000 test images to evaluate on (the first ones)
 * @param seed          seed of weight initialization, data order and dropout masks
 * @param outputDir     where plots and CSV files go
 */
public record CommonOptions(int epochs, int batchSize, int trainExamples, int testExamples, long seed,
                            Path outputDir) {

    /**
     * Root of the default output folders, {@code target/dl4j-dropout-results}; the run scripts set the system
     * property {@code dl4jdropout.examples.outputRoot} to the examples module's {@code target/dl4j-dropout-results}
     * so that output never lands in the caller's working directory.
     */
    public static final String OUTPUT_ROOT_PROPERTY = "dl4jdropout.examples.outputRoot";

    /** Validates every field; the only path by which options come into being. */
    public CommonOptions {
        atLeast("epochs", epochs, 1);
        atLeast("batchSize", batchSize, 1);
        if (trainExamples < 1 || trainExamples > 60_000) {
            throw new IllegalArgumentException("trainExamples must be in [1, 60000], got " + trainExamples);
        }
        if (testExamples < 1 || testExamples > 10_000) {
            throw new IllegalArgumentException("testExamples must be in [1, 10000], got " + testExamples);
        }
        Objects.requireNonNull(outputDir, "outputDir must not be null");
    }

    /**
     * Options with the given values.
     *
     * @param epochs        training epochs
     * @param batchSize     minibatch size
     * @param trainExamples training images used
     * @param testExamples  test images used
     * @param seed          seed
     * @param exampleName   the example's name; the output folder defaults to
     *                      {@code <outputRoot>/<exampleName>} (see {@link #defaultOutputDir})
     * @return validated options
     * @throws IllegalArgumentException if a value is out of range
     */
    public static CommonOptions of(int epochs, int batchSize, int trainExamples, int testExamples, long seed,
                                   String exampleName) {
        return new CommonOptions(epochs, batchSize, trainExamples, testExamples, seed, defaultOutputDir(exampleName));
    }

    /**
     * The default output folder of an example: {@code target/dl4j-dropout-results/<exampleName>}, below the value
     * of the system property {@value #OUTPUT_ROOT_PROPERTY} when set.
     *
     * @param exampleName short name, such as {@code mlp}
     * @return the folder (not created)
     */
    public static Path defaultOutputDir(String exampleName) {
        String root = System.getProperty(OUTPUT_ROOT_PROPERTY);
        Path base = root != null ? Path.of(root) : Path.of("target", "dl4j-dropout-results");
        return base.resolve(exampleName).toAbsolutePath().normalize();
    }

    /** @param value epochs @return a copy with {@code epochs} replaced */
    public CommonOptions withEpochs(int value) {
        return new CommonOptions(value, batchSize, trainExamples, testExamples, seed, outputDir);
    }

    /** @param value minibatch size @return a copy with {@code batchSize} replaced */
    public CommonOptions withBatchSize(int value) {
        return new CommonOptions(epochs, value, trainExamples, testExamples, seed, outputDir);
    }

    /** @param value training images @return a copy with {@code trainExamples} replaced */
    public CommonOptions withTrainExamples(int value) {
        return new CommonOptions(epochs, batchSize, value, testExamples, seed, outputDir);
    }

    /** @param value test images @return a copy with {@code testExamples} replaced */
    public CommonOptions withTestExamples(int value) {
        return new CommonOptions(epochs, batchSize, trainExamples, value, seed, outputDir);
    }

    /** @param value seed @return a copy with {@code seed} replaced */
    public CommonOptions withSeed(long value) {
        return new CommonOptions(epochs, batchSize, trainExamples, testExamples, value, outputDir);
    }

    /** @param value output folder @return a copy with {@code outputDir} replaced */
    public CommonOptions withOutputDir(Path value) {
        return new CommonOptions(epochs, batchSize, trainExamples, testExamples, seed, value);
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }
}
