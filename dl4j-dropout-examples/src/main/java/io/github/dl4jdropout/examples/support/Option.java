package io.github.dl4jdropout.examples.support;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * One command-line option of an example: its name, a one-line description, how its text is read, and which field
 * of the example's options record holds it. That field supplies the default that {@code --help} shows, and the
 * value that {@link CommandLine#with} keeps for every option it does not change.
 *
 * <p>An option only reads its text (an integer, a number, a path); whether the value is allowed is decided by the
 * options record's constructor, the one place that validates, whether the record comes from the command line, from
 * code or from a notebook.
 *
 * @param <O> the example's options record
 * @param <T> the type of the value
 */
public final class Option<O, T> {

    private final String name;
    private final String metavar;
    private final String description;
    private final Class<T> type;
    private final Function<String, T> reader;
    private final Function<O, T> field;
    private final Function<T, String> shown;

    private Option(String name, String metavar, String description, Class<T> type, Function<String, T> reader,
                   Function<O, T> field, Function<T, String> shown) {
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option name must be lower-case words joined by '-', got '" + name
                    + "'");
        }
        this.name = name;
        this.metavar = metavar;
        this.description = Objects.requireNonNull(description, "description");
        this.type = type;
        this.reader = reader;
        this.field = Objects.requireNonNull(field, "field");
        this.shown = shown;
    }

    /**
     * An option that takes a whole number, such as {@code --epochs 30}.
     *
     * @param name        name without dashes
     * @param description one line, without the default (help adds it)
     * @param field       the record field that holds the value
     * @param <O>         the options record
     * @return the option
     */
    public static <O> Option<O, Integer> integer(String name, String description, Function<O, Integer> field) {
        return integer(name, "N", description, field);
    }

    /**
     * An option that takes a whole number, with its own name for the value in the usage line.
     *
     * @param name        name without dashes
     * @param metavar     what the value is in the usage line, e.g. {@code T} for a number of samples
     * @param description one line, without the default (help adds it)
     * @param field       the record field that holds the value
     * @param <O>         the options record
     * @return the option
     */
    public static <O> Option<O, Integer> integer(String name, String metavar, String description,
                                                 Function<O, Integer> field) {
        return new Option<>(name, metavar, description, Integer.class, numeric(name, "an integer", Integer::valueOf),
                field, String::valueOf);
    }

    /**
     * An option that takes a whole number that may exceed {@code int}, such as a seed.
     *
     * @param name        name without dashes
     * @param description one line
     * @param field       the record field
     * @param <O>         the options record
     * @return the option
     */
    public static <O> Option<O, Long> longInteger(String name, String description, Function<O, Long> field) {
        return new Option<>(name, "N", description, Long.class, numeric(name, "an integer", Long::valueOf), field,
                String::valueOf);
    }

    /**
     * An option that takes a number, such as {@code --lr 0.001}.
     *
     * @param name        name without dashes
     * @param metavar     what the value is in the usage line: {@code R} for a rate, {@code X} for a coordinate
     * @param description one line
     * @param field       the record field
     * @param <O>         the options record
     * @return the option
     */
    public static <O> Option<O, Double> number(String name, String metavar, String description,
                                               Function<O, Double> field) {
        return new Option<>(name, metavar, description, Double.class, numeric(name, "a number", Double::valueOf),
                field, Option::plain);
    }

    /**
     * An option that takes a folder; relative paths are resolved against the working directory.
     *
     * @param name        name without dashes
     * @param description one line
     * @param field       the record field
     * @param shown       how help shows the default (the real default is absolute and machine-specific)
     * @param <O>         the options record
     * @return the option
     */
    public static <O> Option<O, Path> path(String name, String description, Function<O, Path> field,
                                           Function<Path, String> shown) {
        return new Option<>(name, "DIR", description, Path.class,
                text -> Path.of(text).toAbsolutePath().normalize(), field, shown);
    }

    /**
     * An option that takes a file, such as {@code --model model.h5}; relative paths are resolved against the working
     * directory.
     *
     * @param name        name without dashes
     * @param description one line
     * @param field       the record field
     * @param shown       how help shows the default
     * @param <O>         the options record
     * @return the option
     */
    public static <O> Option<O, Path> file(String name, String description, Function<O, Path> field,
                                           Function<Path, String> shown) {
        return new Option<>(name, "FILE", description, Path.class,
                text -> Path.of(text).toAbsolutePath().normalize(), field, shown);
    }

    /**
     * A switch without a value, such as {@code --relu}; {@code --relu=false} is accepted too.
     *
     * @param name        name without dashes
     * @param description one line
     * @param field       whether the record has it switched on
     * @param <O>         the options record
     * @return the option
     */
    public static <O> Option<O, Boolean> flag(String name, String description, Function<O, Boolean> field) {
        return new Option<>(name, null, description, Boolean.class, text -> {
            if (!text.equals("true") && !text.equals("false")) {
                throw new IllegalArgumentException("--" + name + " takes no value (or =true, =false), got '" + text
                        + "'");
            }
            return Boolean.valueOf(text);
        }, field, on -> on ? "on" : "off");
    }

    /** @return the name without dashes, e.g. {@code epochs} */
    public String name() {
        return name;
    }

    /** @return whether the option takes no value */
    public boolean isFlag() {
        return metavar == null;
    }

    /** @return the option as the usage line shows it, e.g. {@code --epochs N} */
    public String usage() {
        return "--" + name + (isFlag() ? "" : " " + metavar);
    }

    /** @return the one-line description */
    public String description() {
        return description;
    }

    /**
     * @param options an options record
     * @return the value {@code options} holds for this option
     */
    public T valueIn(O options) {
        return field.apply(options);
    }

    /**
     * @param options an options record
     * @return its value for this option as help shows it, e.g. {@code 0.001}
     */
    public String shownValueIn(O options) {
        return shown.apply(valueIn(options));
    }

    /**
     * @param text the text after {@code --name} (or after {@code =})
     * @return the value
     * @throws IllegalArgumentException naming the option and the text if it cannot be read
     */
    T read(String text) {
        return reader.apply(text);
    }

    /**
     * @param value a value meant for this option
     * @return {@code value}, typed
     * @throws IllegalArgumentException if it is not of this option's type
     */
    T cast(Object value) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(usage() + " takes a " + type.getSimpleName() + ", got "
                    + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return usage();
    }

    private static <T> Function<String, T> numeric(String name, String kind, Function<String, T> parse) {
        return text -> {
            try {
                return parse.apply(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be " + kind + ", got '" + text + "'");
            }
        };
    }

    /** Numbers as typed on a command line: {@code 0.001}, not {@code 1.0E-3}; {@code 2}, not {@code 2.0}. */
    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
