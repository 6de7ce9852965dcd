package io.github.dl4jdropout.examples.support;

/**
 * The options record of an example on MNIST: {@link ExampleOptions} with the shared {@link CommonOptions}, which
 * {@link #withCommon} replaces as a whole.
 *
 * @param <O> the record itself
 */
public interface MnistOptions<O extends MnistOptions<O>> extends ExampleOptions<O> {

    /** @return the settings every MNIST example shares */
    CommonOptions common();

    /**
     * @param value shared settings
     * @return a validated copy with {@code common} replaced
     */
    @SuppressWarnings("unchecked") // O is the record itself
    default O withCommon(CommonOptions value) {
        return commandLine().withCommon((O) this, value);
    }
}
