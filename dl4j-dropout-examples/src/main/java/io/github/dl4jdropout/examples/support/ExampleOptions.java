package io.github.dl4jdropout.examples.support;

/**
 * An example's options record, declared by a {@link CommandLine}: {@link #with} copies it with one option changed,
 * through the same constructor (and validation) as the command line.
 *
 * @param <O> the record itself
 */
public interface ExampleOptions<O extends ExampleOptions<O>> {

    /** @return the command line that declares this record's options */
    CommandLine<O> commandLine();

    /**
     * A copy with one option changed, e.g. {@code options.with(Options.HIDDEN, 64)}.
     *
     * @param option one of the record's options
     * @param value  its new value
     * @param <T>    the value type
     * @return the validated copy
     * @throws IllegalArgumentException if the record rejects the value
     */
    @SuppressWarnings("unchecked") // O is the record itself
    default <T> O with(Option<O, T> option, T value) {
        return commandLine().with((O) this, option, value);
    }
}
