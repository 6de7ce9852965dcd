package io.github.dl4jdropout.examples.support;

import java.nio.file.Path;

/**
 * Settings every MNIST example shares. Build one with {@link #of}, change it with the {@code with...} methods (each
 * returns a validated copy), or read it from the command line through {@link CommonFlags}.
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

    /** How help texts show the output root: where {@code ./run-example} puts it, relative to the checkout. */
    public static final String OUTPUT_ROOT_SHOWN = "dl4j-dropout-examples/target/dl4j-dropout-results";

    /** Validates every field; the only path by which options come into being. */
    public CommonOptions {
        Require.atLeast("epochs", epochs, 1);
        Require.atLeast("batchSize", batchSize, 1);
        Require.inRange("trainExamples", trainExamples, 1, 60_000);
        Require.inRange("testExamples", testExamples, 1, 10_000);
        Require.notNull("outputDir", outputDir);
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
     * The default output folder of an example: {@code <outputRoot>/<exampleName>}.
     *
     * @param exampleName short name, such as {@code mlp}
     * @return the folder (not created)
     */
    public static Path defaultOutputDir(String exampleName) {
        return outputRoot().resolve(exampleName);
    }

    /**
     * @return the value of the system property {@value #OUTPUT_ROOT_PROPERTY} when set, else
     *         {@code target/dl4j-dropout-results} below the working directory; absolute
     */
    public static Path outputRoot() {
        String root = System.getProperty(OUTPUT_ROOT_PROPERTY);
        Path base = root != null ? Path.of(root) : Path.of("target", "dl4j-dropout-results");
        return base.toAbsolutePath().normalize();
    }

    /**
     * @param dir an output folder
     * @return it as help texts show it: below the output root as {@value #OUTPUT_ROOT_SHOWN}{@code /...},
     *         elsewhere as it is
     */
    public static String shown(Path dir) {
        Path root = outputRoot();
        return dir.startsWith(root) ? OUTPUT_ROOT_SHOWN + "/" + root.relativize(dir).toString().replace('\\', '/')
                : dir.toString();
    }

    /** @param value epochs @return a copy with {@code epochs} replaced */
    public CommonOptions withEpochs(int value) {
        return new CommonOptions(value, batchSize, trainExamples, testExamples, seed, outputDir);
    }

    /** @param value training images @return a copy with {@code trainExamples} replaced */
    public CommonOptions withTrainExamples(int value) {
        return new CommonOptions(epochs, batchSize, value, testExamples, seed, outputDir);
    }

    /** @param value output folder @return a copy with {@code outputDir} replaced */
    public CommonOptions withOutputDir(Path value) {
        return new CommonOptions(epochs, batchSize, trainExamples, testExamples, seed, value);
    }
}
